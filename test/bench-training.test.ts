/** The bench's full-size MNIST files: the real IDX format and size, and test digits the training never sees. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFullSizeMnist } from '../cli/bench-training.js';
import { loadMnistIdx } from '../starter/provided/data/index.js';
import { Matrix } from '../starter/provided/matrix.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** n digits whose pixels encode (set, index), so every written digit can be traced to its source. */
function digits(set: number, n: number) {
  const X = new Matrix(n, 784);
  for (let i = 0; i < n; i++) { X.data[i * 784] = set / 255; X.data[i * 784 + 1] = i / 255; }
  return { X, y: Array.from({ length: n }, (_, i) => i % 10), classes: 10 };
}

describe('writeFullSizeMnist', () => {
  it('writes 60,000 training digits cycled from the training set and 10,000 test digits from the test set only', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-mnist-'));
    dirs.push(dir);
    writeFullSizeMnist(dir, digits(1, 50), digits(2, 20));
    const { train, test } = loadMnistIdx(dir);
    expect([train.X.rows, test.X.rows]).toEqual([60000, 10000]);
    const from = (d: typeof train, i: number) => [Math.round(d.X.data[i * 784] * 255), Math.round(d.X.data[i * 784 + 1] * 255)];
    expect(from(train, 0)).toEqual([1, 0]);
    expect(from(train, 51)).toEqual([1, 1]);
    for (let i = 0; i < test.X.rows; i += 997) expect(from(test, i)).toEqual([2, i % 20]);
    expect(test.y[13]).toBe(3);
  });
});
