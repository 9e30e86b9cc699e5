// Central differences and the lecture's relative error.
import { Matrix } from './provided/matrix.js';

export function numericalGradient(f: (x: Matrix) => number, x: Matrix, eps = 1e-5): Matrix {
  const out = new Matrix(x.rows, x.cols);
  for (let i = 0; i < x.data.length; i++) {
    const saved = x.data[i];
    x.data[i] = saved + eps;
    const up = f(x);
    x.data[i] = saved - eps;
    const down = f(x);
    x.data[i] = saved;
    out.data[i] = (up - down) / (2 * eps);
  }
  return out;
}

export function relError(a: Matrix, b: Matrix): number {
  if (a.rows !== b.rows || a.cols !== b.cols) throw new Error('relError: the shapes differ');
  let worst = 0;
  for (let i = 0; i < a.data.length; i++) {
    const denom = Math.max(1e-8, Math.abs(a.data[i]) + Math.abs(b.data[i]));
    const e = Math.abs(a.data[i] - b.data[i]) / denom;
    if (e > worst) worst = e;
  }
  return worst;
}
