/**
 * Update rules. Each takes a parameter w, its gradient dw and a config holding
 * the hyperparameters and the rule's running state, and returns the new w and
 * the new config. Do not modify the inputs: w, dw, config and the state matrices
 * in it stay as they were (the grader checks); step a copy (w.clone()) and return
 * a new config ({ ...config, velocity }). Missing state starts at zeros.
 */
import { NotImplementedError } from './provided/errors.js';
import { Matrix } from './provided/matrix.js';

export interface SgdConfig { lr: number }
export interface MomentumConfig { lr: number; beta: number; velocity?: Matrix }
export interface RmspropConfig { lr: number; decay: number; eps: number; cache?: Matrix }
export interface AdamConfig { lr: number; beta1: number; beta2: number; eps: number; m?: Matrix; v?: Matrix; t?: number }

/** Plain SGD: w <- w - lr dw. */
export function sgd(w: Matrix, dw: Matrix, config: SgdConfig): { w: Matrix; config: SgdConfig } {
  // YOUR CODE HERE
  throw new NotImplementedError('sgd');
}

/**
 * Momentum in the lecture's form: V <- beta V + (1 - beta) dw, then w <- w - lr V.
 * config.velocity is V (zeros when missing).
 */
export function momentum(w: Matrix, dw: Matrix, config: MomentumConfig): { w: Matrix; config: MomentumConfig } {
  // YOUR CODE HERE
  throw new NotImplementedError('momentum');
}

/**
 * RMSProp: cache <- decay cache + (1 - decay) dw^2, then w <- w - lr dw / (sqrt(cache) + eps).
 */
export function rmsprop(w: Matrix, dw: Matrix, config: RmspropConfig): { w: Matrix; config: RmspropConfig } {
  // YOUR CODE HERE
  throw new NotImplementedError('rmsprop');
}

/**
 * Adam: t <- t + 1; m <- beta1 m + (1 - beta1) dw; v <- beta2 v + (1 - beta2) dw^2;
 * w <- w - lr mhat / (sqrt(vhat) + eps) with mhat = m / (1 - beta1^t), vhat = v / (1 - beta2^t).
 */
export function adam(w: Matrix, dw: Matrix, config: AdamConfig): { w: Matrix; config: AdamConfig } {
  // YOUR CODE HERE
  throw new NotImplementedError('adam');
}
