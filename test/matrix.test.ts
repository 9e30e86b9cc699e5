import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { Matrix, matmul } from '../starter/provided/matrix.js';
import { Random } from '../starter/provided/random.js';
import { denseMatmul, KC, kernelOf, matmulWasm, SPARSE_MIN_COLUMNS, useKernel, WASM_MIN_WORK } from '../starter/provided/kernel/dot.js';
import { DOT_WASM_BASE64 } from '../starter/provided/kernel/dot-wasm.js';
import { dotKernelJs } from '../starter/provided/kernel/dot-js.js';
import { GENERATED_PATH, WAT_PATH, generatedSource } from '../scripts/build-kernel.js';

function randomData(rng: Random, length: number, zeros = 0): Float64Array {
  const d = new Float64Array(length);
  for (let i = 0; i < length; i++) d[i] = rng.uniform() < zeros ? 0 : rng.normal();
  return d;
}

function randomMatrix(rng: Random, rows: number, cols: number, zeros = 0): Matrix {
  return new Matrix(rows, cols, randomData(rng, rows * cols, zeros));
}

/** op(A) op(B) by the textbook triple loop, with the scale sum |a b| of each element for a fair relative error. */
function naive(a: Matrix, b: Matrix, transA: boolean, transB: boolean): { value: Matrix; scale: Matrix } {
  const A = transA ? a.transpose() : a;
  const B = transB ? b.transpose() : b;
  const value = new Matrix(A.rows, B.cols);
  const scale = new Matrix(A.rows, B.cols);
  for (let i = 0; i < A.rows; i++) {
    for (let j = 0; j < B.cols; j++) {
      let s = 0, t = 0;
      for (let p = 0; p < A.cols; p++) {
        s += A.get(i, p) * B.get(p, j);
        t += Math.abs(A.get(i, p) * B.get(p, j));
      }
      value.set(i, j, s);
      scale.set(i, j, t);
    }
  }
  return { value, scale };
}

/** Largest |got - want| / sum |a b| over the elements (0 where both are exactly 0). */
function worstRelative(got: Matrix, want: { value: Matrix; scale: Matrix }): number {
  expect(got.shape).toBe(want.value.shape);
  let worst = 0;
  for (let i = 0; i < got.data.length; i++) {
    const err = Math.abs(got.data[i] - want.value.data[i]);
    if (err > 0) worst = Math.max(worst, err / want.scale.data[i]);
  }
  return worst;
}

function sameBits(a: Float64Array, b: Float64Array): boolean {
  return a.length === b.length && a.every((x, i) => Object.is(x, b[i]));
}

const FLAGS = [[false, false], [true, false], [false, true], [true, true]] as const;

describe('dense kernels', () => {
  it('the WebAssembly SIMD kernel runs here and gives the JavaScript kernel\'s bits on every shape 1..9 and all four transpose flags', () => {
    const rng = new Random('kernels');
    for (let n = 1; n <= 9; n++) {
      for (let k = 1; k <= 9; k++) {
        for (let m = 1; m <= 9; m++) {
          const A = randomMatrix(rng, n, k), BT = randomMatrix(rng, m, k);
          const js = new Float64Array(n * m).fill(NaN);
          dotKernelJs(A.data, BT.data, js, n, k, m);
          for (const [transA, transB] of FLAGS) {
            const wasm = new Float64Array(n * m).fill(NaN);
            const a = transA ? A.transpose() : A, b = transB ? BT : BT.transpose();
            expect(matmulWasm(a.data, transA, b.data, transB, wasm, n, k, m)).toBe(true);
            if (!sameBits(js, wasm)) throw new Error(`${n}x${k} by ${k}x${m} (transA ${transA}, transB ${transB}): kernels differ`);
          }
        }
      }
    }
  });

  it('gives the JavaScript kernel\'s bits on large and ragged shapes, the MNIST ones, and inner sizes that span several p blocks, with 1 to 4 columns in the last panel', () => {
    const rng = new Random('kernels-large');
    const shapes: [number, number, number][] = [
      [200, 784, 500], [200, 500, 10], [500, 200, 10], [200, 10, 500], [784, 200, 500],
      [5, KC, 3], [7, KC + 1, 6], [13, 2 * KC + 3, 9], [1, 3 * KC - 1, 1], [33, 1, 65], [6, KC + 5, 7], [9, 2 * KC + 1, 4],
    ];
    for (let s = 0; s < 12; s++) shapes.push([1 + rng.int(70), 1 + rng.int(600), 1 + rng.int(70)]);
    for (const [n, k, m] of shapes) {
      // half the left operands mostly zero, like MNIST pixels
      const A = randomMatrix(rng, n, k, n % 2 ? 0.8 : 0), BT = randomMatrix(rng, m, k);
      const js = new Float64Array(n * m);
      dotKernelJs(A.data, BT.data, js, n, k, m);
      const [transA, transB] = FLAGS[(n + m) % 4];
      const wasm = new Float64Array(n * m);
      const a = transA ? A.transpose() : A, b = transB ? BT : BT.transpose();
      expect(matmulWasm(a.data, transA, b.data, transB, wasm, n, k, m)).toBe(true);
      if (!sameBits(js, wasm)) throw new Error(`${n}x${k} by ${k}x${m} (transA ${transA}, transB ${transB}): kernels differ`);
    }
  });

  it('skipping the zero columns of a mostly-zero A keeps the dense bits: -0 and NaN in A, an infinity or NaN in B (then nothing is skipped)', () => {
    const rng = new Random('kernels-sparse');
    for (const [n, k, m] of [[200, 784, 500], [37, 300, 14], [8, 1030, 17], [5, 3, 13], [37, 300, 10]] as const) {
      for (const [transA, transB] of FLAGS) {
        const A = randomMatrix(rng, n, k, 0.85), plainBT = randomMatrix(rng, m, k);
        A.data[3] = -0;
        A.data[A.data.length - 2] = -0;
        if (k > 100) A.data[(n >> 1) * k + 7] = NaN; // a NaN is not a zero: its column is kept
        for (const [special, column] of [[undefined, 0], [Infinity, m >> 1], [-Infinity, m - 1], [NaN, m - 1]] as const) {
          // one column in a full panel of 4, then the last one (a partial panel when m is not a multiple of 4)
          const BT = plainBT.clone();
          if (special !== undefined) BT.data[column * k + (k >> 1)] = special;
          const js = new Float64Array(n * m);
          dotKernelJs(A.data, BT.data, js, n, k, m);
          const wasm = new Float64Array(n * m);
          const a = transA ? A.transpose() : A, b = transB ? BT : BT.transpose();
          expect(matmulWasm(a.data, transA, b.data, transB, wasm, n, k, m)).toBe(true);
          if (!sameBits(js, wasm)) throw new Error(`${n}x${k} by ${k}x${m} (transA ${transA}, transB ${transB}, B holds ${special}): kernels differ`);
        }
      }
    }
  });

  it('the sparse path (2-row panels of A, 8-column panels of B) runs on mostly-zero A and keeps the dense bits for odd and even rows, 1 to 8 columns in the last panel and both transposes', () => {
    const exports = new WebAssembly.Instance(new WebAssembly.Module(Uint8Array.from(atob(DOT_WASM_BASE64), (ch) => ch.charCodeAt(0)))).exports;
    const kernel = kernelOf(exports, exports.memory as WebAssembly.Memory);
    let sparse = 0;
    useKernel({ ...kernel, sparseRows: (...args) => { sparse++; kernel.sparseRows(...args); } });
    try {
      const rng = new Random('kernels-sparse-path');
      for (let m = SPARSE_MIN_COLUMNS; m <= SPARSE_MIN_COLUMNS + 8; m++) {
        for (const n of [1, 2, 7, 12]) {
          const k = 3 + rng.int(90);
          for (const [transA, transB] of FLAGS) {
            const A = randomMatrix(rng, n, k, 0.9), BT = randomMatrix(rng, m, k);
            A.data[0] = 1; // never all zero
            const js = new Float64Array(n * m);
            dotKernelJs(A.data, BT.data, js, n, k, m);
            const wasm = new Float64Array(n * m).fill(NaN);
            const a = transA ? A.transpose() : A, b = transB ? BT : BT.transpose();
            const before = sparse;
            expect(matmulWasm(a.data, transA, b.data, transB, wasm, n, k, m)).toBe(true);
            if (sparse !== before + 1) throw new Error(`${n}x${k} by ${k}x${m} (transA ${transA}, transB ${transB}): the sparse path did not run`);
            if (!sameBits(js, wasm)) throw new Error(`${n}x${k} by ${k}x${m} (transA ${transA}, transB ${transB}): the sparse path differs from the JavaScript kernel`);
          }
        }
      }
      // a dense A, and a B narrower than SPARSE_MIN_COLUMNS, stay on the dense kernel
      const before = sparse;
      matmulWasm(randomData(rng, 40 * 30), false, randomData(rng, 30 * 20), false, new Float64Array(40 * 20), 40, 30, 20);
      matmulWasm(randomData(rng, 40 * 30, 0.9), false, randomData(rng, 30 * 15), false, new Float64Array(40 * 15), 40, 30, 15);
      expect(sparse).toBe(before);
    } finally {
      useKernel(undefined);
    }
  });

  it('a product with an empty inner dimension is all zeros', () => {
    const C = new Float64Array(12).fill(NaN);
    expect(matmulWasm(new Float64Array(0), false, new Float64Array(0), false, C, 3, 0, 4)).toBe(true);
    expect([...C]).toEqual(new Array(12).fill(0));
    expect(matmul(new Matrix(3, 0), new Matrix(0, 4)).data.every((v) => v === 0)).toBe(true);
  });

  it('both kernels agree with a naive dot product within 1e-12 relative', () => {
    const rng = new Random('naive');
    for (const [n, k, m] of [[1, 1, 1], [3, 7, 5], [9, 2, 9], [17, 33, 13], [40, 129, 31]]) {
      const a = randomMatrix(rng, n, k), b = randomMatrix(rng, k, m);
      const want = naive(a, b, false, false);
      const js = new Matrix(n, m), dense = new Matrix(n, m);
      dotKernelJs(a.data, b.transpose().data, js.data, n, k, m);
      denseMatmul(a.data, false, b.data, false, dense.data, n, k, m);
      expect(worstRelative(js, want)).toBeLessThan(1e-12);
      expect(worstRelative(dense, want)).toBeLessThan(1e-12);
    }
  });

  it('the generated dot-wasm.ts is up to date with dot.wat (else run `npx tsx scripts/build-kernel.ts`)', async () => {
    const [wat, generated] = await Promise.all([readFile(WAT_PATH, 'utf8'), readFile(GENERATED_PATH, 'utf8')]);
    expect(generated).toBe(await generatedSource(wat));
    expect(generated.startsWith('// GENERATED, do not edit')).toBe(true);
  });
});

describe('matmul', () => {
  it('matches the naive loop for odd shapes 1..9 and all four transpose flags, on both sides of the SIMD threshold', () => {
    const rng = new Random('matmul');
    const shapes: [number, number, number][] = [];
    for (let s = 0; s < 60; s++) shapes.push([1 + rng.int(9), 1 + rng.int(9), 1 + rng.int(9)]);
    shapes.push([13, 37, 11], [64, 5, 3]);
    expect(shapes.some(([n, k, m]) => n * k * m >= WASM_MIN_WORK)).toBe(true);
    for (const [n, k, m] of shapes) {
      for (const [transA, transB] of FLAGS) {
        const a = transA ? randomMatrix(rng, k, n) : randomMatrix(rng, n, k);
        const b = transB ? randomMatrix(rng, m, k) : randomMatrix(rng, k, m);
        const got = matmul(a, b, transA, transB);
        expect(got.shape).toBe(`${n}x${m}`);
        expect(worstRelative(got, naive(a, b, transA, transB))).toBeLessThan(1e-12);
      }
    }
  });

  it('is bit-for-bit deterministic, and a row does not depend on the batch it came in', () => {
    const rng = new Random('batch');
    const X = randomMatrix(rng, 50, 101), W = randomMatrix(rng, 101, 30);
    const full = matmul(X, W);
    expect(sameBits(full.data, matmul(X, W).data)).toBe(true);
    for (const i of [0, 7, 49]) expect(sameBits(matmul(X.row(i), W).data, full.data.subarray(i * 30, (i + 1) * 30))).toBe(true);
    // mostly zeros: one row takes the sparse path (below the SIMD threshold), the batch the SIMD kernel
    const Z = randomMatrix(rng, 50, 3, 0.7), V = randomMatrix(rng, 3, 4);
    expect(3 * 4).toBeLessThan(WASM_MIN_WORK);
    const batch = matmul(Z, V);
    for (let i = 0; i < 50; i++) expect(sameBits(matmul(Z.row(i), V).data, batch.data.subarray(i * 4, (i + 1) * 4))).toBe(true);
  });

  it('mostly-zero left operands (the sparse path below the SIMD threshold) match the naive loop for all four transpose flags', () => {
    const rng = new Random('sparse');
    const shapes = [[1, 1, 1], [3, 4, 5], [2, 5, 6], [5, 9, 3], [30, 70, 20]];
    expect(shapes.some(([n, k, m]) => n * k * m < WASM_MIN_WORK)).toBe(true);
    for (const [n, k, m] of shapes) {
      for (const [transA, transB] of FLAGS) {
        const a = transA ? randomMatrix(rng, k, n, 0.8) : randomMatrix(rng, n, k, 0.8);
        a.data[0] = 0; // at least one zero, so even 1x1 takes the sparse path
        const b = transB ? randomMatrix(rng, m, k) : randomMatrix(rng, k, m);
        expect(worstRelative(matmul(a, b, transA, transB), naive(a, b, transA, transB))).toBeLessThan(1e-12);
      }
    }
  });

  it('names both shapes when the inner dimensions differ', () => {
    expect(() => matmul(new Matrix(2, 3), new Matrix(4, 5))).toThrow('matmul: 2x3 times 4x5: inner dimensions 3 and 4 differ');
  });
});
