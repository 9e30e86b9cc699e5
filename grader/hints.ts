/**
 * Recognises known mistakes in a wrong output: first by the signatures the
 * fixture builder recorded from mutants of the reference, then by generic
 * patterns (sign, batch size, factor 2, transpose, NaN from large scores).
 */
import type { Encoded } from './codec.js';
import { asNumeric, compare, hasNonFinite, type Comparison, type Numeric } from './compare.js';
import type { ExpectedOutput, UnitCase } from './fixtures/types.generated.js';
import { getPath } from './paths.js';
import { ratioHint } from './ratio-hints.js';

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

/** True when every element is a whole number. */
function isIntegral(n: Numeric): boolean {
  for (let i = 0; i < n.data.length; i++) if (!Number.isInteger(n.data[i])) return false;
  return true;
}

/** True when every element is exactly a float32 number, as a Float32Array's are. */
function isFloat32(n: Numeric): boolean {
  for (let i = 0; i < n.data.length; i++) if (Math.fround(n.data[i]) !== n.data[i]) return false;
  return true;
}

/** True when got differs from expected by exactly one, in the same direction, everywhere it differs. */
function offByOne(expected: Numeric, got: Numeric): boolean {
  const diffs = new Set<number>();
  for (let i = 0; i < expected.data.length; i++) diffs.add(got.data[i] - expected.data[i]);
  diffs.delete(0);
  return diffs.size === 1 && Math.abs([...diffs][0]) === 1;
}

/** A pattern seen in one output; outputs sharing a key are reported together in one hint. */
export interface GenericHint { key: string; text: (names: string) => string }

/** True when the case regularises with L2 (or is the L2 penalty itself), so a factor 2 may be the missing 1/2. */
function usesL2(c: UnitCase): boolean {
  if (c.fn === 'l2Penalty') return true;
  return c.args.some((a) => a !== null && typeof a === 'object' && !Array.isArray(a) &&
    typeof (a as Record<string, Encoded>).reg === 'number' && ((a as Record<string, Encoded>).reg as number) > 0 &&
    ((a as Record<string, Encoded>).regType ?? 'l2') === 'l2');
}

/** Patterns in the shape of the error alone, for mistakes no signature caught. */
export function genericHints(c: UnitCase, out: ExpectedOutput, comparison: Comparison): GenericHint[] {
  if (comparison.ok) return [];
  const exp = asNumeric(out.expected);
  const got = comparison.actual;
  if (!exp || !got) return [];
  const hint = (key: string, text: (names: string) => string): GenericHint[] => [{ key, text }];
  if (comparison.problem === 'nonfinite') {
    return largestInput(c) > 100
      ? hint('nan-large', (n) => `NaN or Infinity in ${n} on large inputs: subtract each row's maximum before exponentiating (e^1000 overflows; softmax is unchanged by the shift).`)
      : hint('nan', (n) => `NaN or Infinity in ${n}: look for a division by zero, the log of 0, or exp of a large number.`);
  }
  if (comparison.problem === 'shape') {
    return transposedMatch(exp, got)
      ? hint(`transposed-${out.name}`, (n) => `${n} is transposed: it should be ${exp.rows}x${exp.cols}, the shape of the parameter it is the gradient of.`)
      : [];
  }
  if (comparison.problem !== 'value') return [];
  // a counter or class index is off by some amount, never "twice" or "N times" too large
  if (isIntegral(exp) && isIntegral(got)) {
    return offByOne(exp, got) ? hint('off-by-one', (n) => `${n} is off by one: check where the count starts and when it is incremented.`) : [];
  }
  if (isFloat32(got) && !isFloat32(exp)) {
    return hint('float32', (n) => `${n}: every value is a float32 number (a Float32Array or Math.fround somewhere), which keeps only about 7 digits: the grader compares in float64, so use Float64Array and plain numbers throughout.`);
  }
  const ratio = ratioHint(c, out, exp, got);
  if (ratio) return hint(`ratio-${out.path}`, () => ratio);
  const N = c.batch ?? 1;
  const isLoss = out.name === 'loss';
  if (scaledBy(exp, got, -1)) return hint('sign', (n) => `${n}: wrong sign, every element is the negative of the expected value.`);
  if (N > 1 && scaledBy(exp, got, N)) {
    return hint('times-n', (n) => isLoss
      ? `${n} is ${N} times too large, the batch size: the loss is the mean over the batch, so divide the sum by N.`
      : `${n}: ${N} times too large, the batch size: the loss is the mean over the batch, so its gradients carry 1/N.`);
  }
  if (N > 1 && scaledBy(exp, got, 1 / N)) return hint('over-n', (n) => `${n}: ${N} times too small, the batch size: divide by N once, not twice.`);
  if (scaledBy(exp, got, 2)) {
    return hint('twice', (n) => usesL2(c)
      ? `${n}: twice the expected value: is the 1/2 of the L2 penalty missing ((lambda/2) sum W^2 has gradient lambda W)?`
      : `${n}: twice the expected value: look for a factor 2 that should not be there.`);
  }
  if (scaledBy(exp, got, 0.5)) return hint('half', (n) => `${n}: half the expected value: is a factor 2 or a 1/2 misplaced?`);
  return [];
}
