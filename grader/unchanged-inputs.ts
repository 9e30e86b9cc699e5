/**
 * "Do not modify the inputs": a copy of a call's arguments taken before the
 * call, and the first difference after it, as one line for the student. Used
 * by the sandbox child after every call and by the fixture builder, which runs
 * the same calls in-process, so both judge a submission alike.
 *
 * Matrices, number arrays, plain objects and arrays of them are compared bit
 * for bit (Object.is per number: NaN stays NaN, -0 stays -0). Functions (a
 * gradient check's f, a progress callback) and class instances other than
 * matrices (the seeded Random, which is meant to be drawn from) are not copied.
 */
import { isMatrixLike } from './codec.js';

type Snapshot =
  | { kind: 'matrix'; rows: number; cols: number; data: Float64Array }
  | { kind: 'numbers'; values: number[] }
  | { kind: 'array'; items: Snapshot[] }
  | { kind: 'object'; entries: Map<string, Snapshot> }
  | { kind: 'value'; value: unknown }
  | { kind: 'free' };

/** The arguments of one call as they were before it. */
export interface InputsSnapshot { args: Snapshot[] }

/**
 * Functions whose contract lets them change an input while they run and put it back (a gradient
 * check perturbs x), with what the student is told when it was not put back. Putting it back by
 * arithmetic (x += eps, -= 2 eps, += eps) may round in the last bits: that is not the bug the
 * rule is about, so for these a number may differ by RESTORE_ROUNDING relative (an eps left
 * behind, 1e-5 or even 1e-8, is far above it).
 */
const RESTORE_ADVICE: Readonly<Record<string, string>> = {
  numericalGradient: 'put each element back as it was (const old = x.data[i]; ...; x.data[i] = old)',
};
const RESTORE_ROUNDING = 1e-12;

/** Whether a restored number is the one that was there: bit for bit, or within rounding where the contract allows a restore. */
type Same = (before: number, after: number) => boolean;
const bitwise: Same = (a, b) => Object.is(a, b);
const restored: Same = (a, b) => Object.is(a, b) || Math.abs(a - b) <= RESTORE_ROUNDING * Math.max(1, Math.abs(a));

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

function snapshot(v: unknown): Snapshot {
  if (typeof v === 'function') return { kind: 'free' };
  if (typeof v !== 'object' || v === null) return { kind: 'value', value: v };
  if (isMatrixLike(v)) return { kind: 'matrix', rows: v.rows, cols: v.cols, data: v.data instanceof Float64Array ? v.data.slice() : Float64Array.from(v.data) };
  if (Array.isArray(v)) {
    return v.every((x) => typeof x === 'number')
      ? { kind: 'numbers', values: v.slice() as number[] }
      : { kind: 'array', items: v.map(snapshot) };
  }
  if (!isPlainObject(v)) return { kind: 'free' };
  return { kind: 'object', entries: new Map(Object.entries(v).map(([k, x]) => [k, snapshot(x)])) };
}

/** Copies every argument a graded call must leave unchanged; take it just before the call. */
export function snapshotInputs(args: readonly unknown[]): InputsSnapshot {
  return { args: args.map(snapshot) };
}

/** A number as the student would print it, with -0 kept apart from 0. */
function show(v: unknown): string {
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  return String(v);
}

/** "a 784x500 Matrix", "5 numbers", "an object": what a snapshot held. */
function describe(s: Snapshot): string {
  switch (s.kind) {
    case 'matrix': return `a ${s.rows}x${s.cols} Matrix`;
    case 'numbers': return `${s.values.length} numbers`;
    case 'array': return `an array of ${s.items.length}`;
    case 'object': return 'an object';
    case 'value': return typeof s.value === 'number' ? 'a number' : show(s.value);
    case 'free': return 'not compared';
  }
}

/** What changed inside one argument: where (its path, e.g. params.W[1]), what was there, and how it changed. */
interface Change { path: string; what: Snapshot; detail: string }

/** The bytes of a Float64Array, to compare whole matrices at memcmp speed. */
const bytes = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** First index where two number sequences differ, or -1. */
function firstDifference(before: ArrayLike<number>, after: ArrayLike<number>, same: Same): number {
  // equal bytes are equal numbers: the common case, a matrix left alone, costs one memcmp
  if (before instanceof Float64Array && after instanceof Float64Array && bytes(before).equals(bytes(after))) return -1;
  for (let i = 0; i < before.length; i++) if (!same(before[i], after[i])) return i;
  return -1;
}

function numbersOf(v: unknown): ArrayLike<number> | undefined {
  if (Array.isArray(v) || v instanceof Float64Array || v instanceof Float32Array) return v as ArrayLike<number>;
  return undefined;
}

function change(s: Snapshot, now: unknown, path: string, same: Same): Change | null {
  switch (s.kind) {
    case 'free': return null;
    case 'value':
      return Object.is(s.value, now) ? null : { path, what: s, detail: `changed: ${show(s.value)} -> ${typeof now === 'object' && now !== null ? 'an object' : show(now)}` };
    case 'matrix': {
      if (!isMatrixLike(now)) return { path, what: s, detail: 'is no longer a Matrix' };
      if (now.rows !== s.rows || now.cols !== s.cols || now.data.length !== s.data.length) {
        return { path, what: s, detail: `changed shape: ${s.rows}x${s.cols} -> ${now.rows}x${now.cols} (${now.data.length} numbers)` };
      }
      const i = firstDifference(s.data, now.data, same);
      if (i < 0) return null;
      return { path, what: s, detail: `changed at ${path}[${Math.floor(i / s.cols)}][${i % s.cols}]: ${show(s.data[i])} -> ${show(now.data[i])}` };
    }
    case 'numbers': {
      const values = numbersOf(now);
      if (!values) return { path, what: s, detail: 'is no longer an array' };
      if (values.length !== s.values.length) return { path, what: s, detail: `changed length: ${s.values.length} -> ${values.length}` };
      const i = firstDifference(s.values, values, same);
      return i < 0 ? null : { path, what: s, detail: `changed at ${path}[${i}]: ${show(s.values[i])} -> ${show(values[i])}` };
    }
    case 'array': {
      if (!Array.isArray(now)) return { path, what: s, detail: 'is no longer an array' };
      if (now.length !== s.items.length) return { path, what: s, detail: `changed length: ${s.items.length} -> ${now.length}` };
      for (let i = 0; i < s.items.length; i++) {
        const c = change(s.items[i], now[i], `${path}[${i}]`, same);
        if (c) return c;
      }
      return null;
    }
    case 'object': {
      if (typeof now !== 'object' || now === null) return { path, what: s, detail: `changed to ${show(now)}` };
      const keys = Object.keys(now);
      const gained = keys.find((k) => !s.entries.has(k));
      if (gained !== undefined) return { path, what: s, detail: `gained the key ${gained}` };
      for (const [k, inner] of s.entries) {
        if (!Object.prototype.hasOwnProperty.call(now, k)) return { path, what: s, detail: `lost the key ${k}` };
        const c = change(inner, (now as Record<string, unknown>)[k], `${path}.${k}`, same);
        if (c) return c;
      }
      return null;
    }
  }
}

/** How not to change what changed; a number or string inside an object or array is changed through its holder. */
function advice(fn: string, what: Snapshot, path: string): string {
  const own = RESTORE_ADVICE[fn];
  if (own) return own;
  if (what.kind === 'matrix') return `work on a copy (${path}.clone())`;
  if (what.kind === 'value') {
    const cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
    if (cut > 0) return path[cut] === '.' ? `return a new object ({ ...${path.slice(0, cut)}, ... })` : `work on a copy ([...${path.slice(0, cut)}])`;
  }
  if (what.kind === 'object') return `return a new object ({ ...${path}, ... })`;
  return `work on a copy ([...${path}])`;
}

/**
 * The first argument that differs from its snapshot, as
 * "modified its input: argument 2 (W, a 784x500 Matrix) changed at W[3][7]: 0.0123 -> 0; work on a copy (W.clone())",
 * or null when every argument is as it was. `names` are the parameter names (from the fixture) where known.
 */
export function inputChange(fn: string, before: InputsSnapshot, args: readonly unknown[], names: readonly string[] = []): string | null {
  for (let i = 0; i < before.args.length; i++) {
    const name = names[i] ?? `arg${i + 1}`;
    let c: Change | null;
    try {
      c = change(before.args[i], args[i], name, fn in RESTORE_ADVICE ? restored : bitwise);
    } catch (e) {
      c = { path: name, what: before.args[i], detail: `can no longer be read (${e instanceof Error ? e.message : String(e)})` };
    }
    if (!c) continue;
    const label = names[i] === undefined ? describe(c.what) : `${c.path}, ${describe(c.what)}`;
    return `modified its input: argument ${i + 1} (${label}) ${c.detail}; ${advice(fn, c.what, c.path)}`;
  }
  return null;
}
