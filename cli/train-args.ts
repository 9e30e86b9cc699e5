/**
 * The command line of `npm run train`: flags, per-data-set defaults and the
 * checked run they describe (kept apart from the training so it can be tested in-process).
 */
import path from 'node:path';
import type { DatasetSpec } from '../starter/provided/data/index.js';
import { parseChoice, parseCommandLine, parseNumber } from '../common/flags.js';
import { UsageError } from '../common/usage-error.js';
import { HYPERPARAMETER_HELP, HYPERPARAMETER_OPTIONS, readHyperparameters, type Hyperparameters } from './args.js';

const COMMAND = 'npm run train --';
const DATASETS = ['moons', 'mnist', 'cifar10'] as const;
type DatasetName = (typeof DATASETS)[number];

/** The moons are always drawn from this seed, so runs with different --seed values see the same points. */
const MOONS_SEED = 'moons';

/** Per data set: the lecture's settings for moons, the homework's for MNIST, a usual MLP recipe for CIFAR-10. */
export const DEFAULTS: Record<DatasetName, Hyperparameters> = {
  moons: { hidden: [10], activation: 'tanh', lr: 0.5, batchSize: 50, epochs: 200, reg: 0, regType: 'l2', optimizer: 'sgd', init: 'xavier_uniform', seed: '1' },
  mnist: { hidden: [500], activation: 'relu', lr: 0.1, batchSize: 200, epochs: 10, reg: 0, regType: 'l2', optimizer: 'sgd', init: 'xavier_uniform', seed: '1' },
  cifar10: { hidden: [500], activation: 'relu', lr: 0.001, batchSize: 200, epochs: 10, reg: 0, regType: 'l2', optimizer: 'adam', init: 'he_normal', seed: '1' },
};

const CIFAR10_HOWTO = 'cifar10 needs --data PATH: download the "CIFAR-10 binary version" (cifar-10-binary.tar.gz) from https://www.cs.toronto.edu/~kriz/cifar.html and pass the .tar.gz or its extracted cifar-10-batches-bin directory';

/** The --help text. */
export const HELP = `Usage: ${COMMAND} --dataset moons|mnist|cifar10 [options]

Trains a BP network (see "Whose network"), prints a line per epoch on stderr and the
final train and test accuracy on stdout, and writes loss.svg, accuracy.svg,
confusion.svg, boundary.svg (moons only) and summary.json to the output folder.

Data:
  --dataset NAME       moons (default), mnist or cifar10
  --data PATH          mnist: a folder of the four IDX files (default: the 10,000 embedded digits, 8,000/2,000);
                       cifar10 (required): the binary version, its folder or cifar-10-binary.tar.gz
  --samples N          moons: number of points (default 1000; 20% are the test set)
  --noise STD          moons: Gaussian noise (default 0.2)
  --train-size N       mnist, cifar10: use only the first N training examples (quick runs)
  --test-size N        mnist, cifar10: use only the first N test examples
  --val FRACTION       hold out this share of the training set for validation (default 0: none)

Network and training (defaults: moons 10 tanh units, sgd lr 0.5, batch 50, 200 epochs;
mnist 500 relu units, sgd lr 0.1, batch 200, 10 epochs (the homework's 784-500-10);
both xavier_uniform init; cifar10 500 relu units, adam lr 0.001, batch 200, 10 epochs,
he_normal init, inputs minus the training mean; never regularised unless --reg):
${HYPERPARAMETER_HELP}

Whose network:
  --submission DIR     train the trainMLP in DIR (your train.ts and the files it imports), in the
                       grader's sandbox; default: the reference solution in the instructor
                       repository, starter/ in the student repository
  --threads N          the reference solution only: its matrix products on 1 or 2 threads
                       (default 2 on a machine with 2 or more cores; same numbers either way);
                       a trainMLP of --submission or starter/ runs on one, as when graded

Output:
  --out DIR            where the plots and summary.json go (default out/train-<dataset>)
  --help               this text`;

const OPTIONS = {
  ...HYPERPARAMETER_OPTIONS,
  dataset: { type: 'string' },
  data: { type: 'string' },
  samples: { type: 'string' },
  noise: { type: 'string' },
  'train-size': { type: 'string' },
  'test-size': { type: 'string' },
  val: { type: 'string' },
  out: { type: 'string' },
  submission: { type: 'string' },
  threads: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** A checked request: what to load, how to train, where to write. */
export interface TrainRun {
  spec: DatasetSpec;
  hyper: Hyperparameters;
  val: number;
  out: string;
  /** The folder whose trainMLP trains (default: see trainerFor in train.ts). */
  submission?: string;
  /** Threads for the reference's matrix products, when given (default: see trainerFor in train.ts). */
  threads?: 1 | 2;
}

/** The run the command line asks for, or 'help'; every problem is a one-line UsageError. */
export function parseTrainArgs(argv: string[]): TrainRun | 'help' {
  const values = parseCommandLine(argv, OPTIONS, COMMAND);
  if (values.help) return 'help';
  const dataset = values.dataset === undefined ? 'moons' : parseChoice('dataset', values.dataset, DATASETS);
  const only = (flag: 'data' | 'samples' | 'noise' | 'train-size' | 'test-size', allowed: readonly DatasetName[]) => {
    if (values[flag] !== undefined && !allowed.includes(dataset)) throw new UsageError(`--${flag} does not apply to --dataset ${dataset} (only to ${allowed.join(', ')})`);
  };
  only('data', ['mnist', 'cifar10']);
  only('samples', ['moons']);
  only('noise', ['moons']);
  only('train-size', ['mnist', 'cifar10']);
  only('test-size', ['mnist', 'cifar10']);
  const size = (flag: 'train-size' | 'test-size') => {
    const text = values[flag];
    return text === undefined ? undefined : parseNumber(flag, text, { integer: true, min: 1 });
  };
  let spec: DatasetSpec;
  if (dataset === 'moons') {
    const samples = values.samples === undefined ? 1000 : parseNumber('samples', values.samples, { integer: true, min: 10 });
    const noise = values.noise === undefined ? 0.2 : parseNumber('noise', values.noise, { min: 0 });
    spec = { name: 'moons', samples, noise, seed: MOONS_SEED, testFraction: 0.2 };
  } else if (dataset === 'mnist') {
    spec = { name: 'mnist', path: values.data, trainSize: size('train-size'), testSize: size('test-size') };
  } else {
    if (values.data === undefined) throw new UsageError(CIFAR10_HOWTO);
    spec = { name: 'cifar10', path: values.data, subtractMean: true, trainSize: size('train-size'), testSize: size('test-size') };
  }
  return {
    spec,
    hyper: readHyperparameters(values, DEFAULTS[dataset]),
    val: values.val === undefined ? 0 : parseNumber('val', values.val, { min: 0, below: 1 }),
    out: values.out ?? path.join('out', `train-${dataset}`),
    ...(values.submission !== undefined ? { submission: values.submission } : {}),
    ...(values.threads !== undefined ? { threads: parseChoice('threads', values.threads, ['1', '2'] as const) === '2' ? 2 : 1 } : {}),
  };
}
