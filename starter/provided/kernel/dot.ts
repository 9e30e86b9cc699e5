/**
 * PROVIDED HELPER: do not edit.
 *
 * The dense matmul kernel: WebAssembly SIMD (dot.wat, embedded in
 * dot-wasm.ts) for products big enough to pay for packing the operands into
 * its memory (skipping the zero columns of a mostly-zero left operand), the
 * JavaScript kernel otherwise. Both sum each output in the same order, so the
 * bits are the same whichever runs.
 */
import { dotKernelJs } from './dot-js.js';
import { DOT_WASM_BASE64 } from './dot-wasm.js';

/** Below this many multiply-adds (n * k * m) the call and copies cost more than SIMD saves (measured: JavaScript wins at 2x2x2, SIMD from 4x4x4). */
export const WASM_MIN_WORK = 64;

/** The exports of dot.wat: its memory, packing, the dense and the zero-skipping products (byte addresses, see dot.wat). */
export interface WasmKernel {
  memory: WebAssembly.Memory;
  matmul: (Ap: number, Bp: number, C: number, np: number, k: number, mp: number, kc: number, m: number) => void;
  /** n rows of A from src (ld values apart) packed, compressed and multiplied by B packed by packCols8 (mp panels). */
  sparseRows: (src: number, ld: number, trans: number, Ap: number, idx: number, Bp: number, C: number, n: number, k: number, mp: number, m: number) => void;
  /** Returns 1 when all the values packed are finite. */
  pack: (src: number, dst: number, rows: number, k: number, trans: number) => number;
  /** Returns 1 when all the values packed are finite. */
  packCols8: (src: number, dst: number, k: number, m: number, trans: number) => number;
}

/**
 * From this share of zeros in A (judged on a sample) the sparse path runs: MNIST
 * digits are about 81% zeros, and 2-row panels of them leave 71% of the p all zero
 * in the forward product. Half zeros spread at random still leave a quarter of
 * the p zero, and a kept p costs an index load more than in the dense kernel.
 */
export const SPARSE_MIN_ZEROS = 0.5;

/**
 * Below this many columns of B the dense kernel runs whatever A holds: packing A
 * a second time and compressing it costs as much as a product this narrow (the
 * 10 classes of a last layer).
 */
export const SPARSE_MIN_COLUMNS = 16;

const PAGE = 65536;
/** Longest inner-index block of the WebAssembly kernel: a 4-column panel of B over KC values of p is 16 KiB, so it stays in L1. */
export const KC = 512;

/** The block length for inner size k: k cut into equal blocks of at most KC (784 = 2 x 392, not 512 + 272). */
export function blockLength(k: number): number {
  return Math.ceil(k / Math.ceil(k / KC));
}
/** The module's own instance; undefined: not tried yet; null: no usable WebAssembly SIMD here. */
let own: WasmKernel | null | undefined;
/** A kernel put in its place by useKernel (one shared with a second thread), if any. */
let chosen: WasmKernel | undefined;

/**
 * Compiles the embedded module once; null where WebAssembly or its SIMD is
 * unavailable, or its memory cannot be reserved (a tight address-space limit,
 * as in the grader's sandbox under prlimit).
 */
function wasmKernel(): WasmKernel | null {
  if (chosen) return chosen;
  if (own !== undefined) return own;
  own = null;
  try {
    const bytes = Uint8Array.from(atob(DOT_WASM_BASE64), (c) => c.charCodeAt(0));
    if (typeof WebAssembly === 'object' && WebAssembly.validate(bytes)) {
      const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports;
      own = kernelOf(exports, exports.memory as WebAssembly.Memory);
    }
  } catch {
    own = null; // the JavaScript kernel does the work, with the same bits
  }
  return own;
}

/** The kernel's functions from an instance of dot.wat over this memory (its own, or one shared with a worker). */
export function kernelOf(exports: WebAssembly.Exports, memory: WebAssembly.Memory): WasmKernel {
  const { matmul, sparseRows, pack, packCols8 } = exports as unknown as Omit<WasmKernel, 'memory'>;
  return { memory, matmul, sparseRows, pack, packCols8 };
}

/**
 * Makes denseMatmul run on this kernel, e.g. one that shares its memory with a
 * second thread (parent-side commands only: see cli/kernel-threads.ts); undefined
 * goes back to the module's own single-threaded instance, compiled once (a fresh
 * compile would run its first products on V8's baseline code).
 */
export function useKernel(k: WasmKernel | undefined): void {
  chosen = k;
}

/**
 * True when denseMatmul runs this much work (n * k * m) on SIMD, which then beats
 * even the sparse path on mostly-zero inputs (200 MNIST digits times 784x500: 28 ms against 44).
 */
export function simdDense(work: number): boolean {
  return work >= WASM_MIN_WORK && wasmKernel() !== null;
}

/**
 * C = op(A) op(B) for op(A) n x k, op(B) k x m and C n x m, all row-major: a is A
 * (n x k) or, when transA, A^T (k x n); b is B (k x m) or, when transB, B^T (m x k).
 */
export function denseMatmul(
  a: Float64Array, transA: boolean, b: Float64Array, transB: boolean, C: Float64Array, n: number, k: number, m: number,
): void {
  if (simdDense(n * k * m) && matmulWasm(a, transA, b, transB, C, n, k, m)) return;
  dotKernelJs(transA ? transposed(a, k, n) : a, transB ? b : transposed(b, k, m), C, n, k, m);
}

/**
 * The same product on the SIMD kernel whatever the size (tests use it on tiny shapes):
 * packs op(A) and op(B) into the module's memory (growing it when needed), runs it, copies C out.
 * False, with C untouched, where WebAssembly SIMD is missing or its memory cannot grow.
 */
export function matmulWasm(
  a: Float64Array, transA: boolean, b: Float64Array, transB: boolean, C: Float64Array, n: number, k: number, m: number,
): boolean {
  const wasm = wasmKernel();
  const np = Math.ceil(n / 4), mp = Math.ceil(m / 4), mp8 = Math.ceil(m / 8);
  // float64 offsets: packed A (4-row panels, or the 2-row panels of the sparse path), packed B
  // (4- or 8-column panels), C (4 np rows of m, and the dense kernel's slack of 3), the operands
  // as given, then (int32) the lists of kept columns of a compressed A
  const ap = 0, bp = np * 4 * k, c = bp + mp8 * 8 * k, rawA = c + np * 4 * m + 3, rawB = rawA + a.length, idx = rawB + b.length;
  const bytes = idx * 8 + Math.ceil(n / 2) * (k + 1) * 4;
  if (!wasm || bytes > 2 ** 31) return false;
  const have = wasm.memory.buffer.byteLength;
  if (bytes > have) {
    try {
      wasm.memory.grow(Math.ceil((bytes - have) / PAGE));
    } catch {
      return false; // out of address space: the JavaScript kernel needs no extra memory
    }
  }
  if (k === 0) {
    C.fill(0);
    return true;
  }
  const heap = new Float64Array(wasm.memory.buffer);
  heap.set(a, rawA);
  heap.set(b, rawB);
  // skipping a zero of A drops 0 * B[p][j], which is NaN, not 0, where B holds an infinity or NaN
  if (m >= SPARSE_MIN_COLUMNS && mostlyZero(a) && wasm.packCols8(rawB * 8, bp * 8, k, m, transB ? 1 : 0) === 1) {
    wasm.sparseRows(rawA * 8, transA ? n : k, transA ? 1 : 0, ap * 8, idx * 8, bp * 8, c * 8, n, k, mp8, m);
  } else {
    heap.fill(0, bp - 4 * k, bp); // the last panels' padding (rows of A, columns of B) is read but never stored
    heap.fill(0, bp + mp * 4 * k - 4 * k, bp + mp * 4 * k);
    wasm.pack(rawA * 8, ap * 8, n, k, transA ? 1 : 0);
    wasm.pack(rawB * 8, bp * 8, m, k, transB ? 0 : 1);
    wasm.matmul(ap * 8, bp * 8, c * 8, np, k, mp, blockLength(k), m);
  }
  C.set(heap.subarray(c, c + n * m)); // the kernels store C's rows whole, without padding columns
  return true;
}

/** True when at least SPARSE_MIN_ZEROS of a's values are zero, judged on about 512 of them (it only picks a path: both give the same bits). */
function mostlyZero(a: Float64Array): boolean {
  const step = Math.max(1, Math.floor(a.length / 512));
  let zeros = 0, seen = 0;
  for (let i = 0; i < a.length; i += step, seen++) if (a[i] === 0) zeros++;
  return zeros >= SPARSE_MIN_ZEROS * seen;
}

/** The rows x cols matrix in data, transposed (cols x rows). */
function transposed(data: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(data.length);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) out[j * rows + i] = data[i * cols + j];
  }
  return out;
}
