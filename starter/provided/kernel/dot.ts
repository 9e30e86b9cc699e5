/**
 * PROVIDED HELPER: do not edit.
 *
 * The dense matmul kernel: WebAssembly SIMD (dot.wat, embedded in
 * dot-wasm.ts) for products big enough to pay for copying the operands into
 * its memory, the JavaScript kernel otherwise. Both sum each output in the
 * same order, so the bits are the same whichever runs.
 */
import { dotKernelJs } from './dot-js.js';
import { DOT_WASM_BASE64 } from './dot-wasm.js';

/** Below this many multiply-adds (n * k * m) the call and copies cost more than SIMD saves (measured: JavaScript wins at 2x2x2, SIMD from 4x4x4). */
export const WASM_MIN_WORK = 64;

interface WasmKernel {
  memory: WebAssembly.Memory;
  matmul: (A: number, B: number, C: number, n: number, k: number, m: number) => void;
}

const PAGE = 65536;
/** undefined: not tried yet; null: no usable WebAssembly SIMD here. */
let kernel: WasmKernel | null | undefined;

/**
 * Compiles the embedded module once; null where WebAssembly or its SIMD is
 * unavailable, or its memory cannot be reserved (a tight address-space limit,
 * as in the grader's sandbox under prlimit).
 */
function wasmKernel(): WasmKernel | null {
  if (kernel !== undefined) return kernel;
  kernel = null;
  try {
    const bytes = Uint8Array.from(atob(DOT_WASM_BASE64), (c) => c.charCodeAt(0));
    if (typeof WebAssembly === 'object' && WebAssembly.validate(bytes)) {
      const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports;
      kernel = { memory: exports.memory as WebAssembly.Memory, matmul: exports.matmul as WasmKernel['matmul'] };
    }
  } catch {
    kernel = null; // the JavaScript kernel does the work, with the same bits
  }
  return kernel;
}

/**
 * True when denseMatmul runs this much work (n * k * m) on SIMD, which then beats
 * even the sparse path on mostly-zero inputs (200 MNIST digits times 784x500: 28 ms against 44).
 */
export function simdDense(work: number): boolean {
  return work >= WASM_MIN_WORK && wasmKernel() !== null;
}

/** C = A op(B) for A n x k and C n x m; b is B (k x m) or, when transB, B^T (m x k); all row-major. */
export function denseMatmul(A: Float64Array, b: Float64Array, transB: boolean, C: Float64Array, n: number, k: number, m: number): void {
  if (simdDense(n * k * m) && matmulWasm(A, b, transB, C, n, k, m)) return;
  dotKernelJs(A, transB ? b : transposed(b, k, m), C, n, k, m);
}

/**
 * The same product on the SIMD kernel whatever the size (tests use it on tiny shapes):
 * copies A and B into the module's memory (growing it when needed), runs it, copies C out.
 * False, with C untouched, where WebAssembly SIMD is missing or its memory cannot grow.
 */
export function matmulWasm(A: Float64Array, b: Float64Array, transB: boolean, C: Float64Array, n: number, k: number, m: number): boolean {
  const wasm = wasmKernel();
  const bytes = (A.length + b.length + C.length) * 8;
  if (!wasm || bytes > 2 ** 31) return false;
  const have = wasm.memory.buffer.byteLength;
  if (bytes > have) {
    try {
      wasm.memory.grow(Math.ceil((bytes - have) / PAGE));
    } catch {
      return false; // out of address space: the JavaScript kernel needs no extra memory
    }
  }
  const heap = new Float64Array(wasm.memory.buffer);
  heap.set(A, 0);
  const at = A.length;
  if (transB) {
    for (let j = 0; j < m; j++) {
      for (let p = 0; p < k; p++) heap[at + p * m + j] = b[j * k + p];
    }
  } else {
    heap.set(b, at);
  }
  const c = at + b.length;
  wasm.matmul(0, at * 8, c * 8, n, k, m);
  C.set(heap.subarray(c, c + C.length));
  return true;
}

/** The rows x cols matrix in data, transposed (cols x rows). */
function transposed(data: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(data.length);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) out[j * rows + i] = data[i * cols + j];
  }
  return out;
}
