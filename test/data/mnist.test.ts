import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMnistEmbedded, mnistPackageDir } from '../../starter/provided/data/mnist.js';
import { range, sameNumbers } from './helpers.js';

describe('loadMnistEmbedded', () => {
  const split = loadMnistEmbedded();

  it('gives 8,000 train and 2,000 test digits of 784 features, 10 classes', () => {
    expect(split.train.X.shape).toBe('8000x784');
    expect(split.test.X.shape).toBe('2000x784');
    expect(split.train.y).toHaveLength(8000);
    expect(split.test.y).toHaveLength(2000);
    expect(split.train.classes).toBe(10);
    expect(new Set(split.train.y)).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
  });

  it('keeps pixels in [0, 1] with real ink (not all zeros)', () => {
    expect(range(split.train.X.data)).toEqual([0, 1]);
    expect(range(split.test.X.data)).toEqual([0, 1]);
    let sum = 0;
    for (const v of split.train.X.data) sum += v;
    // MNIST's mean pixel is about 0.13.
    expect(sum / split.train.X.data.length).toBeGreaterThan(0.08);
    expect(sum / split.train.X.data.length).toBeLessThan(0.2);
  });

  it('shuffles the classes (each split holds every digit in roughly its share)', () => {
    const counts = new Array(10).fill(0);
    for (const c of split.test.y) counts[c]++;
    for (const c of counts) {
      expect(c).toBeGreaterThan(120);
      expect(c).toBeLessThan(300);
    }
  });

  it('is identical across calls, and another seed gives another split', () => {
    const again = loadMnistEmbedded();
    expect(again.test.y).toEqual(split.test.y);
    expect(sameNumbers(again.train.X.data, split.train.X.data)).toBe(true);
    expect(sameNumbers(again.test.X.data, split.test.X.data)).toBe(true);
    expect(again.train.X.data === split.train.X.data).toBe(false); // a copy: callers may change it without touching the cache
    const other = loadMnistEmbedded({ seed: 'other' });
    expect(other.test.y).not.toEqual(split.test.y);
  });

  it('keeps the same test set when trainSize shrinks', () => {
    const small = loadMnistEmbedded({ trainSize: 500, testSize: 2000 });
    expect(small.train.X.rows).toBe(500);
    expect(small.test.y).toEqual(split.test.y);
    expect(small.train.y).toEqual(split.train.y.slice(0, 500));
    expect(() => loadMnistEmbedded({ trainSize: 9000, testSize: 2000 })).toThrow(/at most 10000/);
  });

  it('reports the package directory a sandbox must allow', () => {
    expect(existsSync(join(mnistPackageDir(), 'src', 'digits', '9.json'))).toBe(true);
  });
});
