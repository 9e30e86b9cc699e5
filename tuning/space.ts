/**
 * What `npm run tune` searches over: a search space per data set, the grid of
 * all its combinations, and seeded random samples from it. A setting is
 * exactly what config.json holds for a data set, so the best one can be
 * written there as it is.
 */
import type { Random } from '../starter/provided/random.js';
import type { Hyperparameters } from '../grader/fixtures/types.generated.js';

/** The data sets the grader has a training part for. */
export type DatasetName = 'moons' | 'mnist' | 'cifar10';
type Activation = Hyperparameters['activation'];
type Optimizer = Hyperparameters['optimizer'];

/** One trial's hyperparameters: a config.json entry (the schema's Hyperparameters). */
export type Setting = Hyperparameters;

/** How a learning rate is chosen: one of a list, or log-uniform in [min, max] (a grid takes min, the geometric middle and max). */
export type LrRule = { values: number[] } | { min: number; max: number };

/** The values each hyperparameter may take; hidden layers are `depth` layers of one of the `sizes`. */
export interface SearchSpace {
  sizes: number[];
  depth: number[];
  activation: Activation[];
  optimizer: Optimizer[];
  /** Per optimiser, since adam wants a smaller step than sgd and momentum. */
  lr: Record<Optimizer, LrRule>;
  reg: number[];
  batchSize: number[];
  /** Fixed per data set, so trials compare like with like. */
  epochs: number;
  /** Train on only the first trainSize examples (CIFAR-10: to fit the grader's time limit); written to config.json too. */
  trainSize?: number;
}

/** The default space of each data set, and how many trials a default run makes. */
export const DEFAULT_SPACES: Record<DatasetName, { space: SearchSpace; trials: number }> = {
  moons: {
    trials: 12,
    space: {
      sizes: [5, 10, 20, 50], depth: [1, 2], activation: ['tanh', 'relu', 'sigmoid', 'elu', 'leaky_relu'],
      optimizer: ['sgd', 'momentum', 'adam'],
      lr: { sgd: { min: 0.01, max: 1 }, momentum: { min: 0.01, max: 1 }, rmsprop: { min: 0.001, max: 0.03 }, adam: { min: 0.001, max: 0.03 } },
      reg: [0, 1e-4, 1e-3, 1e-2], batchSize: [20, 50, 100], epochs: 100,
    },
  },
  mnist: {
    trials: 6,
    space: {
      sizes: [100, 200, 500], depth: [1, 2], activation: ['relu', 'leaky_relu', 'elu', 'tanh'],
      optimizer: ['sgd', 'momentum', 'adam'],
      lr: { sgd: { min: 0.01, max: 0.3 }, momentum: { min: 0.01, max: 0.3 }, rmsprop: { min: 1e-4, max: 3e-3 }, adam: { min: 1e-4, max: 3e-3 } },
      reg: [0, 1e-4, 1e-3], batchSize: [50, 100, 200], epochs: 3,
    },
  },
  cifar10: {
    trials: 4,
    space: {
      sizes: [100, 200, 500], depth: [1, 2], activation: ['relu', 'leaky_relu', 'elu', 'tanh'],
      optimizer: ['sgd', 'momentum', 'adam'],
      lr: { sgd: { min: 0.001, max: 0.05 }, momentum: { min: 0.001, max: 0.05 }, rmsprop: { min: 1e-4, max: 2e-3 }, adam: { min: 1e-4, max: 2e-3 } },
      reg: [0, 1e-4, 1e-3, 1e-2], batchSize: [100, 200], epochs: 5, trainSize: 10000,
    },
  },
};

/** He init for the ReLU family, Glorot for the saturating ones (the lecture's advice), so init need not be searched. */
export function initFor(activation: Activation): Setting['init'] {
  return activation === 'tanh' || activation === 'sigmoid' ? 'xavier_uniform' : 'he_normal';
}

/** A number to `digits` significant digits, so a sampled rate reads well and is exactly what is written to config.json. */
export function roundSignificant(x: number, digits = 2): number {
  return Number(x.toPrecision(digits));
}

/** The learning rates a grid tries under a rule. */
export function gridRates(rule: LrRule): number[] {
  if ('values' in rule) return rule.values;
  if (rule.min === rule.max) return [rule.min];
  return [...new Set([rule.min, roundSignificant(Math.sqrt(rule.min * rule.max)), rule.max])];
}

function settingOf(space: SearchSpace, v: { size: number; depth: number; activation: Activation; optimizer: Optimizer; lr: number; reg: number; batchSize: number }): Setting {
  const setting: Setting = {
    hidden: Array.from({ length: v.depth }, () => v.size),
    activation: v.activation,
    init: initFor(v.activation),
    optimizer: v.optimizer,
    lr: v.lr,
    batchSize: v.batchSize,
    epochs: space.epochs,
    reg: v.reg,
  };
  if (space.trainSize !== undefined) setting.trainSize = space.trainSize;
  return setting;
}

/** Every distinct combination of the space, in a fixed order (sizes vary slowest, batch sizes fastest; depth 0 once). */
export function gridSettings(space: SearchSpace): Setting[] {
  const out = new Map<string, Setting>();
  for (const size of space.sizes) for (const depth of space.depth) for (const activation of space.activation) {
    for (const optimizer of space.optimizer) for (const lr of gridRates(space.lr[optimizer])) {
      for (const reg of space.reg) for (const batchSize of space.batchSize) {
        const setting = settingOf(space, { size, depth, activation, optimizer, lr, reg, batchSize });
        const key = settingKey(setting);
        if (!out.has(key)) out.set(key, setting);
      }
    }
  }
  return [...out.values()];
}

/** A stable text key of a setting, to tell repeats apart. */
export function settingKey(s: Setting): string {
  return JSON.stringify([s.hidden, s.activation, s.init, s.optimizer, s.lr, s.batchSize, s.epochs, s.reg ?? 0, s.trainSize ?? null]);
}

/**
 * `n` settings drawn with `rng`: each hyperparameter uniformly from its list,
 * a learning-rate range log-uniformly (rounded to 2 significant digits).
 * Repeats are redrawn, so fewer than `n` come back only from a space that small.
 */
export function randomSettings(space: SearchSpace, n: number, rng: Random): Setting[] {
  const pick = <T>(xs: readonly T[]): T => xs[rng.int(xs.length)];
  const seen = new Set<string>();
  const out: Setting[] = [];
  for (let attempt = 0; out.length < n && attempt < n * 50; attempt++) {
    const optimizer = pick(space.optimizer);
    const rule = space.lr[optimizer];
    const lr = 'values' in rule ? pick(rule.values) : roundSignificant(Math.exp(rng.uniformRange(Math.log(rule.min), Math.log(rule.max))));
    const setting = settingOf(space, {
      size: pick(space.sizes), depth: pick(space.depth), activation: pick(space.activation), optimizer, lr,
      reg: pick(space.reg), batchSize: pick(space.batchSize),
    });
    const key = settingKey(setting);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(setting);
  }
  return out;
}

/**
 * The settings a search runs: random draws, or the grid, all of it when it has
 * at most `n` points, else `n` of its points chosen with `rng` (kept in grid order).
 */
export function searchSettings(space: SearchSpace, search: 'grid' | 'random', n: number, rng: Random): { settings: Setting[]; gridSize?: number } {
  if (search === 'random') return { settings: randomSettings(space, n, rng) };
  const grid = gridSettings(space);
  if (grid.length <= n) return { settings: grid, gridSize: grid.length };
  const chosen = rng.permutation(grid.length).slice(0, n).sort((a, b) => a - b);
  return { settings: chosen.map((i) => grid[i]), gridSize: grid.length };
}

/** "20-20 relu adam lr 0.0031 reg 0.0001 batch 50": one setting on one line. */
export function describeSetting(s: Setting): string {
  const hidden = s.hidden.length ? s.hidden.join('-') : 'none';
  return `${hidden} ${s.activation} ${s.optimizer} lr ${s.lr} reg ${s.reg ?? 0} batch ${s.batchSize}`;
}
