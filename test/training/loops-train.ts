/**
 * A trainMLP written the way many students write it: plain loops over
 * Float64Arrays instead of matmul, summing in other orders than the reference,
 * but following the documented draws and steps (one hidden layer, ReLU, SGD).
 * Used to show the checkpoint tolerance is fair to a correct implementation.
 */
import { Matrix } from '../../starter/provided/matrix.js';
import type { Random } from '../../starter/provided/random.js';
import type { Dataset } from '../../starter/provided/data/index.js';
import { initMLP, type InitScheme } from '../../reference/init.js';

export interface LoopsOptions { hidden: [number]; init: InitScheme; lr: number; batchSize: number; epochs: number }

/** The documented run, sums reversed or reordered throughout: returns { params, history.batchLoss }. */
export function loopsTrainMLP(data: Dataset, o: LoopsOptions, rng: Random) {
  const { X, y, classes: C } = data;
  const N = X.rows, D = X.cols, H = o.hidden[0];
  const p = initMLP([D, H, C], o.init, rng);
  const [W1, W2] = p.W.map((m) => Float64Array.from(m.data));
  const [b1, b2] = p.b.map((m) => Float64Array.from(m.data));
  const batchLoss: number[] = [];
  for (let e = 0; e < o.epochs; e++) {
    const order = rng.permutation(N);
    for (let s = 0; s < N; s += o.batchSize) {
      const idx = order.slice(s, s + o.batchSize);
      const B = idx.length;
      const z1 = new Float64Array(B * H), a1 = new Float64Array(B * H), sc = new Float64Array(B * C);
      for (let i = 0; i < B; i++) {
        const r = idx[i] * D;
        for (let j = 0; j < H; j++) {
          let acc = 0;
          for (let k = D - 1; k >= 0; k--) acc += X.data[r + k] * W1[k * H + j];
          z1[i * H + j] = acc + b1[j];
          a1[i * H + j] = Math.max(0, z1[i * H + j]);
        }
        for (let c = 0; c < C; c++) {
          let acc = 0;
          for (let j = H - 1; j >= 0; j--) acc += a1[i * H + j] * W2[j * C + c];
          sc[i * C + c] = acc + b2[c];
        }
      }
      let loss = 0;
      const ds = new Float64Array(B * C);
      for (let i = B - 1; i >= 0; i--) {
        let m = -Infinity;
        for (let c = 0; c < C; c++) m = Math.max(m, sc[i * C + c]);
        let sum = 0;
        for (let c = 0; c < C; c++) sum += Math.exp(sc[i * C + c] - m);
        const label = y[idx[i]];
        loss += Math.log(sum) + m - sc[i * C + label];
        for (let c = 0; c < C; c++) ds[i * C + c] = (Math.exp(sc[i * C + c] - m) / sum - (c === label ? 1 : 0)) / B;
      }
      batchLoss.push(loss / B);
      const dW2 = new Float64Array(H * C), db2 = new Float64Array(C), da = new Float64Array(B * H), dW1 = new Float64Array(D * H), db1 = new Float64Array(H);
      for (let i = B - 1; i >= 0; i--) {
        for (let c = 0; c < C; c++) {
          db2[c] += ds[i * C + c];
          for (let j = 0; j < H; j++) dW2[j * C + c] += a1[i * H + j] * ds[i * C + c];
        }
      }
      for (let i = 0; i < B; i++) {
        for (let j = 0; j < H; j++) {
          if (z1[i * H + j] <= 0) continue;
          let acc = 0;
          for (let c = C - 1; c >= 0; c--) acc += ds[i * C + c] * W2[j * C + c];
          da[i * H + j] = acc;
        }
      }
      for (let i = B - 1; i >= 0; i--) {
        const r = idx[i] * D;
        for (let j = 0; j < H; j++) {
          const g = da[i * H + j];
          db1[j] += g;
          for (let k = 0; k < D; k++) dW1[k * H + j] += X.data[r + k] * g;
        }
      }
      for (const [w, g] of [[W1, dW1], [b1, db1], [W2, dW2], [b2, db2]] as const) for (let q = 0; q < w.length; q++) w[q] -= o.lr * g[q];
    }
  }
  const params = { W: [new Matrix(D, H, W1), new Matrix(H, C, W2)], b: [new Matrix(1, H, b1), new Matrix(1, C, b2)] };
  return { params, history: { batchLoss } };
}
