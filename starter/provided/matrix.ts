/**
 * PROVIDED HELPER: do not edit. The grader always uses its own copy of this file.
 *
 * A dense row-major matrix of float64 numbers and the few operations a forward
 * and backward pass need. Element (i, j) lives at data[i * cols + j].
 */
import { denseMatmul, simdDense } from './kernel/dot.js';

/** Thrown for shape mismatches, so a message names both shapes. */
export class ShapeError extends Error {
  override name = 'ShapeError';
}

export class Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;

  constructor(rows: number, cols: number, data?: Float64Array) {
    if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
      throw new ShapeError(`Matrix: invalid shape ${rows}x${cols}`);
    }
    if (data && data.length !== rows * cols) {
      throw new ShapeError(`Matrix: ${rows}x${cols} needs ${rows * cols} numbers, got ${data.length}`);
    }
    this.rows = rows;
    this.cols = cols;
    this.data = data ?? new Float64Array(rows * cols);
  }

  /** "200x784", the form every error message uses. */
  get shape(): string {
    return `${this.rows}x${this.cols}`;
  }

  static zeros(rows: number, cols: number): Matrix {
    return new Matrix(rows, cols);
  }

  static filled(rows: number, cols: number, value: number): Matrix {
    return new Matrix(rows, cols, new Float64Array(rows * cols).fill(value));
  }

  /** Builds a matrix from nested arrays (one inner array per row). */
  static fromRows(rows: readonly (readonly number[])[]): Matrix {
    const r = rows.length;
    const c = r === 0 ? 0 : rows[0].length;
    const m = new Matrix(r, c);
    for (let i = 0; i < r; i++) {
      if (rows[i].length !== c) throw new ShapeError(`Matrix.fromRows: row ${i} has ${rows[i].length} numbers, row 0 has ${c}`);
      m.data.set(rows[i], i * c);
    }
    return m;
  }

  get(i: number, j: number): number {
    return this.data[i * this.cols + j];
  }

  set(i: number, j: number, value: number): void {
    this.data[i * this.cols + j] = value;
  }

  /** Row i as a 1 x cols matrix (a copy). */
  row(i: number): Matrix {
    return new Matrix(1, this.cols, this.data.slice(i * this.cols, (i + 1) * this.cols));
  }

  /** The rows at the given indices, in that order (used to build mini-batches). */
  pickRows(indices: ArrayLike<number>): Matrix {
    const out = new Matrix(indices.length, this.cols);
    for (let k = 0; k < indices.length; k++) {
      const i = indices[k];
      out.data.set(this.data.subarray(i * this.cols, (i + 1) * this.cols), k * this.cols);
    }
    return out;
  }

  clone(): Matrix {
    return new Matrix(this.rows, this.cols, this.data.slice());
  }

  toRows(): number[][] {
    const out: number[][] = [];
    for (let i = 0; i < this.rows; i++) out.push(Array.from(this.data.subarray(i * this.cols, (i + 1) * this.cols)));
    return out;
  }

  transpose(): Matrix {
    const out = new Matrix(this.cols, this.rows);
    for (let i = 0; i < this.rows; i++) {
      for (let j = 0; j < this.cols; j++) out.data[j * this.rows + i] = this.data[i * this.cols + j];
    }
    return out;
  }
}

function sameShape(op: string, a: Matrix, b: Matrix): void {
  if (a.rows !== b.rows || a.cols !== b.cols) {
    throw new ShapeError(`${op}: shapes ${a.shape} and ${b.shape} differ`);
  }
}

/**
 * C = op(A) op(B), where op transposes when the flag is set.
 * Dense inputs (kernel/dot.ts): WebAssembly SIMD computes 4x4 tiles of outputs
 * from operands packed into panels (transposes are read there, never copied
 * here), or, for small products and where it is missing, JavaScript 2x4 blocks
 * of dot products of contiguous rows. Each output is summed over the inner index
 * in order either way, so the bits never depend on which kernel ran.
 * Mostly-zero left operands (pixels of MNIST digits) skip most of the work: the
 * SIMD kernel takes A 2 rows at a time (2x8 tiles) and leaves out the inner indices
 * where both are zero (only when B is finite, so the bits stay the dense ones), and without SIMD rows
 * of B are added only for the non-zero entries of A, which gives the same bits as
 * the dense kernels unless B holds an infinity or NaN that meets a zero of A
 * (0 * Infinity is NaN in a dense sum, skipped there).
 */
export function matmul(a: Matrix, b: Matrix, transA = false, transB = false): Matrix {
  const n = transA ? a.cols : a.rows;
  const ka = transA ? a.rows : a.cols;
  const kb = transB ? b.cols : b.rows;
  const m = transB ? b.rows : b.cols;
  if (ka !== kb) {
    const na = transA ? `${a.shape}^T` : a.shape;
    const nb = transB ? `${b.shape}^T` : b.shape;
    throw new ShapeError(`matmul: ${na} times ${nb}: inner dimensions ${ka} and ${kb} differ`);
  }
  const out = new Matrix(n, m);
  if (!simdDense(n * ka * m) && zeroFraction(a.data) > 0.5) {
    sparseKernel(transA ? a.transpose().data : a.data, transB ? b.transpose().data : b.data, out.data, n, ka, m);
  } else {
    denseMatmul(a.data, transA, b.data, transB, out.data, n, ka, m);
  }
  return out;
}

function zeroFraction(A: Float64Array): number {
  let zeros = 0;
  for (let i = 0; i < A.length; i++) if (A[i] === 0) zeros++;
  return A.length ? zeros / A.length : 0;
}

/** C row i = sum over non-zero A[i][p] of A[i][p] * (B row p), for A n x k and B k x m. */
function sparseKernel(A: Float64Array, B: Float64Array, C: Float64Array, n: number, k: number, m: number): void {
  for (let i = 0; i < n; i++) {
    const ci = i * m;
    for (let p = 0; p < k; p++) {
      const aip = A[i * k + p];
      if (aip === 0) continue;
      const bp = p * m;
      for (let j = 0; j < m; j++) C[ci + j] += aip * B[bp + j];
    }
  }
}

/** X + b, where b is a 1 x cols row vector added to every row (the bias). */
export function addRowVector(x: Matrix, b: Matrix): Matrix {
  if (b.rows !== 1 || b.cols !== x.cols) {
    throw new ShapeError(`addRowVector: ${x.shape} plus ${b.shape}: the row vector must be 1x${x.cols}`);
  }
  const out = new Matrix(x.rows, x.cols);
  const o = out.data, xd = x.data, bd = b.data, c = x.cols;
  for (let r = 0; r < xd.length; r += c) {
    for (let j = 0; j < c; j++) o[r + j] = xd[r + j] + bd[j];
  }
  return out;
}

/** Column sums as a 1 x cols matrix (db = sum over the batch). */
export function sumRows(x: Matrix): Matrix {
  const out = new Matrix(1, x.cols);
  const o = out.data, xd = x.data, c = x.cols;
  for (let r = 0; r < xd.length; r += c) {
    for (let j = 0; j < c; j++) o[j] += xd[r + j];
  }
  return out;
}

/** Applies f to every element. */
export function map(x: Matrix, f: (v: number) => number): Matrix {
  const out = new Matrix(x.rows, x.cols);
  const o = out.data, xd = x.data;
  for (let i = 0; i < xd.length; i++) o[i] = f(xd[i]);
  return out;
}

/** Combines two same-shaped matrices element by element. */
export function zip(a: Matrix, b: Matrix, f: (x: number, y: number) => number): Matrix {
  sameShape('zip', a, b);
  const out = new Matrix(a.rows, a.cols);
  const o = out.data, ad = a.data, bd = b.data;
  for (let i = 0; i < ad.length; i++) o[i] = f(ad[i], bd[i]);
  return out;
}

export function add(a: Matrix, b: Matrix): Matrix {
  sameShape('add', a, b);
  const out = new Matrix(a.rows, a.cols);
  for (let i = 0; i < a.data.length; i++) out.data[i] = a.data[i] + b.data[i];
  return out;
}

export function sub(a: Matrix, b: Matrix): Matrix {
  sameShape('sub', a, b);
  const out = new Matrix(a.rows, a.cols);
  for (let i = 0; i < a.data.length; i++) out.data[i] = a.data[i] - b.data[i];
  return out;
}

/** Element-wise (Hadamard) product, the "o" of the lecture. */
export function mul(a: Matrix, b: Matrix): Matrix {
  sameShape('mul', a, b);
  const out = new Matrix(a.rows, a.cols);
  for (let i = 0; i < a.data.length; i++) out.data[i] = a.data[i] * b.data[i];
  return out;
}

export function scale(a: Matrix, s: number): Matrix {
  const out = new Matrix(a.rows, a.cols);
  for (let i = 0; i < a.data.length; i++) out.data[i] = a.data[i] * s;
  return out;
}

/** Sum of all elements. */
export function sumAll(a: Matrix): number {
  let s = 0;
  for (let i = 0; i < a.data.length; i++) s += a.data[i];
  return s;
}

/** Index of the largest element of each row (the predicted class). */
export function argmaxRows(x: Matrix): number[] {
  const out: number[] = new Array(x.rows);
  for (let i = 0; i < x.rows; i++) {
    let best = 0;
    let bestValue = -Infinity;
    for (let j = 0; j < x.cols; j++) {
      const v = x.data[i * x.cols + j];
      if (v > bestValue) {
        bestValue = v;
        best = j;
      }
    }
    out[i] = best;
  }
  return out;
}

/** N x C matrix with a 1 at (n, y[n]). */
export function oneHot(y: readonly number[], classes: number): Matrix {
  const out = new Matrix(y.length, classes);
  for (let n = 0; n < y.length; n++) {
    const k = y[n];
    if (!Number.isInteger(k) || k < 0 || k >= classes) {
      throw new RangeError(`oneHot: label ${k} at index ${n} is not a class index in 0..${classes - 1}`);
    }
    out.data[n * classes + k] = 1;
  }
  return out;
}
