// The MLP: forward to scores, and the loss with back-propagation, keeping a cache per layer.
import { Matrix } from './provided/matrix.js';
import {
  eluBackward, eluForward, leakyReluBackward, leakyReluForward, reluBackward, reluForward,
  sigmoidBackward, sigmoidForward, tanhBackward, tanhForward,
} from './activations.js';
import { affineBackward, affineForward, softmaxCrossEntropy } from './layers.js';
import { l1Penalty, l2Penalty } from './regularization.js';

export type ActivationName = 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'elu';
export interface Params { W: Matrix[]; b: Matrix[] }
export interface NetworkOptions { activation: ActivationName; alpha?: number; reg?: number; regType?: 'l2' | 'l1' }

export function activationForward(z: Matrix, options: NetworkOptions): Matrix {
  const kind = options.activation;
  if (kind === 'relu') return reluForward(z);
  if (kind === 'tanh') return tanhForward(z);
  if (kind === 'sigmoid') return sigmoidForward(z);
  if (kind === 'leaky_relu') return leakyReluForward(z, options.alpha ?? 0.01);
  return eluForward(z, options.alpha ?? 1);
}

export function activationBackward(dout: Matrix, z: Matrix, options: NetworkOptions): Matrix {
  const kind = options.activation;
  if (kind === 'relu') return reluBackward(dout, z);
  if (kind === 'tanh') return tanhBackward(dout, z);
  if (kind === 'sigmoid') return sigmoidBackward(dout, z);
  if (kind === 'leaky_relu') return leakyReluBackward(dout, z, options.alpha ?? 0.01);
  return eluBackward(dout, z, options.alpha ?? 1);
}

interface LayerCache { input: Matrix; pre: Matrix }

function forwardWithCache(params: Params, X: Matrix, options: NetworkOptions): { scores: Matrix; caches: LayerCache[] } {
  const caches: LayerCache[] = [];
  let h = X;
  const depth = params.W.length;
  for (let layer = 0; layer < depth; layer++) {
    const pre = affineForward(h, params.W[layer], params.b[layer]);
    caches.push({ input: h, pre });
    h = layer === depth - 1 ? pre : activationForward(pre, options);
  }
  return { scores: h, caches };
}

export function mlpScores(params: Params, X: Matrix, options: NetworkOptions): Matrix {
  return forwardWithCache(params, X, options).scores;
}

export function mlpLoss(params: Params, X: Matrix, y: readonly number[], options: NetworkOptions): { loss: number; grads: Params } {
  const { scores, caches } = forwardWithCache(params, X, options);
  const data = softmaxCrossEntropy(scores, y);
  const lambda = options.reg ?? 0;
  const penalty = options.regType === 'l1' ? l1Penalty(params.W, lambda) : l2Penalty(params.W, lambda);
  const depth = params.W.length;
  const gW: Matrix[] = [];
  const gb: Matrix[] = [];
  let upstream = data.dscores;
  for (let layer = depth - 1; layer >= 0; layer--) {
    const back = affineBackward(upstream, caches[layer].input, params.W[layer]);
    const dW = back.dW;
    for (let i = 0; i < dW.data.length; i++) dW.data[i] = dW.data[i] + penalty.grads[layer].data[i];
    gW[layer] = dW;
    gb[layer] = back.db;
    if (layer > 0) upstream = activationBackward(back.dx, caches[layer - 1].pre, options);
  }
  return { loss: data.loss + penalty.loss, grads: { W: gW, b: gb } };
}
