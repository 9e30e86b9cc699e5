// Update rules; state missing on the first step starts at zero.
import { Matrix } from './provided/matrix.js';

export interface SgdConfig { lr: number }
export interface MomentumConfig { lr: number; beta: number; velocity?: Matrix }
export interface RmspropConfig { lr: number; decay: number; eps: number; cache?: Matrix }
export interface AdamConfig { lr: number; beta1: number; beta2: number; eps: number; m?: Matrix; v?: Matrix; t?: number }

function copyOrZeros(state: Matrix | undefined, like: Matrix): Matrix {
  return state ? new Matrix(state.rows, state.cols, Float64Array.from(state.data)) : new Matrix(like.rows, like.cols);
}

export function sgd(w: Matrix, dw: Matrix, config: SgdConfig): { w: Matrix; config: SgdConfig } {
  const updated = new Matrix(w.rows, w.cols);
  for (let i = 0; i < w.data.length; i++) updated.data[i] = w.data[i] - config.lr * dw.data[i];
  return { w: updated, config };
}

export function momentum(w: Matrix, dw: Matrix, config: MomentumConfig): { w: Matrix; config: MomentumConfig } {
  const vel = copyOrZeros(config.velocity, w);
  const updated = new Matrix(w.rows, w.cols);
  for (let i = 0; i < w.data.length; i++) {
    vel.data[i] = config.beta * vel.data[i] + (1 - config.beta) * dw.data[i];
    updated.data[i] = w.data[i] - config.lr * vel.data[i];
  }
  return { w: updated, config: { lr: config.lr, beta: config.beta, velocity: vel } };
}

export function rmsprop(w: Matrix, dw: Matrix, config: RmspropConfig): { w: Matrix; config: RmspropConfig } {
  const cache = copyOrZeros(config.cache, w);
  const updated = new Matrix(w.rows, w.cols);
  for (let i = 0; i < w.data.length; i++) {
    cache.data[i] = config.decay * cache.data[i] + (1 - config.decay) * dw.data[i] * dw.data[i];
    updated.data[i] = w.data[i] - (config.lr * dw.data[i]) / (Math.sqrt(cache.data[i]) + config.eps);
  }
  return { w: updated, config: { lr: config.lr, decay: config.decay, eps: config.eps, cache } };
}

export function adam(w: Matrix, dw: Matrix, config: AdamConfig): { w: Matrix; config: AdamConfig } {
  const step = (config.t ?? 0) + 1;
  const m = copyOrZeros(config.m, w);
  const v = copyOrZeros(config.v, w);
  const c1 = 1 - config.beta1 ** step;
  const c2 = 1 - config.beta2 ** step;
  const updated = new Matrix(w.rows, w.cols);
  for (let i = 0; i < w.data.length; i++) {
    const g = dw.data[i];
    m.data[i] = config.beta1 * m.data[i] + (1 - config.beta1) * g;
    v.data[i] = config.beta2 * v.data[i] + (1 - config.beta2) * g * g;
    updated.data[i] = w.data[i] - (config.lr * (m.data[i] / c1)) / (Math.sqrt(v.data[i] / c2) + config.eps);
  }
  return { w: updated, config: { ...config, m, v, t: step } };
}
