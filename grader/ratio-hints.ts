/**
 * Hints for the fixed ratios that the course's mistakes produce in one output:
 * a base-10 or base-2 log in the loss, classical instead of lecture momentum,
 * an RMSProp cache without (1 - decay), non-inverted dropout, Adam without
 * bias correction, and a one-sided difference in the gradient check. Each rule
 * reads the hyperparameters from the case's own inputs, so it works on any
 * case of that function, not only the ones the fixture builder recorded.
 */
import type { Encoded } from './codec.js';
import { asNumeric, type Numeric } from './compare.js';
import type { ExpectedOutput, UnitCase } from './fixtures/types.generated.js';

/** How closely a ratio must hold: loose enough for eps terms and rounding, far tighter than any chance match. */
const RATIO_TOL = 1e-4;

/** A rule: for outputs of `fn` at `path`, the text of the hint when the student's output shows the pattern. */
interface RatioRule {
  fn: string;
  path: string;
  matches: (c: UnitCase, expected: Numeric, got: Numeric) => boolean;
  text: (c: UnitCase) => string;
}

/** The number `key` of the case's config argument (the third argument of an update rule). */
function configNumber(c: UnitCase, key: string): number | undefined {
  const config = c.args[2];
  if (!config || typeof config !== 'object' || Array.isArray(config)) return undefined;
  const v = (config as Record<string, Encoded>)[key];
  return typeof v === 'number' ? v : undefined;
}

/** The matrix `key` of the case's config argument, or zeros shaped like `like` when the config has none (state starts at zero). */
function configMatrix(c: UnitCase, key: string, like: Numeric): ArrayLike<number> {
  const config = c.args[2] as Record<string, Encoded> | undefined;
  const m = config && typeof config === 'object' ? asNumeric(config[key]) : null;
  return m && m.data.length === like.data.length ? m.data : new Float64Array(like.data.length);
}

/** The numeric input `index` of the case, or null. */
function argNumeric(c: UnitCase, index: number): Numeric | null {
  return asNumeric(c.args[index]);
}

/**
 * True when (got - base) = factor * (expected - base) element-wise, and the
 * expected change is not zero everywhere: the step, not the whole value, is scaled.
 */
function stepScaled(expected: Numeric, got: Numeric, base: ArrayLike<number>, factor: number): boolean {
  if (!Number.isFinite(factor) || got.data.length !== expected.data.length) return false;
  let moved = false;
  for (let i = 0; i < expected.data.length; i++) {
    const e = (expected.data[i] - base[i]) * factor, g = got.data[i] - base[i];
    if (Math.abs(expected.data[i] - base[i]) > 1e-12) moved = true;
    if (!(Math.abs(g - e) <= RATIO_TOL * (Math.abs(e) + Math.abs(g)) + 1e-12)) return false;
  }
  return moved;
}

/**
 * A running average's new state minus `rate` times the old one (the part the
 * gradient added) is 1/(1 - rate) times the expected: the (1 - rate) factor is
 * missing. Momentum's velocity (rate beta) and RMSProp's cache (rate decay).
 */
function stateGrowthRule(fn: 'momentum' | 'rmsprop', state: 'velocity' | 'cache', rate: 'beta' | 'decay', text: (factor: string) => string): RatioRule {
  return {
    fn, path: `config.${state}`,
    matches: (c, e, g) => {
      const k = configNumber(c, rate);
      if (k === undefined || k >= 1) return false;
      const base = Array.from(configMatrix(c, state, e), (v) => k * v);
      return stepScaled(e, g, base, 1 / (1 - k));
    },
    text: (c) => text(round(1 / (1 - (configNumber(c, rate) ?? 0)))),
  };
}

/** The step a momentum or RMSProp update takes on w, scaled as its state was. */
function stepRule(fn: 'momentum' | 'rmsprop'): RatioRule {
  const key = fn === 'momentum' ? 'beta' : 'decay';
  return {
    fn, path: 'w',
    matches: (c, e, g) => {
      const w = argNumeric(c, 0);
      const k = configNumber(c, key);
      if (!w || k === undefined || k >= 1) return false;
      // momentum's step scales with V; RMSProp's with 1/sqrt(cache)
      const factor = fn === 'momentum' ? 1 / (1 - k) : Math.sqrt(1 - k);
      const old = configMatrix(c, fn === 'momentum' ? 'velocity' : 'cache', e);
      return old.length > 0 && Array.from(old).every((v) => v === 0) && stepScaled(e, g, w.data, factor);
    },
    text: (c) => fn === 'momentum'
      ? `The first step is 1/(1 - beta) = ${round(1 / (1 - (configNumber(c, 'beta') ?? 0)))} times too large: the velocity must grow by (1 - beta) dw (lecture momentum), not by dw.`
      : `The first step is sqrt(1 - decay) times the expected one: the cache must grow by (1 - decay) dw^2, not by dw^2.`,
  };
}

/**
 * Adam's step without the bias correction, w - lr m / (sqrt(v) + eps), made
 * from the case's expected m and v (the state a correct step leaves).
 */
function adamRule(): RatioRule {
  return {
    fn: 'adam', path: 'w',
    matches: (c, e, g) => {
      const w = argNumeric(c, 0);
      const lr = configNumber(c, 'lr'), eps = configNumber(c, 'eps');
      const expectedOf = (path: string) => asNumeric(c.outputs.find((o) => o.path === path)?.expected);
      const m = expectedOf('config.m'), v = expectedOf('config.v');
      if (!w || lr === undefined || eps === undefined || !m || !v || m.data.length !== g.data.length || v.data.length !== g.data.length) return false;
      for (let i = 0; i < g.data.length; i++) {
        const step = (lr * m.data[i]) / (Math.sqrt(v.data[i]) + eps);
        if (!(Math.abs(g.data[i] - (w.data[i] - step)) <= RATIO_TOL * Math.abs(step) + 1e-12)) return false;
      }
      return true;
    },
    text: () => 'The step misses Adam\'s bias correction: divide m by (1 - beta1^t) and v by (1 - beta2^t) (t after its increment) before the update.',
  };
}

/** Non-inverted dropout: the kept units are not scaled by 1/keepProb. */
function dropoutRule(path: 'out' | 'mask'): RatioRule {
  return {
    fn: 'dropoutForward', path,
    matches: (c, e, g) => {
      const keep = c.args[1];
      return typeof keep === 'number' && keep < 1 && stepScaled(e, g, new Float64Array(e.data.length), keep);
    },
    text: () => 'The kept units are not scaled: this is inverted dropout, so a kept mask element is 1 / keepProb (and out = x o mask), which keeps the expected activation unchanged.',
  };
}

/** A loss in another log base: ln(x) / ln(b). */
function logBaseRule(base: 10 | 2): RatioRule {
  return {
    fn: 'softmaxCrossEntropy', path: 'loss',
    matches: (_c, e, g) => stepScaled(e, g, new Float64Array(e.data.length), 1 / Math.log(base)),
    text: () => base === 10
      ? 'The loss is 1/ln 10 = 0.434 times the expected one: it uses log10 (as the lecture slide\'s 0.89 does). The loss uses the natural log, Math.log.'
      : 'The loss is 1/ln 2 times the expected one: it uses log2. The loss uses the natural log, Math.log.',
  };
}

/**
 * A one-sided difference (f(x + eps) - f(x)) / eps on the grader's cubic test
 * function differs from the central one by exactly +-(eps/2) f''(x_i), with
 * f'' = 6 w_i x_i + 2 c_i^2 for f = sum w x^3 + (sum c x)^2.
 */
function forwardDifferenceRule(): RatioRule {
  return {
    fn: 'numericalGradient', path: '',
    matches: (c, e, g) => {
      const f = c.args[0] as { $type?: string; weights?: Encoded; cross?: Encoded } | null;
      const x = argNumeric(c, 1);
      const eps = typeof c.args[2] === 'number' ? c.args[2] : 1e-5;
      const w = f && f.$type === 'cubic' ? asNumeric(f.weights) : null;
      if (!x || !w || w.data.length !== x.data.length || g.data.length !== x.data.length) return false;
      const cross = f?.cross ? asNumeric(f.cross) : null;
      const curvature = (i: number) => 6 * w.data[i] * x.data[i] + (cross ? 2 * cross.data[i] ** 2 : 0);
      return [1, -1].some((side) => {
        let bent = false;
        for (let i = 0; i < x.data.length; i++) {
          const shift = side * (eps / 2) * curvature(i);
          if (Math.abs(shift) > 1e-9 * (1 + Math.abs(e.data[i]))) bent = true;
          const want = e.data[i] + shift;
          if (!(Math.abs(g.data[i] - want) <= 1e-3 * Math.abs(shift) + 1e-7 * (1 + Math.abs(want)))) return false;
        }
        return bent;
      });
    },
    text: () => 'The error is of order eps, the mark of a one-sided difference: use the central difference (f(x + eps) - f(x - eps)) / (2 eps), whose error is of order eps^2.',
  };
}

const RULES: RatioRule[] = [
  stateGrowthRule('momentum', 'velocity', 'beta', (f) => `The velocity grows by dw instead of (1 - beta) dw: that is classical momentum, 1/(1 - beta) = ${f} times the lecture's. Use V <- beta V + (1 - beta) dw.`),
  stateGrowthRule('rmsprop', 'cache', 'decay', (f) => `The cache grows by dw^2 instead of (1 - decay) dw^2 (1/(1 - decay) = ${f} times too much): cache <- decay cache + (1 - decay) dw^2.`), stepRule('momentum'), stepRule('rmsprop'), adamRule(),
  dropoutRule('out'), dropoutRule('mask'), logBaseRule(10), logBaseRule(2), forwardDifferenceRule(),
];

function round(v: number): string {
  return String(Number(v.toPrecision(3)));
}

/** The hint of the first rule for this output whose ratio the student's value shows, or undefined. */
export function ratioHint(c: UnitCase, out: ExpectedOutput, expected: Numeric, got: Numeric): string | undefined {
  if (expected.data.length !== got.data.length) return undefined;
  return RULES.find((r) => r.fn === c.fn && r.path === out.path && r.matches(c, expected, got))?.text(c);
}
