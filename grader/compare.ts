/**
 * Compares one output with its expected value: shape first, then finiteness,
 * then value element by element against the tolerance, and names the worst
 * element so the student can find it.
 */
import { isMatrixLike, type Encoded } from './codec.js';
import type { Tolerance } from './fixtures/types.generated.js';

/** A flat view of a number, a number array or a matrix. */
export interface Numeric { rows: number; cols: number; data: ArrayLike<number>; kind: 'number' | 'vector' | 'matrix' }

export interface Worst { index: number; expected: number; got: number; relError: number }

export type Comparison =
  | { ok: true; worst: Worst | null }
  | { ok: false; problem: 'missing' | 'type' | 'shape' | 'nonfinite' | 'value'; message: string; worst: Worst | null; actual: Numeric | null };

/** Reads a value as numbers, or null when it is not numeric at all. */
export function asNumeric(v: Encoded | undefined): Numeric | null {
  if (typeof v === 'number') return { rows: 1, cols: 1, data: [v], kind: 'number' };
  if (Array.isArray(v) && v.every((x) => typeof x === 'number')) return { rows: 1, cols: v.length, data: v as number[], kind: 'vector' };
  if (isMatrixLike(v) && v.data.length === v.rows * v.cols) return { rows: v.rows, cols: v.cols, data: v.data, kind: 'matrix' };
  return null;
}

export function shapeOf(n: Numeric): string {
  if (n.kind === 'number') return 'a number';
  if (n.kind === 'vector') return `an array of ${n.cols}`;
  return `${n.rows}x${n.cols}`;
}

/** The lecture's relative error of one element, |a - b| / max(1e-8, |a| + |b|). */
export function relativeError(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(1e-8, Math.abs(a) + Math.abs(b));
}

/** "[2][3]" for a matrix element, "[5]" for an array element, "" for a number. */
export function elementName(n: Numeric, index: number): string {
  if (n.kind === 'number') return '';
  if (n.kind === 'vector') return `[${index}]`;
  return `[${Math.floor(index / n.cols)}][${index % n.cols}]`;
}

/** Worst element of two same-shaped numerics, by the tolerance's measure. */
export function worstElement(expected: Numeric, actual: Numeric, tol: Tolerance): { worst: Worst | null; within: boolean } {
  let worst: Worst | null = null;
  let worstExcess = -Infinity;
  let within = true;
  for (let i = 0; i < expected.data.length; i++) {
    const e = expected.data[i], g = actual.data[i];
    const allowed = tol.abs + tol.rel * (Math.abs(e) + Math.abs(g));
    const diff = Math.abs(g - e);
    if (!(diff <= allowed)) within = false;
    const excess = Number.isNaN(diff) ? Infinity : diff - allowed;
    if (excess > worstExcess) {
      worstExcess = excess;
      worst = { index: i, expected: e, got: g, relError: relativeError(g, e) };
    }
  }
  return { worst, within };
}

export function compare(expected: Encoded, actual: Encoded | undefined, tol: Tolerance): Comparison {
  const exp = asNumeric(expected);
  if (!exp) {
    const same = JSON.stringify(expected) === JSON.stringify(actual);
    return same ? { ok: true, worst: null } : { ok: false, problem: 'value', message: `expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`, worst: null, actual: null };
  }
  if (actual === undefined || actual === null) {
    return { ok: false, problem: 'missing', message: `expected ${shapeOf(exp)}, got nothing (${actual === null ? 'null' : 'undefined'})`, worst: null, actual: null };
  }
  const act = asNumeric(actual);
  if (!act) {
    return { ok: false, problem: 'type', message: `expected ${shapeOf(exp)}, got ${describe(actual)}`, worst: null, actual: null };
  }
  const sameShape = exp.kind === 'number' ? act.kind === 'number' : act.rows === exp.rows && act.cols === exp.cols && act.kind !== 'number';
  if (!sameShape) {
    return { ok: false, problem: 'shape', message: `wrong shape: expected ${shapeOf(exp)}, got ${shapeOf(act)}`, worst: null, actual: act };
  }
  for (let i = 0; i < act.data.length; i++) {
    if (!Number.isFinite(act.data[i]) && Number.isFinite(exp.data[i])) {
      const bad = countNonFinite(act);
      return {
        ok: false, problem: 'nonfinite',
        message: `${bad} of ${act.data.length} elements are NaN or Infinity (first at ${elementName(act, i) || 'the value'}: ${act.data[i]})`,
        worst: { index: i, expected: exp.data[i], got: act.data[i], relError: Infinity }, actual: act,
      };
    }
  }
  const { worst, within } = worstElement(exp, act, tol);
  if (within) return { ok: true, worst };
  return { ok: false, problem: 'value', message: 'wrong values', worst, actual: act };
}

function countNonFinite(n: Numeric): number {
  let c = 0;
  for (let i = 0; i < n.data.length; i++) if (!Number.isFinite(n.data[i])) c++;
  return c;
}

/** True when any number anywhere in the value (a matrix's data included) is NaN or Infinity. */
export function hasNonFinite(v: Encoded | undefined): boolean {
  if (typeof v === 'number') return !Number.isFinite(v);
  if (ArrayBuffer.isView(v)) return (v as unknown as Float64Array).some((x) => !Number.isFinite(x));
  if (Array.isArray(v)) return v.some((x) => hasNonFinite(x));
  if (v && typeof v === 'object') return Object.values(v).some((x) => hasNonFinite(x as Encoded));
  return false;
}

/** A short description of a value that is not what was expected. */
export function describe(v: Encoded | undefined): string {
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length} non-numbers`;
  if (isMatrixLike(v)) return `a ${v.rows}x${v.cols} matrix whose data holds ${v.data.length} numbers (rows x cols = ${v.rows * v.cols})`;
  if (typeof v === 'object') return `an object with keys ${Object.keys(v).slice(0, 5).join(', ') || '(none)'}`;
  return `${typeof v} ${JSON.stringify(v).slice(0, 40)}`;
}
