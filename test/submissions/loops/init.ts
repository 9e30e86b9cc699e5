// Initialisers, one draw per element in row-major order.
import { Matrix } from './provided/matrix.js';
import type { Random } from './provided/random.js';

export type InitScheme = 'xavier_uniform' | 'glorot_normal' | 'he_normal';

function fill(rows: number, cols: number, draw: () => number): Matrix {
  const m = new Matrix(rows, cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) m.data[r * cols + c] = draw();
  return m;
}

export function xavierUniform(fanIn: number, fanOut: number, rng: Random): Matrix {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return fill(fanIn, fanOut, () => limit * (2 * rng.uniform() - 1));
}

export function glorotNormal(fanIn: number, fanOut: number, rng: Random): Matrix {
  const sd = Math.sqrt(2 / (fanIn + fanOut));
  return fill(fanIn, fanOut, () => sd * rng.normal());
}

export function heNormal(fanIn: number, fanOut: number, rng: Random): Matrix {
  const sd = Math.sqrt(2 / fanIn);
  return fill(fanIn, fanOut, () => sd * rng.normal());
}

export function initMLP(sizes: readonly number[], scheme: InitScheme, rng: Random): { W: Matrix[]; b: Matrix[] } {
  const W: Matrix[] = [];
  const b: Matrix[] = [];
  for (let layer = 1; layer < sizes.length; layer++) {
    const fanIn = sizes[layer - 1], fanOut = sizes[layer];
    if (scheme === 'xavier_uniform') W.push(xavierUniform(fanIn, fanOut, rng));
    else if (scheme === 'glorot_normal') W.push(glorotNormal(fanIn, fanOut, rng));
    else W.push(heNormal(fanIn, fanOut, rng));
    b.push(new Matrix(1, fanOut));
  }
  return { W, b };
}
