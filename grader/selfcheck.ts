/**
 * Tells "your forward is wrong" apart from "your backward does not match your
 * forward": differentiates the student's OWN forward numerically and compares
 * that with the student's backward.
 */
import type { Encoded, EncodedMatrix } from './codec.js';
import { asNumeric, elementName, relativeError } from './compare.js';
import type { SelfCheck } from './fixtures/types.generated.js';
import { getPath } from './paths.js';
import type { CallOutcome } from './sandbox/runner.js';

/** Calls a function of the submission (the runner's call, injected so this module stays testable). */
export type Caller = (fn: string, args: Encoded[]) => Promise<CallOutcome>;

const EPS = 1e-6;
/** At most this many elements per input are differentiated: enough to find a bug, cheap in calls. */
const MAX_ELEMENTS = 12;
const AGREE = 1e-4;
/** The whole cross-check stops after this long: it is advice, and a slow forward must not hold up grading. */
const BUDGET_MS = 3000;

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

function sumWeighted(out: Encoded | undefined, weights: Encoded | null): number {
  const o = asNumeric(out);
  if (!o) throw new Error('returned no number');
  if (weights === null) {
    if (o.kind !== 'number') throw new Error('did not return a number');
    return o.data[0];
  }
  const w = asNumeric(weights)!;
  if (w.data.length !== o.data.length) throw new Error('returned the wrong shape');
  let s = 0;
  for (let i = 0; i < o.data.length; i++) s += w.data[i] * o.data[i];
  return s;
}

/** Thrown when the cross-check runs out of time; it then says nothing rather than something half-checked. */
class Budget extends Error {}

/** Evenly spread element indices, at most MAX_ELEMENTS of them. */
function sampleIndices(n: number): number[] {
  if (n <= MAX_ELEMENTS) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: MAX_ELEMENTS }, (_, k) => Math.floor((k * n) / MAX_ELEMENTS));
}

/**
 * One feedback line about how the student's backward relates to their own
 * forward, given the student's backward result and the paths of the gradients
 * that were wrong; it speaks only of wrong gradients it could compare (one of
 * the wrong shape is already reported), and is null when it cannot tell.
 */
export async function selfCheckLine(call: Caller, check: SelfCheck, backward: Encoded, gradNames: Map<string, string>, wrong: string[]): Promise<string | null> {
  const deadline = performance.now() + BUDGET_MS;
  const compared: string[] = [];
  const evaluate = async (args: Encoded[]): Promise<number> => {
    if (performance.now() > deadline) throw new Budget();
    const r = await call(check.fn, args);
    if (r.kind !== 'ok') throw new Error(r.kind === 'threw' && r.notImplemented ? 'is not implemented' : `failed (${r.kind})`);
    return sumWeighted(getPath(r.value, check.outputPath), check.weights);
  };
  try {
    for (const { argPath, gradPath } of check.wrt.filter((w) => wrong.includes(w.gradPath))) {
      const grad = asNumeric(getPath(backward, gradPath));
      const args = clone(check.args);
      const input = getPath(args, argPath) as EncodedMatrix | undefined;
      // a gradient of the wrong shape is already reported; element names would mislead here
      if (!grad || !input || input.$type !== 'matrix' || grad.rows !== input.rows || grad.cols !== input.cols) continue;
      const data = input.data as number[];
      for (const i of sampleIndices(data.length)) {
        const old = data[i];
        data[i] = old + EPS;
        const plus = await evaluate(args);
        data[i] = old - EPS;
        const minus = await evaluate(args);
        data[i] = old;
        const numerical = (plus - minus) / (2 * EPS);
        if (!compared.includes(gradPath)) compared.push(gradPath);
        const analytic = grad.data[i];
        if (relativeError(numerical, analytic) > AGREE && Math.abs(numerical - analytic) > 1e-7) {
          const name = `${gradNames.get(gradPath) ?? gradPath}${elementName(grad, i)}`;
          return `Your backward does not match the numerical gradient of your own ${check.fn} (${name}: backward ${fmt(analytic)}, numerical ${fmt(numerical)}), so the bug is in the backward pass.`;
        }
      }
    }
  } catch (err) {
    if (err instanceof Budget) return null;
    return `Could not cross-check with your ${check.fn}: it ${(err as Error).message}.`;
  }
  if (compared.length === 0) return null;
  const names = compared.map((p) => gradNames.get(p) ?? p);
  const subject = names.length === 1 ? `${names[0]} agrees` : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]} agree`;
  return `Your ${subject} with the numerical gradient of your own ${check.fn}, so the error is in the forward computation (or both share the same mistake): fix the forward first.`;
}

export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-4 || a >= 1e6) ? v.toExponential(6) : String(Number(v.toPrecision(8)));
}
