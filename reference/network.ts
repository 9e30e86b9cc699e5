/**
 * A fully connected network of any depth: hidden layers use one activation,
 * the output layer gives raw scores fed to softmax cross-entropy.
 * Layer k computes z_k = a_{k-1} W_k + b_k, with a_0 = X; hidden layers then a_k = g(z_k).
 * Work in float64 (Float64Array, plain JS numbers); float32 (Math.fround, Float32Array)
 * loses precision the grader detects.
 * Do not modify the inputs: params, X, y and options stay as they were (read a
 * default as options.reg ?? 0, never by assigning to options); the grader checks.
 */
import { Matrix, matmul, sumRows } from '../starter/provided/matrix.js';
import {
  eluBackward, eluForward, leakyReluBackward, leakyReluForward, reluBackward, reluForward,
  sigmoidBackward, sigmoidForward, tanhBackward, tanhForward,
} from './activations.js';
import { affineBackward, affineForward, softmaxCrossEntropy } from './layers.js';
import { l1Penalty, l2Penalty } from './regularization.js';

export type ActivationName = 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'elu';

/** W[k] is sizes[k] x sizes[k+1], b[k] is 1 x sizes[k+1]; gradients have the same layout. */
export interface Params { W: Matrix[]; b: Matrix[] }

export interface NetworkOptions {
  /** Hidden-layer activation. */
  activation: ActivationName;
  /** Slope for leaky_relu (default 0.01) and scale for elu (default 1). */
  alpha?: number;
  /** Regularisation strength lambda (default 0). */
  reg?: number;
  /** Penalty kind (default 'l2'). */
  regType?: 'l2' | 'l1';
}

/** Given: applies the chosen activation's forward (your functions from activations.ts). */
export function activationForward(z: Matrix, options: NetworkOptions): Matrix {
  switch (options.activation) {
    case 'sigmoid': return sigmoidForward(z);
    case 'tanh': return tanhForward(z);
    case 'relu': return reluForward(z);
    case 'leaky_relu': return leakyReluForward(z, options.alpha ?? 0.01);
    case 'elu': return eluForward(z, options.alpha ?? 1);
  }
}

/** Given: applies the chosen activation's backward (your functions from activations.ts). */
export function activationBackward(dout: Matrix, z: Matrix, options: NetworkOptions): Matrix {
  switch (options.activation) {
    case 'sigmoid': return sigmoidBackward(dout, z);
    case 'tanh': return tanhBackward(dout, z);
    case 'relu': return reluBackward(dout, z);
    case 'leaky_relu': return leakyReluBackward(dout, z, options.alpha ?? 0.01);
    case 'elu': return eluBackward(dout, z, options.alpha ?? 1);
  }
}

/**
 * Forward pass to the output scores (no softmax).
 * Inputs: params with L layers; X, N x D. Returns: scores, N x C.
 */
export function mlpScores(params: Params, X: Matrix, options: NetworkOptions): Matrix {
  // BEGIN SOLUTION
  let a = X;
  const L = params.W.length;
  for (let k = 0; k < L; k++) {
    const z = affineForward(a, params.W[k], params.b[k]);
    a = k < L - 1 ? activationForward(z, options) : z;
  }
  return a;
  // END SOLUTION
}

/**
 * Mean softmax cross-entropy loss plus the weight penalty (weights only, never
 * biases), and the gradient of that total for every parameter by back-propagation:
 * delta_L = dL/dscores; for each layer from the top, dW_k = a_{k-1}^T delta_k (+ penalty
 * gradient), db_k = sum_rows delta_k, and below a hidden layer delta_{k-1} = (delta_k W_k^T) o g'(z_{k-1}).
 * Inputs: params; X, N x D; y, N class indices; options.
 * Returns: { loss, grads } with grads.W[k], grads.b[k] shaped like params.W[k], params.b[k].
 */
export function mlpLoss(
  params: Params, X: Matrix, y: readonly number[], options: NetworkOptions,
): { loss: number; grads: Params } {
  // BEGIN SOLUTION
  const L = params.W.length;
  const inputs: Matrix[] = []; // a_{k-1} for layer k
  const zs: Matrix[] = [];
  let a = X;
  for (let k = 0; k < L; k++) {
    inputs.push(a);
    const z = affineForward(a, params.W[k], params.b[k]);
    zs.push(z);
    a = k < L - 1 ? activationForward(z, options) : z;
  }
  const { loss: dataLoss, dscores } = softmaxCrossEntropy(a, y);
  const lambda = options.reg ?? 0;
  const penalty = (options.regType ?? 'l2') === 'l1' ? l1Penalty : l2Penalty;
  const reg = lambda !== 0 ? penalty(params.W, lambda) : undefined; // lambda = 0: nothing to add

  const gradW: Matrix[] = new Array(L);
  const gradB: Matrix[] = new Array(L);
  let delta = dscores;
  for (let k = L - 1; k >= 0; k--) {
    // the input layer's dx would be thrown away: skipping it saves a third of the multiplications
    const { dx, dW, db } = k > 0
      ? affineBackward(delta, inputs[k], params.W[k])
      : { dx: undefined, dW: matmul(X, delta, true), db: sumRows(delta) };
    if (reg) for (let i = 0; i < dW.data.length; i++) dW.data[i] += reg.grads[k].data[i];
    gradW[k] = dW;
    gradB[k] = db;
    if (dx) delta = activationBackward(dx, zs[k - 1], options);
  }
  return { loss: dataLoss + (reg?.loss ?? 0), grads: { W: gradW, b: gradB } };
  // END SOLUTION
}
