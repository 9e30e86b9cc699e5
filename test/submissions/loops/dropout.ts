// Inverted dropout.
import { Matrix } from './provided/matrix.js';
import type { Random } from './provided/random.js';

export function dropoutForward(x: Matrix, keepProb: number, rng: Random): { out: Matrix; mask: Matrix } {
  const mask = new Matrix(x.rows, x.cols);
  const out = new Matrix(x.rows, x.cols);
  for (let i = 0; i < x.data.length; i++) {
    mask.data[i] = rng.uniform() < keepProb ? 1 / keepProb : 0;
    out.data[i] = x.data[i] * mask.data[i];
  }
  return { out, mask };
}

export function dropoutBackward(dout: Matrix, mask: Matrix): Matrix {
  const dx = new Matrix(dout.rows, dout.cols);
  for (let i = 0; i < dout.data.length; i++) dx.data[i] = dout.data[i] * mask.data[i];
  return dx;
}
