/**
 * PROVIDED HELPER: do not edit. The grader always uses its own copy of this file.
 *
 * The data loaders in one place, and `loadDataset`, the single entry point the
 * CLIs, the fixture builder and the grader's child process use.
 */
import { Random } from '../random.js';
import { loadCifar10 } from './cifar10.js';
import { loadMnistIdx } from './idx.js';
import { loadMnistEmbedded } from './mnist.js';
import { makeMoons } from './moons.js';
import { splitDataset, truncate } from './split.js';
import type { Split } from './types.js';

export { DataError, type Dataset, type Split } from './types.js';
export { makeMoons } from './moons.js';
export { splitDataset, subset, truncate } from './split.js';
export { readIdx, writeIdx, loadMnistIdx, MNIST_FILES, type IdxKind } from './idx.js';
export { loadMnistEmbedded, mnistPackageDir } from './mnist.js';
export {
  loadCifar10, writeCifar10Batch, makeSyntheticCifar10, writeCifar10TarGz, CIFAR10_CLASSES,
  type Cifar10Options, type SyntheticCifar10Options,
} from './cifar10.js';

/** A data set described as plain JSON, so it can be stored in fixtures and sent to a child process. */
export type DatasetSpec =
  | { name: 'moons'; samples: number; noise: number; seed: string; testFraction: number }
  | { name: 'mnist'; path?: string; seed?: string; trainSize?: number; testSize?: number; packageDir?: string }
  | { name: 'cifar10'; path: string; subtractMean?: boolean; trainSize?: number; testSize?: number };

/**
 * Builds or loads the data set a spec describes. Moons: makeMoons with
 * Random(seed), split with Random(seed + ':split'). MNIST: the IDX files in
 * `path` when given (seed unused), else the embedded digits (from packageDir
 * when given: see mnistPackageDir). trainSize and testSize keep only the first examples.
 */
export function loadDataset(spec: DatasetSpec): Split {
  switch (spec.name) {
    case 'moons':
      return splitDataset(makeMoons(spec.samples, spec.noise, new Random(spec.seed)), spec.testFraction, new Random(`${spec.seed}:split`));
    case 'mnist': {
      if (spec.path === undefined) return loadMnistEmbedded({ seed: spec.seed, trainSize: spec.trainSize, testSize: spec.testSize, packageDir: spec.packageDir });
      const { train, test } = loadMnistIdx(spec.path);
      return { train: truncate(train, spec.trainSize), test: truncate(test, spec.testSize) };
    }
    case 'cifar10':
      return loadCifar10(spec.path, { subtractMean: spec.subtractMean, trainSize: spec.trainSize, testSize: spec.testSize });
  }
}
