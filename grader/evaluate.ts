/**
 * The grader's own forward pass, used to score the parameters a student's
 * training loop returns: the child trains, the parent measures, so a
 * submission cannot report its own accuracy or loss.
 */
import { Matrix, addRowVector, argmaxRows, matmul, map } from '../starter/provided/matrix.js';
import { asNumeric, type Numeric } from './compare.js';
import type { Encoded } from './codec.js';
import { getPath } from './paths.js';

export interface Network { W: Matrix[]; b: Matrix[]; activation: string; alpha?: number }

const ACTIVATION: Record<string, (alpha: number | undefined) => (v: number) => number> = {
  sigmoid: () => (v) => 1 / (1 + Math.exp(-v)),
  tanh: () => Math.tanh,
  relu: () => (v) => (v > 0 ? v : 0),
  leaky_relu: (a) => (v) => (v > 0 ? v : (a ?? 0.01) * v),
  elu: (a) => (v) => (v >= 0 ? v : (a ?? 1) * (Math.exp(v) - 1)),
};

/** "2x10, 10x2" for the first few shapes, so a message about a huge network stays one short line. */
function shapeList(shapes: string[]): string {
  return shapes.length > 8 ? `${shapes.slice(0, 8).join(', ')}, ... (${shapes.length} layers)` : shapes.join(', ');
}

/**
 * Reads returned parameters and checks that they are exactly the network of
 * `sizes` ([D, ...options.hidden, C] of the settings trainMLP was given);
 * throws a one-line reason. The shapes are checked before any data is copied,
 * so a network larger than asked for costs the grader nothing.
 */
export function readParams(value: Encoded | undefined, sizes: readonly number[]): { W: Matrix[]; b: Matrix[] } {
  const Ws = getPath(value, 'W'), bs = getPath(value, 'b');
  if (!Array.isArray(Ws) || !Array.isArray(bs) || Ws.length === 0 || Ws.length !== bs.length) {
    throw new Error('the returned params must be { W: Matrix[], b: Matrix[] } with one W and one b per layer');
  }
  const ws: Numeric[] = [], bb: Numeric[] = [];
  for (let k = 0; k < Ws.length; k++) {
    const w = asNumeric(Ws[k]), b = asNumeric(bs[k]);
    if (!w || w.kind !== 'matrix' || !b || b.kind !== 'matrix') throw new Error(`params W[${k}] and b[${k}] must be matrices`);
    ws.push(w);
    bb.push(b);
  }
  const expected = sizes.slice(1).map((cols, k) => `${sizes[k]}x${cols}`);
  const returned = ws.map((w) => `${w.rows}x${w.cols}`);
  if (returned.join() !== expected.join()) {
    throw new Error(`the returned W are ${shapeList(returned)}, but the ${sizes.join('-')} network of these settings ([D, ...hidden, C]) needs W of ${shapeList(expected)}`);
  }
  bb.forEach((b, k) => {
    if (b.rows !== 1 || b.cols !== sizes[k + 1]) throw new Error(`params b[${k}] is ${b.rows}x${b.cols}, expected 1x${sizes[k + 1]}`);
  });
  return {
    W: ws.map((w) => new Matrix(w.rows, w.cols, Float64Array.from(w.data))),
    b: bb.map((b) => new Matrix(1, b.cols, Float64Array.from(b.data))),
  };
}

/** Output scores (before softmax) of every row of X. */
function scores(net: Network, X: Matrix): Matrix {
  const g = ACTIVATION[net.activation]?.(net.alpha);
  if (!g) throw new Error(`unknown activation ${net.activation}`);
  let a = X;
  for (let k = 0; k < net.W.length; k++) {
    const z = addRowVector(matmul(a, net.W[k]), net.b[k]);
    a = k < net.W.length - 1 ? map(z, g) : z;
  }
  return a;
}

/** Predicted classes of every row of X. */
export function predictClasses(net: Network, X: Matrix): number[] {
  return argmaxRows(scores(net, X));
}

/**
 * The training loss mlpLoss would report for these parameters: mean softmax
 * cross-entropy (natural log) over the rows of X, plus the penalty on the
 * weights (L2: (lambda/2) sum W^2, L1: lambda sum |W|; never the biases).
 */
export function meanLoss(net: Network, X: Matrix, y: readonly number[], reg: { reg?: number; regType?: 'l2' | 'l1' } = {}): number {
  const s = scores(net, X);
  let total = 0;
  for (let i = 0; i < s.rows; i++) {
    let max = -Infinity;
    for (let j = 0; j < s.cols; j++) max = Math.max(max, s.data[i * s.cols + j]);
    let sum = 0;
    for (let j = 0; j < s.cols; j++) sum += Math.exp(s.data[i * s.cols + j] - max);
    total += Math.log(sum) + max - s.data[i * s.cols + y[i]];
  }
  const lambda = reg.reg ?? 0;
  let penalty = 0;
  for (const W of net.W) for (const w of W.data) penalty += reg.regType === 'l1' ? Math.abs(w) : 0.5 * w * w;
  return total / s.rows + lambda * penalty;
}

export function accuracyOf(predicted: readonly number[], y: readonly number[]): number {
  let right = 0;
  for (let i = 0; i < y.length; i++) if (predicted[i] === y[i]) right++;
  return y.length ? right / y.length : 0;
}
