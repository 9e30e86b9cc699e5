/**
 * Mini-batch training, prediction and accuracy.
 * Do not modify the inputs: data (X and y), options, hooks.validation, params,
 * predicted and y stay as they were (the grader checks them after every call);
 * the Random is there to be drawn from.
 */
import { NotImplementedError } from './provided/errors.js';
import { Matrix, argmaxRows } from './provided/matrix.js';
import type { Random } from './provided/random.js';
import { initMLP, type InitScheme } from './init.js';
import { mlpLoss, mlpScores, type NetworkOptions, type Params } from './network.js';
import { adam, momentum, rmsprop, sgd, type AdamConfig, type MomentumConfig, type RmspropConfig, type SgdConfig } from './optim.js';

export type OptimizerName = 'sgd' | 'momentum' | 'rmsprop' | 'adam';

export interface TrainOptions extends NetworkOptions {
  /** Hidden layer sizes, e.g. [500]; [] is softmax regression. */
  hidden: number[];
  init: InitScheme;
  optimizer: OptimizerName;
  /** Learning rate eta. */
  lr: number;
  batchSize: number;
  epochs: number;
  /** beta for momentum (default 0.9); each optimiser state starts as { lr, beta }. */
  beta?: number;
}

export interface History {
  /** Mean training loss of each epoch (average of its mini-batch losses): one value per epoch. */
  loss: number[];
  /**
   * Loss of every mini-batch (what mlpLoss returns, before that batch's step), in order:
   * epochs x ceil(N / batchSize) values, the curve to watch go down.
   */
  batchLoss: number[];
  /** Accuracy on (at most) the first 1,000 training examples after each epoch. */
  trainAccuracy: number[];
  /** Accuracy on the validation set after each epoch (empty without one). */
  valAccuracy: number[];
}

export interface Dataset { X: Matrix; y: number[]; classes: number }

export interface TrainHooks {
  validation?: { X: Matrix; y: number[] };
  /** Called after each epoch, for progress bars. */
  onEpoch?: (epoch: number, history: History) => void;
}

/** Given: the hyperparameters and running state an optimiser keeps for one parameter matrix. */
export type StepState = SgdConfig & Partial<MomentumConfig & RmspropConfig & AdamConfig>;

/** Given: one optimiser step for one parameter matrix, with its own state (defaults filled in here). */
export function optimizerStep(name: OptimizerName, w: Matrix, dw: Matrix, state: StepState): { w: Matrix; config: StepState } {
  switch (name) {
    case 'sgd': return sgd(w, dw, state);
    case 'momentum': return momentum(w, dw, { beta: 0.9, ...state });
    case 'rmsprop': return rmsprop(w, dw, { decay: 0.99, eps: 1e-8, ...state });
    case 'adam': return adam(w, dw, { beta1: 0.9, beta2: 0.999, eps: 1e-8, ...state });
  }
}

/**
 * Predicted class of every row of X (the index of the largest score).
 * Inputs: params; X, N x D; options. Returns: N class indices.
 */
export function predict(params: Params, X: Matrix, options: NetworkOptions): number[] {
  // YOUR CODE HERE
  throw new NotImplementedError('predict');
}

/** Fraction of predictions equal to the labels, in [0, 1]. */
export function accuracy(predicted: readonly number[], y: readonly number[]): number {
  // YOUR CODE HERE
  throw new NotImplementedError('accuracy');
}

/**
 * Trains an MLP with mini-batch gradient descent. The grader repeats a short run
 * number for number, so keep to this order; rng is used for nothing else.
 * 1. params = initMLP([D, ...hidden, classes], options.init, rng): the first draws.
 * 2. Each epoch: order = rng.permutation(N), the epoch's one draw. Reorder X AND y
 *    with it (together!) and cut it into batches of batchSize in that order (the
 *    last one may be smaller).
 * 3. Each batch: { loss, grads } = mlpLoss(params, Xbatch, ybatch, options), then step
 *    every W[k] and b[k] with optimizerStep(options.optimizer, ...) and its own
 *    optimiser state. Each state starts as { lr: options.lr, beta: options.beta ?? 0.9 }
 *    and is replaced by the config the step returns. Push loss to history.batchLoss.
 * 4. After the epoch: push the mean of its batch losses to history.loss, the accuracy
 *    on the first min(N, 1000) examples to history.trainAccuracy, the accuracy on
 *    hooks.validation (if given) to history.valAccuracy, then call hooks.onEpoch(epoch, history).
 * Returns: { params, history }, params as they are after the last step.
 * Reorder copies (X.pickRows copies the rows), never data.X or data.y in place.
 */
export function trainMLP(data: Dataset, options: TrainOptions, rng: Random, hooks: TrainHooks = {}): { params: Params; history: History } {
  // YOUR CODE HERE
  throw new NotImplementedError('trainMLP');
}
