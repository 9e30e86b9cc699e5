// Activations, written element by element with plain loops (a second, independent solution used by the tests).
import { Matrix } from './provided/matrix.js';

function elementwise(src: Matrix, f: (v: number, i: number) => number): Matrix {
  const result = new Matrix(src.rows, src.cols);
  const n = src.rows * src.cols;
  for (let idx = 0; idx < n; idx++) result.data[idx] = f(src.data[idx], idx);
  return result;
}

const logistic = (v: number) => 1 / (1 + Math.exp(-v));

export function sigmoidForward(z: Matrix): Matrix {
  return elementwise(z, logistic);
}

export function sigmoidBackward(dout: Matrix, z: Matrix): Matrix {
  return elementwise(z, (v, idx) => {
    const s = logistic(v);
    return dout.data[idx] * s * (1 - s);
  });
}

export function tanhForward(z: Matrix): Matrix {
  return elementwise(z, Math.tanh);
}

export function tanhBackward(dout: Matrix, z: Matrix): Matrix {
  return elementwise(z, (v, idx) => {
    const t = Math.tanh(v);
    return dout.data[idx] * (1 - t * t);
  });
}

export function reluForward(z: Matrix): Matrix {
  return elementwise(z, (v) => (v > 0 ? v : 0));
}

export function reluBackward(dout: Matrix, z: Matrix): Matrix {
  return elementwise(z, (v, idx) => (v > 0 ? dout.data[idx] : 0));
}

export function leakyReluForward(z: Matrix, alpha = 0.01): Matrix {
  return elementwise(z, (v) => (v > 0 ? v : alpha * v));
}

export function leakyReluBackward(dout: Matrix, z: Matrix, alpha = 0.01): Matrix {
  return elementwise(z, (v, idx) => (v > 0 ? dout.data[idx] : alpha * dout.data[idx]));
}

export function eluForward(z: Matrix, alpha = 1): Matrix {
  return elementwise(z, (v) => (v >= 0 ? v : alpha * (Math.exp(v) - 1)));
}

export function eluBackward(dout: Matrix, z: Matrix, alpha = 1): Matrix {
  return elementwise(z, (v, idx) => (v >= 0 ? dout.data[idx] : dout.data[idx] * alpha * Math.exp(v)));
}
