// Weight penalties over every weight matrix.
import { Matrix } from './provided/matrix.js';

export function l2Penalty(weights: readonly Matrix[], lambda: number): { loss: number; grads: Matrix[] } {
  let squares = 0;
  const grads: Matrix[] = [];
  for (const Wk of weights) {
    const g = new Matrix(Wk.rows, Wk.cols);
    for (let i = 0; i < Wk.data.length; i++) {
      squares += Wk.data[i] * Wk.data[i];
      g.data[i] = lambda * Wk.data[i];
    }
    grads.push(g);
  }
  return { loss: (lambda / 2) * squares, grads };
}

export function l1Penalty(weights: readonly Matrix[], lambda: number): { loss: number; grads: Matrix[] } {
  let total = 0;
  const grads: Matrix[] = [];
  for (const Wk of weights) {
    const g = new Matrix(Wk.rows, Wk.cols);
    for (let i = 0; i < Wk.data.length; i++) {
      total += Math.abs(Wk.data[i]);
      g.data[i] = Wk.data[i] > 0 ? lambda : Wk.data[i] < 0 ? -lambda : 0;
    }
    grads.push(g);
  }
  return { loss: lambda * total, grads };
}
