/**
 * The one encoding of values that crosses a boundary: fixture JSON, and the
 * messages between the grader and the student's child process. Matrices are
 * tagged objects; a seeded Random, a scalar test function and a data set are
 * described, not sent, and the receiving side builds them.
 */
import { Matrix } from '../starter/provided/matrix.js';

export interface EncodedMatrix { $type: 'matrix'; rows: number; cols: number; data: number[] | Float64Array }
export interface EncodedRandom { $type: 'random'; seed: string }
/**
 * f(x) = sum_i weights_i x_i^3 (+ (sum_i cross_i x_i)^2 when cross is given): the lecture's
 * theta^3 quiz made into a matrix function; the cross term couples the elements, so an
 * element left perturbed changes the others' gradients.
 */
export interface EncodedCubic { $type: 'cubic'; weights: EncodedMatrix; cross?: EncodedMatrix }
/** A progress callback `(epoch, history) => void` that reports back to the grader (training calls). */
export interface EncodedProgress { $type: 'progress' }
export type Encoded =
  | number | string | boolean | null
  | EncodedMatrix | EncodedRandom | EncodedCubic | EncodedProgress
  | Encoded[]
  | { [key: string]: Encoded };

/** A decoded value: what the encoding describes, built. */
export type Decoded = unknown;

/** Anything shaped like a Matrix (the student may build their own objects). */
export function isMatrixLike(v: unknown): v is { rows: number; cols: number; data: ArrayLike<number> } {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as { rows?: unknown; cols?: unknown; data?: unknown };
  return typeof m.rows === 'number' && typeof m.cols === 'number' &&
    (m.data instanceof Float64Array || m.data instanceof Float32Array || Array.isArray(m.data));
}

/**
 * A matrix as sent: plain numbers for JSON (`asArray`), else a Float64Array.
 * An existing Float64Array is sent as it is, not copied: the channel writes
 * its bytes straight from its memory (sandbox/frames.ts).
 */
export function encodeMatrix(m: { rows: number; cols: number; data: ArrayLike<number> }, asArray = false): EncodedMatrix {
  const data = asArray ? Array.from(m.data) : m.data instanceof Float64Array ? m.data : Float64Array.from(m.data);
  return { $type: 'matrix', rows: m.rows, cols: m.cols, data };
}

/** A Matrix on the received data: a Float64Array of the right length is used as it is, anything else is copied (and checked by Matrix). */
export function decodeMatrix(e: EncodedMatrix): Matrix {
  const fits = e.data instanceof Float64Array && e.data.length === e.rows * e.cols;
  return new Matrix(e.rows, e.cols, fits ? e.data as Float64Array : Float64Array.from(e.data));
}

/**
 * Encodes a return value for sending. Functions and class instances other than
 * matrices become a short description so a strange return value never breaks the channel.
 * `asArray` gives plain number arrays (JSON); otherwise Float64Array (IPC).
 */
export function encode(value: unknown, asArray = false, depth = 0): Encoded {
  if (depth > 20) return '[too deep]';
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return Number(value);
  if (isMatrixLike(value)) return encodeMatrix(value, asArray);
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    // Number() also turns a BigInt64Array's elements into numbers
    return Array.from(value as unknown as ArrayLike<number | bigint>, Number);
  }
  if (Array.isArray(value)) return value.map((v) => encode(v, asArray, depth + 1));
  if (typeof value === 'object') {
    const out: { [key: string]: Encoded } = {};
    for (const [k, v] of Object.entries(value)) {
      if (typeof v !== 'function') out[k] = encode(v, asArray, depth + 1);
    }
    return out;
  }
  return `[${typeof value}]`;
}

/** What only the receiving side can build: its own Random, and (in the child) the progress reporter. */
export interface DecodeMakers {
  random: (seed: string) => unknown;
  progress?: () => (epoch: number, history: unknown) => void;
}

/**
 * Builds the runtime objects a tagged value describes; `random` and `progress`
 * need the receiver's makers. Matrices use the received Float64Arrays; one that
 * appears twice (an encoded value built in memory can share one) is copied the second
 * time, so changing one matrix never changes another.
 */
export function decode(value: Encoded, make: DecodeMakers, used = new Set<ArrayLike<number>>()): Decoded {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => decode(v, make, used));
  const matrix = (e: EncodedMatrix) => {
    const fresh = used.has(e.data) ? { ...e, data: Float64Array.from(e.data) } : e;
    used.add(e.data);
    return decodeMatrix(fresh);
  };
  if ('$type' in value) {
    switch (value.$type) {
      case 'matrix': return matrix(value as EncodedMatrix);
      case 'random': return make.random((value as EncodedRandom).seed);
      case 'cubic': {
        const w = matrix((value as EncodedCubic).weights);
        const cross = (value as EncodedCubic).cross;
        const v = cross ? matrix(cross) : null;
        return (x: Matrix) => {
          let s = 0;
          for (let i = 0; i < w.data.length; i++) s += w.data[i] * x.data[i] ** 3;
          if (v) {
            let t = 0;
            for (let i = 0; i < v.data.length; i++) t += v.data[i] * x.data[i];
            s += t * t;
          }
          return s;
        };
      }
      case 'progress': {
        if (!make.progress) throw new Error("a '$type: progress' value can only be decoded in the grading child process");
        return make.progress();
      }
    }
  }
  const out: Record<string, Decoded> = {};
  for (const [k, v] of Object.entries(value)) out[k] = decode(v as Encoded, make, used);
  return out;
}
