// Affine layer and softmax loss with explicit triple loops.
import { Matrix } from './provided/matrix.js';

export function affineForward(x: Matrix, W: Matrix, b: Matrix): Matrix {
  const n = x.rows, d = x.cols, m = W.cols;
  const out = new Matrix(n, m);
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < m; col++) {
      let acc = 0;
      for (let k = 0; k < d; k++) acc += x.data[row * d + k] * W.data[k * m + col];
      out.data[row * m + col] = acc + b.data[col];
    }
  }
  return out;
}

export function affineBackward(dout: Matrix, x: Matrix, W: Matrix): { dx: Matrix; dW: Matrix; db: Matrix } {
  const n = x.rows, d = x.cols, m = W.cols;
  const dW = new Matrix(d, m);
  for (let k = 0; k < d; k++) {
    for (let col = 0; col < m; col++) {
      let acc = 0;
      for (let row = 0; row < n; row++) acc += x.data[row * d + k] * dout.data[row * m + col];
      dW.data[k * m + col] = acc;
    }
  }
  const db = new Matrix(1, m);
  for (let row = 0; row < n; row++) for (let col = 0; col < m; col++) db.data[col] += dout.data[row * m + col];
  const dx = new Matrix(n, d);
  for (let row = 0; row < n; row++) {
    for (let k = 0; k < d; k++) {
      let acc = 0;
      for (let col = 0; col < m; col++) acc += dout.data[row * m + col] * W.data[k * m + col];
      dx.data[row * d + k] = acc;
    }
  }
  return { dx, dW, db };
}

export function softmax(scores: Matrix): Matrix {
  const probs = new Matrix(scores.rows, scores.cols);
  const c = scores.cols;
  for (let row = 0; row < scores.rows; row++) {
    const base = row * c;
    let top = scores.data[base];
    for (let j = 1; j < c; j++) if (scores.data[base + j] > top) top = scores.data[base + j];
    let total = 0;
    for (let j = 0; j < c; j++) total += (probs.data[base + j] = Math.exp(scores.data[base + j] - top));
    for (let j = 0; j < c; j++) probs.data[base + j] = probs.data[base + j] / total;
  }
  return probs;
}

export function softmaxCrossEntropy(scores: Matrix, y: readonly number[]): { loss: number; dscores: Matrix } {
  const n = scores.rows, c = scores.cols;
  const probs = softmax(scores);
  let nll = 0;
  for (let row = 0; row < n; row++) {
    let top = scores.data[row * c];
    for (let j = 1; j < c; j++) top = Math.max(top, scores.data[row * c + j]);
    let total = 0;
    for (let j = 0; j < c; j++) total += Math.exp(scores.data[row * c + j] - top);
    nll += Math.log(total) + top - scores.data[row * c + y[row]];
  }
  const dscores = new Matrix(n, c);
  for (let row = 0; row < n; row++) {
    for (let j = 0; j < c; j++) {
      const target = j === y[row] ? 1 : 0;
      dscores.data[row * c + j] = (probs.data[row * c + j] - target) / n;
    }
  }
  return { loss: nll / n, dscores };
}
