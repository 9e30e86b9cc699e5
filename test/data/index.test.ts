import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataError, loadDataset, makeMoons, makeSyntheticCifar10, splitDataset, writeIdx } from '../../starter/provided/data/index.js';
import { Random } from '../../starter/provided/random.js';
import { dataErrorOf, sameNumbers, tempDir } from './helpers.js';

const root = tempDir('dataset-spec');

describe('loadDataset', () => {
  it('moons: makeMoons with Random(seed), split with Random(seed + ":split")', () => {
    const split = loadDataset({ name: 'moons', samples: 100, noise: 0.2, seed: 'm', testFraction: 0.2 });
    const manual = splitDataset(makeMoons(100, 0.2, new Random('m')), 0.2, new Random('m:split'));
    expect(split.train.X.shape).toBe('80x2');
    expect(split.test.X.shape).toBe('20x2');
    expect(sameNumbers(split.test.X.data, manual.test.X.data)).toBe(true);
    expect(split.train.y).toEqual(manual.train.y);
  });

  it('mnist without a path: the embedded digits, truncated to trainSize and testSize', () => {
    const split = loadDataset({ name: 'mnist', trainSize: 300, testSize: 100 });
    expect(split.train.X.shape).toBe('300x784');
    expect(split.test.X.shape).toBe('100x784');
  });

  it('mnist with a path: the IDX files there, truncated', () => {
    const dir = join(root, 'mnist');
    for (const [prefix, n] of [['train', 6], ['t10k', 4]] as const) {
      writeIdx(join(dir, `${prefix}-images-idx3-ubyte.gz`), [n, 28, 28], new Uint8Array(n * 784).fill(255), true);
      writeIdx(join(dir, `${prefix}-labels-idx1-ubyte.gz`), [n], Uint8Array.from({ length: n }, (_, i) => i), true);
    }
    const split = loadDataset({ name: 'mnist', path: dir, trainSize: 5 });
    expect(split.train.X.shape).toBe('5x784');
    expect(split.test.y).toEqual([0, 1, 2, 3]);
    expect(split.test.X.get(3, 783)).toBe(1);
    expect(dataErrorOf(() => loadDataset({ name: 'mnist', path: join(root, 'missing') }))).toBeInstanceOf(DataError);
  });

  it('cifar10: the files at path, with subtractMean and sizes passed through', () => {
    const dir = join(root, 'cifar');
    makeSyntheticCifar10(dir, { trainPerBatch: 20, test: 10, batches: 2 });
    const split = loadDataset({ name: 'cifar10', path: dir, subtractMean: true, trainSize: 30, testSize: 5 });
    expect(split.train.X.shape).toBe('30x3072');
    expect(split.test.X.shape).toBe('5x3072');
    let column0 = 0;
    for (let i = 0; i < 30; i++) column0 += split.train.X.get(i, 0);
    expect(Math.abs(column0)).toBeLessThan(1e-12);
  });
});
