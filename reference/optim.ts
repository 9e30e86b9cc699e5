/**
 * Update rules. Each takes a parameter w, its gradient dw and a config holding
 * the hyperparameters and the rule's running state, and returns the new w and
 * the new config. Do not modify the inputs: w, dw, config and the state matrices
 * in it stay as they were (the grader checks); step a copy (w.clone()) and return
 * a new config ({ ...config, velocity }). Missing state starts at zeros.
 */
import { Matrix } from '../starter/provided/matrix.js';

export interface SgdConfig { lr: number }
export interface MomentumConfig { lr: number; beta: number; velocity?: Matrix }
export interface RmspropConfig { lr: number; decay: number; eps: number; cache?: Matrix }
export interface AdamConfig { lr: number; beta1: number; beta2: number; eps: number; m?: Matrix; v?: Matrix; t?: number }

/** Plain SGD: w <- w - lr dw. */
export function sgd(w: Matrix, dw: Matrix, config: SgdConfig): { w: Matrix; config: SgdConfig } {
  // BEGIN SOLUTION
  const next = new Matrix(w.rows, w.cols);
  const out = next.data, x = w.data, g = dw.data, lr = config.lr;
  for (let i = 0; i < out.length; i++) out[i] = x[i] - lr * g[i];
  return { w: next, config };
  // END SOLUTION
}

/**
 * Momentum in the lecture's form: V <- beta V + (1 - beta) dw, then w <- w - lr V.
 * config.velocity is V (zeros when missing).
 */
export function momentum(w: Matrix, dw: Matrix, config: MomentumConfig): { w: Matrix; config: MomentumConfig } {
  // BEGIN SOLUTION
  const v = config.velocity ? config.velocity.clone() : Matrix.zeros(w.rows, w.cols);
  const next = w.clone();
  for (let i = 0; i < next.data.length; i++) {
    v.data[i] = config.beta * v.data[i] + (1 - config.beta) * dw.data[i];
    next.data[i] -= config.lr * v.data[i];
  }
  return { w: next, config: { ...config, velocity: v } };
  // END SOLUTION
}

/**
 * RMSProp: cache <- decay cache + (1 - decay) dw^2, then w <- w - lr dw / (sqrt(cache) + eps).
 */
export function rmsprop(w: Matrix, dw: Matrix, config: RmspropConfig): { w: Matrix; config: RmspropConfig } {
  // BEGIN SOLUTION
  const cache = config.cache ? config.cache.clone() : Matrix.zeros(w.rows, w.cols);
  const next = w.clone();
  for (let i = 0; i < next.data.length; i++) {
    const g = dw.data[i];
    cache.data[i] = config.decay * cache.data[i] + (1 - config.decay) * g * g;
    next.data[i] -= (config.lr * g) / (Math.sqrt(cache.data[i]) + config.eps);
  }
  return { w: next, config: { ...config, cache } };
  // END SOLUTION
}

/**
 * Adam: t <- t + 1; m <- beta1 m + (1 - beta1) dw; v <- beta2 v + (1 - beta2) dw^2;
 * w <- w - lr mhat / (sqrt(vhat) + eps) with mhat = m / (1 - beta1^t), vhat = v / (1 - beta2^t).
 */
export function adam(w: Matrix, dw: Matrix, config: AdamConfig): { w: Matrix; config: AdamConfig } {
  // BEGIN SOLUTION
  const m = config.m ? config.m.clone() : Matrix.zeros(w.rows, w.cols);
  const v = config.v ? config.v.clone() : Matrix.zeros(w.rows, w.cols);
  const t = (config.t ?? 0) + 1;
  const next = w.clone();
  for (let i = 0; i < next.data.length; i++) {
    const g = dw.data[i];
    m.data[i] = config.beta1 * m.data[i] + (1 - config.beta1) * g;
    v.data[i] = config.beta2 * v.data[i] + (1 - config.beta2) * g * g;
    const mhat = m.data[i] / (1 - config.beta1 ** t);
    const vhat = v.data[i] / (1 - config.beta2 ** t);
    next.data[i] -= (config.lr * mhat) / (Math.sqrt(vhat) + config.eps);
  }
  return { w: next, config: { ...config, m, v, t } };
  // END SOLUTION
}
