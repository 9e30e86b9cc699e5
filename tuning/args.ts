/**
 * The command line of `npm run tune`: flags, per-data-set defaults and the
 * checked request they describe (kept apart from the search so it can be tested in-process).
 */
import path from 'node:path';
import { ROOT } from '../grader/root.js';
import { ACTIVATIONS, OPTIMIZERS, parseChoice, parseCommandLine, parseNumber } from '../common/flags.js';
import { UsageError } from '../common/usage-error.js';
import { DEFAULT_SPACES, type DatasetName, type LrRule, type SearchSpace } from './space.js';
import type { TuneRequest } from './search.js';

const COMMAND = 'npm run tune --';
const DATASETS = ['moons', 'mnist', 'cifar10'] as const satisfies readonly DatasetName[];
const SEARCHES = ['random', 'grid'] as const;

const CIFAR10_HOWTO = 'cifar10 needs --data PATH: download the "CIFAR-10 binary version" (cifar-10-binary.tar.gz) from https://www.cs.toronto.edu/~kriz/cifar.html and pass the .tar.gz or its extracted cifar-10-batches-bin directory';

const list = (xs: readonly unknown[]) => xs.join(',');
const lrText = (r: LrRule) => ('values' in r ? list(r.values) : `${r.min}:${r.max}`);
const spaceHelp = (name: DatasetName) => {
  const { space: s, trials } = DEFAULT_SPACES[name];
  return `  ${name}: ${trials} trials, ${s.epochs} epochs${s.trainSize ? `, train size ${s.trainSize}` : ''}; sizes ${list(s.sizes)} x depth ${list(s.depth)};`
    + ` ${list(s.activation)}; ${list(s.optimizer)}; lr ${lrText(s.lr.sgd)} (adam ${lrText(s.lr.adam)}); reg ${list(s.reg)}; batch ${list(s.batchSize)}`;
};

/** The --help text. */
export const HELP = `Usage: ${COMMAND} --dataset moons|mnist|cifar10 [options]

Searches hyperparameters: each trial trains on the training set minus a
validation split and is scored on that split (never on the test set). Prints a
line per trial on stderr and the ranked table on stdout, then trains the best
setting on the whole training set and prints its test accuracy. The data and
the final run's seed are those of the grader's public part
(fixtures/train_<dataset>.json), so that test accuracy is what npm run grade
measures for the setting. Writes results.csv and tune.svg.

Search:
  --dataset NAME       moons (default), mnist or cifar10
  --search KIND        random (default: seeded draws) or grid (every combination; when the
                       grid is larger than --trials, that many of its points picked with --seed)
  --trials N           at most N trials (defaults below)
  --budget SECONDS     start no new trial after this much wall time (the final run still happens)
  --seed SEED          seeds the draws, the validation split and the training (default 1)
  --val FRACTION       share of the training set held out for validation (default 0.2)
  --submission DIR     train with the student's own trainMLP from DIR, in the grader's sandbox
                       (default: the reference solution in this process in the instructor
                       repository; starter/ in the student repository)

Search space (each replaces the data set's default; lists are comma-separated):
  --sizes N,...        hidden layer widths
  --depth N,...        numbers of hidden layers (0: no hidden layer)
  --activation A,...   ${ACTIVATIONS.join(', ')}
  --optimizer O,...    ${OPTIMIZERS.join(', ')}
  --lr MIN:MAX | V,... learning rate: log-uniform range (grid: MIN, middle, MAX) or a list, for every optimiser
  --reg L,...          L2 regularisation strengths
  --batch N,...        mini-batch sizes
  --epochs N           epochs of every trial
  --train-size N       mnist, cifar10: use only the first N training examples (written to config.json)
  The initialisation follows the activation: he_normal for the ReLU family, xavier_uniform otherwise.
Defaults:
${DATASETS.map(spaceHelp).join('\n')}

Data:
  --data PATH          mnist: a folder of the four IDX files (default: the 10,000 embedded digits);
                       cifar10 (required): the binary version, its folder or cifar-10-binary.tar.gz

Output:
  --out DIR            where results.csv and tune.svg go (default out/tune-<dataset>)
  --write-config [FILE] put the best setting into FILE under the data set's key (default
                       starter/config.json, or DIR/config.json with --submission)
  --help               this text`;

const OPTIONS = {
  dataset: { type: 'string' },
  search: { type: 'string' },
  trials: { type: 'string' },
  budget: { type: 'string' },
  seed: { type: 'string' },
  val: { type: 'string' },
  submission: { type: 'string' },
  sizes: { type: 'string' },
  depth: { type: 'string' },
  activation: { type: 'string' },
  optimizer: { type: 'string' },
  lr: { type: 'string' },
  reg: { type: 'string' },
  batch: { type: 'string' },
  epochs: { type: 'string' },
  'train-size': { type: 'string' },
  data: { type: 'string' },
  out: { type: 'string' },
  'write-config': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** A checked command line: the search, where its files go, and the config file to update (if any). */
export interface TuneRun {
  request: TuneRequest;
  out: string;
  writeConfig?: string;
}

/** The items of a comma list, each parsed; an empty item is an error. */
function parseList<T>(flag: string, text: string, parse: (item: string) => T): T[] {
  const items = text.split(',').map((t) => t.trim());
  if (items.some((t) => t === '')) throw new UsageError(`--${flag}: expected a comma-separated list, got "${text}"`);
  return [...new Set(items)].map(parse);
}

/** A learning rate in the schema's range (0, 10]. */
function parseRate(text: string): number {
  const lr = parseNumber('lr', text, { above: 0 });
  if (lr > 10) throw new UsageError(`--lr: expected a rate <= 10, got "${text}"`);
  return lr;
}

/** "0.01:1" (log-uniform range) or "0.1,0.5" (a list). */
function parseLrRule(text: string): LrRule {
  const range = text.split(':');
  if (range.length === 1) return { values: parseList('lr', text, parseRate) };
  if (range.length !== 2) throw new UsageError(`--lr: expected MIN:MAX or a comma-separated list, got "${text}"`);
  const [min, max] = range.map(parseRate);
  if (min > max) throw new UsageError(`--lr: the range ${text} runs backwards (MIN:MAX with MIN <= MAX)`);
  return { min, max };
}

/**
 * `--write-config` may come without a file: node's parseArgs wants a value, so a bare
 * flag (last, or followed by another flag) becomes `--write-config=` (the default file).
 */
function bareWriteConfig(argv: string[]): string[] {
  return argv.map((a, i) => (a === '--write-config' && (i === argv.length - 1 || argv[i + 1].startsWith('-')) ? '--write-config=' : a));
}

/** The run the command line asks for, or 'help'; every problem is a one-line UsageError. */
export function parseTuneArgs(argv: string[]): TuneRun | 'help' {
  const values = parseCommandLine(bareWriteConfig(argv), OPTIONS, COMMAND);
  if (values.help) return 'help';
  const dataset = values.dataset === undefined ? 'moons' : parseChoice('dataset', values.dataset, DATASETS);
  for (const flag of ['data', 'train-size'] as const) {
    if (values[flag] !== undefined && dataset === 'moons') throw new UsageError(`--${flag} does not apply to --dataset moons (only to mnist, cifar10)`);
  }
  if (dataset === 'cifar10' && values.data === undefined) throw new UsageError(CIFAR10_HOWTO);
  const defaults = DEFAULT_SPACES[dataset];
  const int = (flag: string, min: number, max?: number) => (t: string) => {
    const n = parseNumber(flag, t, { integer: true, min });
    if (max !== undefined && n > max) throw new UsageError(`--${flag}: expected an integer <= ${max}, got "${t}"`);
    return n;
  };
  const space: SearchSpace = { ...defaults.space };
  if (values.sizes !== undefined) space.sizes = parseList('sizes', values.sizes, int('sizes', 1, 4096));
  if (values.depth !== undefined) space.depth = parseList('depth', values.depth, int('depth', 0, 6));
  if (values.activation !== undefined) space.activation = parseList('activation', values.activation, (t) => parseChoice('activation', t, ACTIVATIONS));
  if (values.optimizer !== undefined) space.optimizer = parseList('optimizer', values.optimizer, (t) => parseChoice('optimizer', t, OPTIMIZERS));
  if (values.lr !== undefined) {
    const rule = parseLrRule(values.lr);
    space.lr = { sgd: rule, momentum: rule, rmsprop: rule, adam: rule };
  }
  if (values.reg !== undefined) space.reg = parseList('reg', values.reg, (t) => parseNumber('reg', t, { min: 0 }));
  if (values.batch !== undefined) space.batchSize = parseList('batch', values.batch, int('batch', 1));
  if (values.epochs !== undefined) space.epochs = int('epochs', 1, 1000)(values.epochs);
  if (values['train-size'] !== undefined) space.trainSize = int('train-size', 1)(values['train-size']);
  if (values.seed !== undefined && values.seed.trim() === '') throw new UsageError('--seed: expected a non-empty seed, got ""');

  const submission = values.submission;
  if (submission !== undefined && submission.trim() === '') throw new UsageError('--submission: expected a folder, got ""');
  const writeConfig = values['write-config'] === undefined ? undefined
    : values['write-config'] !== '' ? values['write-config']
      : submission !== undefined ? path.join(submission, 'config.json') : path.join(ROOT, 'starter', 'config.json');
  return {
    request: {
      dataset,
      data: values.data,
      search: values.search === undefined ? 'random' : parseChoice('search', values.search, SEARCHES),
      trials: values.trials === undefined ? defaults.trials : int('trials', 1)(values.trials),
      space,
      seed: values.seed ?? '1',
      val: values.val === undefined ? 0.2 : parseNumber('val', values.val, { above: 0, below: 1 }),
      budgetSec: values.budget === undefined ? undefined : parseNumber('budget', values.budget, { above: 0 }),
      submission,
    },
    out: values.out ?? path.join('out', `tune-${dataset}`),
    writeConfig,
  };
}
