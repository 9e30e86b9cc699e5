/**
 * The hyperparameter flags of `npm run train` and their value checks (the
 * generic parsing lives in common/flags.ts).
 */
import type { ParseArgsConfig } from 'node:util';
import type { Hyperparameters as ConfigHyperparameters } from '../grader/fixtures/types.generated.js';
import { ACTIVATIONS, INIT_SCHEMES, OPTIMIZERS, REG_TYPES, parseChoice, parseNumber } from '../common/flags.js';
import { UsageError } from '../common/usage-error.js';

/** parseArgs definitions of the hyperparameter flags (all strings: the values are checked here, not by parseArgs). */
export const HYPERPARAMETER_OPTIONS = {
  hidden: { type: 'string', multiple: true },
  activation: { type: 'string' },
  alpha: { type: 'string' },
  lr: { type: 'string' },
  batch: { type: 'string' },
  epochs: { type: 'string' },
  reg: { type: 'string' },
  'reg-type': { type: 'string' },
  optimizer: { type: 'string' },
  init: { type: 'string' },
  seed: { type: 'string' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

/** The --help lines for HYPERPARAMETER_OPTIONS, so every CLI documents them the same way. */
export const HYPERPARAMETER_HELP = `  --hidden SIZES       hidden layer sizes: repeat the flag or give a comma list (500,200); 0 or none: no hidden layer
  --activation NAME    hidden activation: ${ACTIVATIONS.join(', ')}
  --alpha A            leaky_relu slope (default 0.01) or elu scale (default 1)
  --lr ETA             learning rate
  --batch N            mini-batch size
  --epochs N           passes over the training set
  --reg LAMBDA         regularisation strength (default 0)
  --reg-type KIND      ${REG_TYPES.join(' or ')} (default l2)
  --optimizer NAME     ${OPTIMIZERS.join(', ')}
  --init SCHEME        ${INIT_SCHEMES.join(', ')}
  --seed SEED          seed for initialisation and shuffling (default 1)`;

/** Training options plus the seed of the run: everything needed to repeat it. */
export interface Hyperparameters extends Omit<ConfigHyperparameters, 'trainSize'> {
  seed: string;
}

/** The bounds of config.json's "hidden" (fixtures/schema/config.schema.json), so a command line cannot ask for more. */
export const MAX_HIDDEN_SIZE = 4096;
export const MAX_HIDDEN_LAYERS = 6;

/**
 * Hidden layer sizes from repeated and/or comma-separated --hidden values:
 * ["500"] -> [500], ["500,200"] or ["500", "200"] -> [500, 200], ["0"] or ["none"] -> [] (no hidden layer).
 */
export function parseHidden(texts: readonly string[]): number[] {
  const parts = texts.flatMap((t) => t.split(',')).map((t) => t.trim());
  if (parts.length === 1 && (parts[0] === '0' || parts[0].toLowerCase() === 'none')) return [];
  if (parts.length > MAX_HIDDEN_LAYERS) throw new UsageError(`--hidden: at most ${MAX_HIDDEN_LAYERS} hidden layers (as in config.json), got ${parts.length}`);
  return parts.map((p) => {
    if (p === '0' || p.toLowerCase() === 'none') throw new UsageError(`--hidden: ${p} (no hidden layer) cannot be combined with other sizes, got "${texts.join(',')}"`);
    const size = parseNumber('hidden', p, { integer: true, min: 1 });
    if (size > MAX_HIDDEN_SIZE) throw new UsageError(`--hidden: a layer has at most ${MAX_HIDDEN_SIZE} units (as in config.json), got ${p}`);
    return size;
  });
}

type HyperparameterValues = { [K in keyof typeof HYPERPARAMETER_OPTIONS]?: (typeof HYPERPARAMETER_OPTIONS)[K] extends { multiple: true } ? string[] : string };

/** The hyperparameters the flags set, each checked, with `defaults` for the flags not given. */
export function readHyperparameters(values: HyperparameterValues, defaults: Hyperparameters): Hyperparameters {
  const read = <T>(text: string | undefined, parse: (t: string) => T, fallback: T): T => (text === undefined ? fallback : parse(text));
  const options: Hyperparameters = {
    ...defaults,
    hidden: values.hidden ? parseHidden(values.hidden) : defaults.hidden,
    activation: read(values.activation, (t) => parseChoice('activation', t, ACTIVATIONS), defaults.activation),
    alpha: read(values.alpha, (t) => parseNumber('alpha', t, { above: 0 }), defaults.alpha),
    lr: read(values.lr, (t) => parseNumber('lr', t, { above: 0 }), defaults.lr),
    batchSize: read(values.batch, (t) => parseNumber('batch', t, { integer: true, min: 1 }), defaults.batchSize),
    epochs: read(values.epochs, (t) => parseNumber('epochs', t, { integer: true, min: 1 }), defaults.epochs),
    reg: read(values.reg, (t) => parseNumber('reg', t, { min: 0 }), defaults.reg),
    regType: read(values['reg-type'], (t) => parseChoice('reg-type', t, REG_TYPES), defaults.regType),
    optimizer: read(values.optimizer, (t) => parseChoice('optimizer', t, OPTIMIZERS), defaults.optimizer),
    init: read(values.init, (t) => parseChoice('init', t, INIT_SCHEMES), defaults.init),
    seed: read(values.seed, (t) => {
      if (t.trim() === '') throw new UsageError('--seed: expected a non-empty seed, got ""');
      return t;
    }, defaults.seed),
  };
  if (options.alpha === undefined) delete options.alpha;
  return options;
}

