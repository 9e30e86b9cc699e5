// Mini-batch training loop, prediction and accuracy.
import { Matrix } from './provided/matrix.js';
import type { Random } from './provided/random.js';
import { initMLP, type InitScheme } from './init.js';
import { mlpLoss, mlpScores, type NetworkOptions, type Params } from './network.js';
import { adam, momentum, rmsprop, sgd, type AdamConfig, type MomentumConfig, type RmspropConfig, type SgdConfig } from './optim.js';

export type OptimizerName = 'sgd' | 'momentum' | 'rmsprop' | 'adam';
export interface TrainOptions extends NetworkOptions {
  hidden: number[]; init: InitScheme; optimizer: OptimizerName; lr: number; batchSize: number; epochs: number; beta?: number;
}
export interface History { loss: number[]; batchLoss: number[]; trainAccuracy: number[]; valAccuracy: number[] }
export interface Dataset { X: Matrix; y: number[]; classes: number }
export interface TrainHooks { validation?: { X: Matrix; y: number[] }; onEpoch?: (epoch: number, history: History) => void }
export type StepState = SgdConfig & Partial<MomentumConfig & RmspropConfig & AdamConfig>;

export function optimizerStep(name: OptimizerName, w: Matrix, dw: Matrix, state: StepState): { w: Matrix; config: StepState } {
  if (name === 'momentum') return momentum(w, dw, { beta: 0.9, ...state });
  if (name === 'rmsprop') return rmsprop(w, dw, { decay: 0.99, eps: 1e-8, ...state });
  if (name === 'adam') return adam(w, dw, { beta1: 0.9, beta2: 0.999, eps: 1e-8, ...state });
  return sgd(w, dw, state);
}

export function predict(params: Params, X: Matrix, options: NetworkOptions): number[] {
  const scores = mlpScores(params, X, options);
  const labels: number[] = [];
  for (let r = 0; r < scores.rows; r++) {
    let best = 0;
    for (let c = 1; c < scores.cols; c++) if (scores.data[r * scores.cols + c] > scores.data[r * scores.cols + best]) best = c;
    labels.push(best);
  }
  return labels;
}

export function accuracy(predicted: readonly number[], y: readonly number[]): number {
  if (y.length === 0) return 0;
  return predicted.filter((p, i) => p === y[i]).length / y.length;
}

/** Copies the listed rows of X into a new matrix, in that order. */
function rowsOf(X: Matrix, rows: readonly number[]): Matrix {
  const out = new Matrix(rows.length, X.cols);
  rows.forEach((r, i) => out.data.set(X.data.subarray(r * X.cols, (r + 1) * X.cols), i * X.cols));
  return out;
}

export function trainMLP(data: Dataset, options: TrainOptions, rng: Random, hooks: TrainHooks = {}): { params: Params; history: History } {
  const count = data.X.rows;
  let params: Params = initMLP([data.X.cols, ...options.hidden, data.classes], options.init, rng);
  const fresh = (): StepState => ({ lr: options.lr, beta: options.beta ?? 0.9 });
  const states = { W: params.W.map(fresh), b: params.b.map(fresh) };
  const history: History = { loss: [], batchLoss: [], trainAccuracy: [], valAccuracy: [] };
  const probeRows = [...Array(Math.min(count, 1000)).keys()];
  const probe = { X: rowsOf(data.X, probeRows), y: probeRows.map((r) => data.y[r]) };

  for (let epoch = 0; epoch < options.epochs; epoch++) {
    const order = rng.permutation(count);
    const losses: number[] = [];
    for (let from = 0; from < count; from += options.batchSize) {
      const rows = order.slice(from, Math.min(from + options.batchSize, count));
      const { loss, grads } = mlpLoss(params, rowsOf(data.X, rows), rows.map((r) => data.y[r]), options);
      const next: Params = { W: [], b: [] };
      for (const key of ['W', 'b'] as const) {
        params[key].forEach((p, k) => {
          const stepped = optimizerStep(options.optimizer, p, grads[key][k], states[key][k]);
          states[key][k] = stepped.config;
          next[key].push(stepped.w);
        });
      }
      params = next;
      losses.push(loss);
      history.batchLoss.push(loss);
    }
    let sum = 0;
    for (const l of losses) sum += l;
    history.loss.push(sum / losses.length);
    history.trainAccuracy.push(accuracy(predict(params, probe.X, options), probe.y));
    if (hooks.validation) history.valAccuracy.push(accuracy(predict(params, hooks.validation.X, options), hooks.validation.y));
    hooks.onEpoch?.(epoch, history);
  }
  return { params, history };
}
