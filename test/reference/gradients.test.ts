/**
 * The reference solution is what the fixtures are built from, so every backward
 * must agree with a central-difference gradient of its own forward, and the
 * small numeric facts from the lectures must hold exactly.
 */
import { describe, expect, it } from 'vitest';
import { Matrix, mul, sumAll } from '../../starter/provided/matrix.js';
import { Random } from '../../starter/provided/random.js';
import {
  eluBackward, eluForward, leakyReluBackward, leakyReluForward, reluBackward, reluForward,
  sigmoidBackward, sigmoidForward, tanhBackward, tanhForward,
} from '../../reference/activations.js';
import { dropoutBackward, dropoutForward } from '../../reference/dropout.js';
import { numericalGradient, relError } from '../../reference/gradcheck.js';
import { glorotNormal, heNormal, initMLP, xavierUniform } from '../../reference/init.js';
import { affineBackward, affineForward, softmax, softmaxCrossEntropy } from '../../reference/layers.js';
import { mlpLoss, type ActivationName, type NetworkOptions, type Params } from '../../reference/network.js';
import { adam, momentum, rmsprop, sgd } from '../../reference/optim.js';
import { l1Penalty, l2Penalty } from '../../reference/regularization.js';
import { trainMLP, type TrainOptions } from '../../reference/train.js';

// The worst case below is about 5e-8 (deep sigmoid, 16x10 softmax): float64 rounding, not a bug.
const TOL = 1e-7;

/** Standard-normal matrix times `scale`; with `away`, every |element| >= away (redrawn until it is). */
function randn(rows: number, cols: number, rng: Random, scale = 1, away = 0): Matrix {
  const m = new Matrix(rows, cols);
  for (let i = 0; i < m.data.length; i++) {
    let v = 0;
    do v = rng.normal() * scale; while (Math.abs(v) < away);
    m.data[i] = v;
  }
  return m;
}

/** A few seeded (rows, cols) shapes, including single rows and columns. */
function shapes(seed: string, count = 4): [number, number][] {
  const rng = new Random(seed);
  const out: [number, number][] = [[1, 1], [1, 7]];
  while (out.length < count + 2) out.push([1 + rng.int(9), 1 + rng.int(9)]);
  return out;
}

/** Scalar loss sum(upstream o f(x)), whose gradient at x is backward(upstream, x). */
function upstreamLoss(f: (x: Matrix) => Matrix, upstream: Matrix): (x: Matrix) => number {
  return (x) => sumAll(mul(upstream, f(x)));
}

describe('activation backwards match numerical gradients', () => {
  const cases: { name: string; forward: (z: Matrix) => Matrix; backward: (d: Matrix, z: Matrix) => Matrix; kinked: boolean }[] = [
    { name: 'sigmoid', forward: sigmoidForward, backward: sigmoidBackward, kinked: false },
    { name: 'tanh', forward: tanhForward, backward: tanhBackward, kinked: false },
    { name: 'relu', forward: reluForward, backward: reluBackward, kinked: true },
    { name: 'leaky_relu 0.01', forward: (z) => leakyReluForward(z, 0.01), backward: (d, z) => leakyReluBackward(d, z, 0.01), kinked: true },
    { name: 'leaky_relu 0.1', forward: (z) => leakyReluForward(z, 0.1), backward: (d, z) => leakyReluBackward(d, z, 0.1), kinked: true },
    { name: 'elu 1', forward: (z) => eluForward(z, 1), backward: (d, z) => eluBackward(d, z, 1), kinked: true },
    { name: 'elu 0.5', forward: (z) => eluForward(z, 0.5), backward: (d, z) => eluBackward(d, z, 0.5), kinked: true },
  ];
  for (const c of cases) {
    it.each(shapes(c.name))(`${c.name} on %i x %i`, (rows, cols) => {
      const rng = new Random(`${c.name}-${rows}x${cols}`);
      // |z| <= ~4 keeps g' large enough to check; upstream away from 0 so no product vanishes
      const z = randn(rows, cols, rng, 1, c.kinked ? 0.1 : 0);
      const up = randn(rows, cols, rng, 1, 0.1);
      const analytic = c.backward(up, z);
      const numeric = numericalGradient(upstreamLoss(c.forward, up), z);
      expect(relError(analytic, numeric)).toBeLessThan(TOL);
    });
  }

  it('the kinked activations have the documented slopes on each side', () => {
    const z = Matrix.fromRows([[-2, 3]]);
    const one = Matrix.fromRows([[1, 1]]);
    expect(Array.from(reluBackward(one, z).data)).toEqual([0, 1]);
    expect(Array.from(leakyReluBackward(one, z, 0.1).data)).toEqual([0.1, 1]);
    expect(eluBackward(one, z, 0.5).data[0]).toBeCloseTo(0.5 * Math.exp(-2), 15);
    expect(eluForward(z, 0.5).data[0]).toBeCloseTo(0.5 * (Math.exp(-2) - 1), 15);
  });
});

describe('affine backward matches numerical gradients', () => {
  it.each([[1, 1, 1], [1, 4, 3], [5, 3, 2], [7, 6, 9], [10, 2, 5]])('N=%i D=%i M=%i', (N, D, M) => {
    const rng = new Random(`affine-${N}-${D}-${M}`);
    const x = randn(N, D, rng);
    const W = randn(D, M, rng);
    const b = randn(1, M, rng);
    const up = randn(N, M, rng);
    const { dx, dW, db } = affineBackward(up, x, W);
    expect([dx.shape, dW.shape, db.shape]).toEqual([x.shape, W.shape, b.shape]);
    const loss = () => sumAll(mul(up, affineForward(x, W, b)));
    expect(relError(dx, numericalGradient(loss, x))).toBeLessThan(TOL);
    expect(relError(dW, numericalGradient(loss, W))).toBeLessThan(TOL);
    expect(relError(db, numericalGradient(loss, b))).toBeLessThan(TOL);
  });
});

describe('softmax cross-entropy', () => {
  it.each([[1, 2], [1, 10], [4, 3], [8, 5], [16, 10]])('dscores matches numerical gradient (N=%i C=%i)', (N, C) => {
    const rng = new Random(`softmax-${N}-${C}`);
    const scores = randn(N, C, rng); // larger logits make some p so small that no float64 difference resolves them
    const y = Array.from({ length: N }, () => rng.int(C));
    const { dscores } = softmaxCrossEntropy(scores, y);
    const numeric = numericalGradient((s) => softmaxCrossEntropy(s, y).loss, scores);
    expect(relError(dscores, numeric)).toBeLessThan(TOL);
  });

  it('stays finite on logits of +-1000 and of 1000 everywhere', () => {
    const extreme = Matrix.fromRows([[1000, -1000, 0], [-1000, 1000, 1000], [1000, 1000, 1000]]);
    const { loss, dscores } = softmaxCrossEntropy(extreme, [1, 0, 2]);
    expect(Number.isFinite(loss)).toBe(true);
    expect(dscores.data.every(Number.isFinite)).toBe(true);
    // row 0: label 1 sits 2000 below the max; row 1: label 0 likewise (ln 2 + 2000); row 2: ln 3
    expect(loss).toBeCloseTo((2000 + (2000 + Math.log(2)) + Math.log(3)) / 3, 9);
    const p = softmax(extreme);
    expect(Array.from(p.row(2).data)).toEqual([1 / 3, 1 / 3, 1 / 3]);
  });

  it('gives -ln 0.13 = 2.04 (natural log) on the lecture example', () => {
    const scores = Matrix.fromRows([[3.2, 5.1, -1.7]]);
    const p = softmax(scores);
    expect(p.data[0]).toBeCloseTo(0.13, 2);
    expect(p.data[1]).toBeCloseTo(0.87, 2);
    expect(p.data[2]).toBeCloseTo(0.0, 2);
    const { loss } = softmaxCrossEntropy(scores, [0]);
    expect(loss).toBeCloseTo(-Math.log(p.data[0]), 12);
    expect(loss).toBeCloseTo(2.04, 2);
  });
});

describe('penalties match numerical gradients', () => {
  const penalties = { l2: l2Penalty, l1: l1Penalty };
  for (const [name, penalty] of Object.entries(penalties)) {
    it.each([0.1, 0.5, 3])(`${name} with lambda %f`, (lambda) => {
      const rng = new Random(`${name}-${lambda}`);
      // L1 has a kink at 0: keep every weight well away from it
      const weights = [randn(3, 4, rng, 1, 0.1), randn(4, 2, rng, 1, 0.1), randn(1, 5, rng, 1, 0.1)];
      const { grads } = penalty(weights, lambda);
      for (let k = 0; k < weights.length; k++) {
        const numeric = numericalGradient(() => penalty(weights, lambda).loss, weights[k]);
        expect(relError(grads[k], numeric)).toBeLessThan(TOL);
      }
    });
  }

  it('L2 carries the 1/2 and L1 the absolute value', () => {
    const W = Matrix.fromRows([[1, -2], [3, 0.5]]);
    expect(l2Penalty([W], 0.1).loss).toBeCloseTo(0.05 * (1 + 4 + 9 + 0.25), 14);
    expect(Array.from(l2Penalty([W], 0.1).grads[0].data)).toEqual([0.1, -0.2, 0.1 * 3, 0.05]);
    expect(l1Penalty([W], 0.1).loss).toBeCloseTo(0.1 * 6.5, 14);
    expect(Array.from(l1Penalty([W], 0.1).grads[0].data)).toEqual([0.1, -0.1, 0.1, 0.1]);
  });
});

describe('dropout with a fixed mask matches numerical gradients', () => {
  it.each([[0.5, 3, 4], [0.8, 6, 5], [0.3, 1, 9]])('keepProb %f on %i x %i', (keepProb, rows, cols) => {
    const rng = new Random(`dropout-${keepProb}`);
    const x = randn(rows, cols, rng);
    const up = randn(rows, cols, rng);
    const seed = `mask-${keepProb}`;
    const { mask } = dropoutForward(x, keepProb, new Random(seed));
    expect(mask.data.every((m) => m === 0 || m === 1 / keepProb)).toBe(true);
    const loss = (v: Matrix) => sumAll(mul(up, dropoutForward(v, keepProb, new Random(seed)).out));
    expect(relError(dropoutBackward(up, mask), numericalGradient(loss, x))).toBeLessThan(TOL);
  });
});

describe('whole MLP gradients match numerical gradients', () => {
  const activations: { activation: ActivationName; alpha?: number; kinked: boolean }[] = [
    { activation: 'sigmoid', kinked: false },
    { activation: 'tanh', kinked: false },
    { activation: 'relu', kinked: true },
    { activation: 'leaky_relu', alpha: 0.01, kinked: true },
    { activation: 'leaky_relu', alpha: 0.1, kinked: true },
    { activation: 'elu', alpha: 1, kinked: true },
    { activation: 'elu', alpha: 0.5, kinked: true },
  ];
  const cases = [];
  for (const act of activations) {
    for (let depth = 1; depth <= 4; depth++) {
      for (const regType of ['l2', 'l1'] as const) cases.push({ ...act, depth, regType });
    }
  }

  it.each(cases)('$activation (alpha $alpha), $depth layer(s), $regType', ({ activation, alpha, kinked, depth, regType }) => {
    const rng = new Random(`mlp-${activation}-${alpha}-${depth}-${regType}`);
    const N = 6, D = 4, C = 3;
    const sizes = [D, ...Array.from({ length: depth - 1 }, (_, k) => 5 - k), C];
    // weights away from 0 for the L1 kink; scale 1/sqrt(fan_in) keeps gradients from vanishing
    const params: Params = {
      W: sizes.slice(1).map((m, k) => randn(sizes[k], m, rng, 1.5 / Math.sqrt(sizes[k]), 0.05)),
      b: sizes.slice(1).map((m) => randn(1, m, rng, 0.5)),
    };
    const X = randn(N, D, rng);
    const y = Array.from({ length: N }, (_, n) => n % C);
    const options: NetworkOptions = { activation, alpha, reg: 0.05, regType };
    // a step of 1e-5 in a weight moves z by about 1e-5 |a|: stay well clear of the kink
    if (kinked) expect(minAbsPreActivation(params, X, options)).toBeGreaterThan(1e-4);

    const { grads } = mlpLoss(params, X, y, options);
    const loss = () => mlpLoss(params, X, y, options).loss;
    for (let k = 0; k < depth; k++) {
      expect(relError(grads.W[k], numericalGradient(loss, params.W[k]))).toBeLessThan(TOL);
      expect(relError(grads.b[k], numericalGradient(loss, params.b[k]))).toBeLessThan(TOL);
    }
  });

  it('regularises weights only, never biases', () => {
    const rng = new Random('bias-not-regularised');
    const params: Params = { W: [randn(3, 2, rng)], b: [randn(1, 2, rng)] };
    const X = randn(4, 3, rng);
    const y = [0, 1, 1, 0];
    const plain = mlpLoss(params, X, y, { activation: 'tanh' });
    const reg = mlpLoss(params, X, y, { activation: 'tanh', reg: 0.3 });
    expect(Array.from(reg.grads.b[0].data)).toEqual(Array.from(plain.grads.b[0].data));
    expect(reg.loss - plain.loss).toBeCloseTo(l2Penalty(params.W, 0.3).loss, 12);
  });
});

/** Smallest |z| over every hidden pre-activation, so a kink test knows it is not sitting on one. */
function minAbsPreActivation(params: Params, X: Matrix, options: NetworkOptions): number {
  let a = X;
  let min = Infinity;
  for (let k = 0; k + 1 < params.W.length; k++) {
    const z = affineForward(a, params.W[k], params.b[k]);
    for (const v of z.data) min = Math.min(min, Math.abs(v));
    a = options.activation === 'relu' ? reluForward(z)
      : options.activation === 'leaky_relu' ? leakyReluForward(z, options.alpha)
        : eluForward(z, options.alpha);
  }
  return min;
}

describe('gradient checking helpers', () => {
  it('estimates d(theta^3)/dtheta at 1 with eps 0.01 as 3.0001 (the lecture quiz)', () => {
    const g = numericalGradient((x) => x.data[0] ** 3, Matrix.fromRows([[1]]), 0.01);
    expect(g.data[0]).toBeCloseTo(3.0001, 10);
  });

  it('puts every perturbed element back', () => {
    const x = Matrix.fromRows([[1, 2], [3, 4]]);
    numericalGradient((v) => sumAll(v), x);
    expect(Array.from(x.data)).toEqual([1, 2, 3, 4]);
  });

  it('relError is max |a-b| / max(1e-8, |a|+|b|), element-wise', () => {
    const a = Matrix.fromRows([[1, 0, 2, 1e-12]]);
    const b = Matrix.fromRows([[1.1, 0, -2, 0]]);
    // elements: 0.1/2.1, 0 (0/1e-8), 4/4 = 1, 1e-12/1e-8 = 1e-4
    expect(relError(a, b)).toBe(1);
    expect(relError(a.row(0), Matrix.fromRows([[1.1, 0, 2, 0]]))).toBeCloseTo(0.1 / 2.1, 15);
    expect(relError(Matrix.fromRows([[1e-12]]), Matrix.fromRows([[0]]))).toBeCloseTo(1e-4, 15);
  });
});

describe('optimisers take the documented step', () => {
  const w = Matrix.fromRows([[1, -2]]);
  const dw = Matrix.fromRows([[0.5, -4]]);

  it('sgd: w - lr dw', () => {
    expect(Array.from(sgd(w, dw, { lr: 0.1 }).w.data)).toEqual([1 - 0.05, -2 + 0.4]);
    expect(Array.from(w.data)).toEqual([1, -2]);
  });

  it('momentum in lecture form: V = beta V + (1 - beta) dW, W -= lr V', () => {
    const first = momentum(w, dw, { lr: 0.1, beta: 0.9 });
    // V = 0.1 dw = (0.05, -0.4); w = (1 - 0.005, -2 + 0.04)
    expect(first.w.data[0]).toBeCloseTo(0.995, 15);
    expect(first.w.data[1]).toBeCloseTo(-1.96, 15);
    const second = momentum(first.w, dw, first.config);
    // V = 0.9 (0.05, -0.4) + 0.1 (0.5, -4) = (0.095, -0.76)
    expect(second.config.velocity!.data[0]).toBeCloseTo(0.095, 15);
    expect(second.config.velocity!.data[1]).toBeCloseTo(-0.76, 15);
    expect(second.w.data[0]).toBeCloseTo(0.995 - 0.0095, 15);
    expect(second.w.data[1]).toBeCloseTo(-1.96 + 0.076, 15);
    expect(first.config.velocity!.data[0]).toBeCloseTo(0.05, 15);
  });

  it('rmsprop: cache = decay cache + (1 - decay) dw^2, w -= lr dw / (sqrt(cache) + eps)', () => {
    const { w: next, config } = rmsprop(w, dw, { lr: 0.01, decay: 0.99, eps: 1e-8 });
    // cache = 0.01 dw^2 = (0.0025, 0.16); sqrt = (0.05, 0.4); step = lr dw / sqrt = (0.1, -0.1)
    expect(config.cache!.data[0]).toBeCloseTo(0.0025, 15);
    expect(config.cache!.data[1]).toBeCloseTo(0.16, 15);
    expect(next.data[0]).toBeCloseTo(1 - 0.01 * 0.5 / (0.05 + 1e-8), 14);
    expect(next.data[1]).toBeCloseTo(-2 + 0.01 * 4 / (0.4 + 1e-8), 14);
  });

  it('adam: bias-corrected moments', () => {
    const cfg = { lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8 };
    const first = adam(w, dw, cfg);
    expect(first.config.t).toBe(1);
    // at t = 1 mhat = dw and vhat = dw^2, so the step is lr sign(dw) (up to eps)
    expect(first.w.data[0]).toBeCloseTo(1 - 0.001 * 0.5 / (0.5 + 1e-8), 15);
    expect(first.w.data[1]).toBeCloseTo(-2 + 0.001 * 4 / (4 + 1e-8), 15);
    const g2 = Matrix.fromRows([[1, 1]]);
    const second = adam(first.w, g2, first.config);
    expect(second.config.t).toBe(2);
    const m = 0.9 * 0.05 + 0.1 * 1; // m after step 1 is 0.1 * 0.5 = 0.05
    const v = 0.999 * 0.001 * 0.25 + 0.001 * 1;
    const mhat = m / (1 - 0.81), vhat = v / (1 - 0.999 ** 2);
    expect(second.w.data[0]).toBeCloseTo(first.w.data[0] - 0.001 * mhat / (Math.sqrt(vhat) + 1e-8), 15);
  });
});

describe('initialisation', () => {
  /** Mean and standard deviation of every element. */
  function stats(W: Matrix): { mean: number; std: number; maxAbs: number } {
    let s = 0, s2 = 0, maxAbs = 0;
    for (const v of W.data) { s += v; s2 += v * v; maxAbs = Math.max(maxAbs, Math.abs(v)); }
    const mean = s / W.data.length;
    return { mean, std: Math.sqrt(s2 / W.data.length - mean * mean), maxAbs };
  }

  it('xavier_uniform stays inside +-sqrt(6 / (fan_in + fan_out)) and fills it', () => {
    const W = xavierUniform(400, 200, new Random('xavier'));
    const U = Math.sqrt(6 / 600);
    const { mean, std, maxAbs } = stats(W);
    expect(maxAbs).toBeLessThanOrEqual(U);
    expect(maxAbs).toBeGreaterThan(0.999 * U);
    expect(Math.abs(mean)).toBeLessThan(0.01 * U);
    expect(std / (U / Math.sqrt(3))).toBeCloseTo(1, 2);
  });

  it('glorot_normal has std sqrt(2 / (fan_in + fan_out)), he_normal sqrt(2 / fan_in)', () => {
    const g = stats(glorotNormal(400, 200, new Random('glorot')));
    expect(g.std / Math.sqrt(2 / 600)).toBeCloseTo(1, 2);
    expect(Math.abs(g.mean)).toBeLessThan(0.01 * g.std);
    const h = stats(heNormal(400, 200, new Random('he')));
    expect(h.std / Math.sqrt(2 / 400)).toBeCloseTo(1, 2);
    expect(Math.abs(h.mean)).toBeLessThan(0.01 * h.std);
  });

  it.each(['xavier_uniform', 'glorot_normal', 'he_normal'] as const)('initMLP(%s) gives layer shapes and zero biases', (scheme) => {
    const { W, b } = initMLP([7, 5, 4, 3], scheme, new Random(scheme));
    expect(W.map((m) => m.shape)).toEqual(['7x5', '5x4', '4x3']);
    expect(b.map((m) => m.shape)).toEqual(['1x5', '1x4', '1x3']);
    expect(b.every((m) => m.data.every((v) => v === 0))).toBe(true);
    expect(W.every((m) => m.data.some((v) => v !== 0))).toBe(true);
  });
});

describe('trainMLP', () => {
  it('gives bit-identical weights for the same seed', () => {
    const rng = new Random('blobs');
    const X = randn(60, 3, rng);
    const y = Array.from({ length: 60 }, (_, n) => (X.data[3 * n] + X.data[3 * n + 1] > 0 ? 1 : 0) + (n % 3 === 0 ? 1 : 0));
    const options: TrainOptions = {
      activation: 'tanh', hidden: [6, 4], init: 'xavier_uniform', optimizer: 'adam',
      lr: 0.01, batchSize: 16, epochs: 3, reg: 0.001,
    };
    const a = trainMLP({ X, y, classes: 3 }, options, new Random(7));
    const b = trainMLP({ X, y, classes: 3 }, options, new Random(7));
    const c = trainMLP({ X, y, classes: 3 }, options, new Random(8));
    const bytes = (m: Matrix) => Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength);
    for (let k = 0; k < a.params.W.length; k++) {
      expect(bytes(a.params.W[k]).equals(bytes(b.params.W[k]))).toBe(true);
      expect(bytes(a.params.b[k]).equals(bytes(b.params.b[k]))).toBe(true);
    }
    expect(a.history).toEqual(b.history);
    expect(a.params.W[0].data).not.toEqual(c.params.W[0].data);
    expect(a.history.batchLoss).toHaveLength(3 * 4);
  });
});
