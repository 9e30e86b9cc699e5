/**
 * Recognises known mistakes in a wrong output: first by the signatures the
 * fixture builder recorded from mutants of the reference, then by generic
 * patterns (sign, batch size, factor 2, transpose, NaN from large scores).
 */
import type { Encoded } from './codec.js';
import { asNumeric, compare, type Comparison, type Numeric } from './compare.js';
import type { ExpectedOutput, UnitCase } from './fixtures/types.generated.js';
import { getPath } from './paths.js';

function hasNonFinite(v: Encoded | undefined): boolean {
  const n = asNumeric(v);
  if (!n) return false;
  for (let i = 0; i < n.data.length; i++) if (!Number.isFinite(n.data[i])) return true;
  return false;
}

/** Hints of recorded mistakes whose every differing output the student reproduced. */
export function signatureHints(c: UnitCase, result: Encoded): string[] {
  const hints: string[] = [];
  for (const m of c.mistakes ?? []) {
    const paths = Object.entries(m.outputs);
    const matches = paths.every(([path, value]) => {
      const got = getPath(result, path);
      if (value === 'non-finite') return hasNonFinite(got);
      const tol = c.outputs.find((o) => o.path === path)?.tolerance ?? { rel: 1e-7, abs: 1e-10 };
      return compare(value, got, { rel: Math.max(tol.rel, 1e-6), abs: Math.max(tol.abs, 1e-9) }).ok;
    });
    if (paths.length && matches && !hints.includes(m.hint)) hints.push(m.hint);
  }
  return hints;
}

/** True when got = factor * expected element-wise (within a loose tolerance), and expected is not all zeros. */
function scaledBy(expected: Numeric, got: Numeric, factor: number): boolean {
  let nonzero = false;
  for (let i = 0; i < expected.data.length; i++) {
    const e = expected.data[i] * factor, g = got.data[i];
    if (Math.abs(expected.data[i]) > 1e-12) nonzero = true;
    if (Math.abs(g - e) > 1e-6 * (Math.abs(e) + Math.abs(g)) + 1e-12) return false;
  }
  return nonzero;
}

function transposedMatch(expected: Numeric, got: Numeric): boolean {
  if (expected.kind !== 'matrix' || got.rows !== expected.cols || got.cols !== expected.rows) return false;
  for (let i = 0; i < expected.rows; i++) {
    for (let j = 0; j < expected.cols; j++) {
      const e = expected.data[i * expected.cols + j], g = got.data[j * got.cols + i];
      if (Math.abs(g - e) > 1e-6 * (Math.abs(e) + Math.abs(g)) + 1e-12) return false;
    }
  }
  return true;
}

/** Largest |value| among the case's numeric inputs (to spot the large-logit case). */
function largestInput(c: UnitCase): number {
  let max = 0;
  const visit = (v: Encoded): void => {
    const n = asNumeric(v);
    if (n) for (let i = 0; i < n.data.length; i++) max = Math.max(max, Math.abs(n.data[i]));
    else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') Object.values(v).forEach((x) => visit(x as Encoded));
  };
  c.args.forEach(visit);
  return max;
}

/** Hints from the shape of the error alone, for mistakes no signature caught. */
export function genericHints(c: UnitCase, out: ExpectedOutput, comparison: Comparison): string[] {
  if (comparison.ok) return [];
  const exp = asNumeric(out.expected);
  const got = comparison.actual;
  if (!exp || !got) return [];
  if (comparison.problem === 'nonfinite') {
    return largestInput(c) > 100
      ? ["NaN or Infinity on large inputs: subtract each row's maximum before exponentiating (e^1000 overflows; softmax is unchanged by the shift)."]
      : ['NaN or Infinity: look for a division by zero, the log of 0, or exp of a large number.'];
  }
  if (comparison.problem === 'shape') {
    return transposedMatch(exp, got) ? [`${out.name} is transposed: it should be ${exp.rows}x${exp.cols}, the shape of the parameter it is the gradient of.`] : [];
  }
  if (comparison.problem !== 'value') return [];
  const N = c.batch ?? 1;
  if (scaledBy(exp, got, -1)) return [`${out.name} has the wrong sign: every element is the negative of the expected value.`];
  if (N > 1 && scaledBy(exp, got, N)) return [`${out.name} is ${N} times too large, the batch size: the loss is the mean over the batch, so its gradients carry 1/N.`];
  if (N > 1 && scaledBy(exp, got, 1 / N)) return [`${out.name} is ${N} times too small, the batch size: divide by N once, not twice.`];
  if (scaledBy(exp, got, 2)) return [`${out.name} is twice the expected value: is a factor 1/2 missing (the L2 penalty is (lambda/2) sum W^2, gradient lambda W)?`];
  if (scaledBy(exp, got, 0.5)) return [`${out.name} is half the expected value: is a factor 2 or a 1/2 misplaced?`];
  return [];
}
