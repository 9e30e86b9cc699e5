/**
 * The grader's own forward pass, used to score the parameters a student's
 * training loop returns: the child trains, the parent measures, so a
 * submission cannot report its own accuracy.
 */
import { Matrix, addRowVector, argmaxRows, matmul, map } from '../starter/provided/matrix.js';
import { asNumeric } from './compare.js';
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

/** Reads returned parameters and checks that their shapes chain from D inputs to C classes; throws a one-line reason. */
export function readParams(value: Encoded | undefined, inputs: number, classes: number): { W: Matrix[]; b: Matrix[] } {
  const Ws = getPath(value, 'W'), bs = getPath(value, 'b');
  if (!Array.isArray(Ws) || !Array.isArray(bs) || Ws.length === 0 || Ws.length !== bs.length) {
    throw new Error('the returned params must be { W: Matrix[], b: Matrix[] } with one W and one b per layer');
  }
  const W: Matrix[] = [], b: Matrix[] = [];
  let fanIn = inputs;
  for (let k = 0; k < Ws.length; k++) {
    const w = asNumeric(Ws[k]), bb = asNumeric(bs[k]);
    if (!w || w.kind !== 'matrix' || !bb || bb.kind !== 'matrix') throw new Error(`params W[${k}] and b[${k}] must be matrices`);
    if (w.rows !== fanIn) throw new Error(`params W[${k}] is ${w.rows}x${w.cols} but its layer gets ${fanIn} inputs`);
    if (bb.rows !== 1 || bb.cols !== w.cols) throw new Error(`params b[${k}] is ${bb.rows}x${bb.cols}, expected 1x${w.cols}`);
    W.push(new Matrix(w.rows, w.cols, Float64Array.from(w.data)));
    b.push(new Matrix(1, bb.cols, Float64Array.from(bb.data)));
    fanIn = w.cols;
  }
  if (fanIn !== classes) throw new Error(`the last layer has ${fanIn} outputs but there are ${classes} classes`);
  return { W, b };
}

/** Predicted classes of every row of X. */
export function predictClasses(net: Network, X: Matrix): number[] {
  const g = ACTIVATION[net.activation]?.(net.alpha);
  if (!g) throw new Error(`unknown activation ${net.activation}`);
  let a = X;
  for (let k = 0; k < net.W.length; k++) {
    const z = addRowVector(matmul(a, net.W[k]), net.b[k]);
    a = k < net.W.length - 1 ? map(z, g) : z;
  }
  return argmaxRows(a);
}

export function accuracyOf(predicted: readonly number[], y: readonly number[]): number {
  let right = 0;
  for (let i = 0; i < y.length; i++) if (predicted[i] === y[i]) right++;
  return y.length ? right / y.length : 0;
}

/** Rows: true class; columns: predicted class. */
export function confusionMatrix(predicted: readonly number[], y: readonly number[], classes: number): number[][] {
  const m = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < y.length; i++) m[y[i]][predicted[i]]++;
  return m;
}
