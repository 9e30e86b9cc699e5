/**
 * PROVIDED HELPER: do not edit.
 *
 * The JavaScript dense kernel, for small products and where WebAssembly SIMD
 * is missing. Each output is summed over p = 0..k-1 in order, as in dot.wat,
 * so both kernels give the same bits and a result never depends on which ran.
 */

/** C[i][j] = dot(A row i, BT row j) for A n x k and BT m x k, all row-major; 2x4 outputs at a time (eight sums stay in registers). */
export function dotKernelJs(A: Float64Array, BT: Float64Array, C: Float64Array, n: number, k: number, m: number): void {
  const n2 = n - (n % 2);
  const m4 = m - (m % 4);
  for (let i = 0; i < n2; i += 2) {
    const a0 = i * k, a1 = a0 + k, c0 = i * m, c1 = c0 + m;
    for (let j = 0; j < m4; j += 4) {
      const b0 = j * k, b1 = b0 + k, b2 = b1 + k, b3 = b2 + k;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      for (let p = 0; p < k; p++) {
        const x0 = A[a0 + p], x1 = A[a1 + p];
        const y0 = BT[b0 + p], y1 = BT[b1 + p], y2 = BT[b2 + p], y3 = BT[b3 + p];
        s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2; s03 += x0 * y3;
        s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2; s13 += x1 * y3;
      }
      C[c0 + j] = s00; C[c0 + j + 1] = s01; C[c0 + j + 2] = s02; C[c0 + j + 3] = s03;
      C[c1 + j] = s10; C[c1 + j + 1] = s11; C[c1 + j + 2] = s12; C[c1 + j + 3] = s13;
    }
    for (let j = m4; j < m; j++) {
      C[c0 + j] = dot(A, a0, BT, j * k, k);
      C[c1 + j] = dot(A, a1, BT, j * k, k);
    }
  }
  for (let i = n2; i < n; i++) {
    for (let j = 0; j < m; j++) C[i * m + j] = dot(A, i * k, BT, j * k, k);
  }
}

function dot(A: Float64Array, a: number, B: Float64Array, b: number, k: number): number {
  let s = 0;
  for (let p = 0; p < k; p++) s += A[a + p] * B[b + p];
  return s;
}
