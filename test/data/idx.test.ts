import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadMnistIdx, readIdx, writeIdx } from '../../starter/provided/data/idx.js';
import { dataErrorOf, range, tempDir } from './helpers.js';

const root = tempDir('idx');

/** Writes a tiny MNIST-shaped directory: n images of 4x3 pixels, pixel (i, k) = (7 i + k) % 256, label i % 10. */
function writeTinyMnist(dir: string, options: { gzip: boolean; dotted?: boolean; nTrain?: number; nTest?: number }): void {
  const { gzip, dotted = false, nTrain = 12, nTest = 5 } = options;
  const name = (base: string) => (dotted ? base.replace(/-(idx\d-ubyte)$/, '.$1') : base) + (gzip ? '.gz' : '');
  for (const [prefix, n] of [['train', nTrain], ['t10k', nTest]] as const) {
    const pixels = Uint8Array.from({ length: n * 12 }, (_, p) => (7 * Math.floor(p / 12) + (p % 12)) % 256);
    writeIdx(join(dir, name(`${prefix}-images-idx3-ubyte`)), [n, 4, 3], pixels, gzip);
    writeIdx(join(dir, name(`${prefix}-labels-idx1-ubyte`)), [n], Uint8Array.from({ length: n }, (_, i) => i % 10), gzip);
  }
}

describe('readIdx', () => {
  it('round-trips a raw file and a gzipped one, detecting gzip by content not name', () => {
    const data = Uint8Array.from({ length: 24 }, (_, i) => i * 10);
    writeIdx(join(root, 'raw'), [2, 3, 4], data);
    writeIdx(join(root, 'zipped-but-no-gz-suffix'), [2, 3, 4], data, true);
    expect(readFileSync(join(root, 'zipped-but-no-gz-suffix'))[0]).toBe(0x1f);
    for (const file of ['raw', 'zipped-but-no-gz-suffix']) {
      const out = readIdx(join(root, file), 'images');
      expect(out.dims).toEqual([2, 3, 4]);
      expect(Array.from(out.data)).toEqual(Array.from(data));
    }
  });

  it('names the file and says what to do when the data is truncated', () => {
    const file = join(root, 'train-images-idx3-ubyte.gz');
    const header = new Uint8Array([0, 0, 8, 3, 0, 0, 0xea, 0x60, 0, 0, 0, 28, 0, 0, 0, 28]);
    writeFileSync(file, gzipSync(Buffer.concat([header, new Uint8Array(1000)])));
    const err = dataErrorOf(() => readIdx(file, 'images'));
    expect(err.message).toBe(
      'train-images-idx3-ubyte.gz: truncated: header says 60000x28x28 = 47040000 bytes of pixels but the file has 1000 — download it again',
    );
  });

  it('rejects a wrong magic number: not IDX, labels given as images, non-byte data', () => {
    const notIdx = join(root, 'picture.png');
    writeFileSync(notIdx, new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4]));
    expect(dataErrorOf(() => readIdx(notIdx)).message).toMatch(/^picture\.png: not an IDX file: magic number 0x89504e47/);

    const labels = join(root, 'labels');
    writeIdx(labels, [3], new Uint8Array(3));
    expect(dataErrorOf(() => readIdx(labels, 'images')).message).toMatch(/^labels: magic number 0x00000801 is not 0x00000803 \(images\): this is a labels file/);

    const floats = join(root, 'floats');
    writeFileSync(floats, new Uint8Array([0, 0, 0x0d, 1, 0, 0, 0, 1, 0, 0, 0, 0]));
    expect(dataErrorOf(() => readIdx(floats)).message).toMatch(/^floats: IDX data type 0x0d \(float\) is not supported/);
  });

  it('rejects extra bytes, a cut-off header and a corrupt gzip stream', () => {
    const long = join(root, 'long');
    writeFileSync(long, new Uint8Array([0, 0, 8, 1, 0, 0, 0, 2, 5, 6, 7]));
    expect(dataErrorOf(() => readIdx(long)).message).toMatch(/^long: header says 2 = 2 bytes of data but the file has 3/);

    const short = join(root, 'short');
    writeFileSync(short, new Uint8Array([0, 0, 8, 3, 0, 0]));
    expect(dataErrorOf(() => readIdx(short)).message).toMatch(/^short: truncated: 6 bytes, shorter than the 16-byte header/);

    const cut = join(root, 'cut.gz');
    const zipped = gzipSync(new Uint8Array(5000).fill(3));
    writeFileSync(cut, zipped.subarray(0, zipped.length - 10));
    const err = dataErrorOf(() => readIdx(cut));
    expect(err.message).toMatch(/^cut\.gz: gzip data is corrupt or truncated .* — download it again$/);
    expect(err.cause).toBeInstanceOf(Error);
  });

  it('names a missing file', () => {
    const err = dataErrorOf(() => readIdx(join(root, 'nope-idx1-ubyte')));
    expect(err.message).toMatch(/nope-idx1-ubyte: cannot read the file \(ENOENT\) — check the path$/);
  });
});

describe('loadMnistIdx', () => {
  it.each([
    ['raw', { gzip: false }],
    ['gzipped', { gzip: true }],
    ['dotted names', { gzip: true, dotted: true }],
  ])('loads a %s directory: shapes, labels, pixels scaled to [0, 1]', (kind, options) => {
    const dir = join(root, `mnist-${kind.replace(' ', '-')}`);
    writeTinyMnist(dir, options);
    const { train, test } = loadMnistIdx(dir);
    expect(train.X.shape).toBe('12x12');
    expect(test.X.shape).toBe('5x12');
    expect(train.classes).toBe(10);
    expect(train.y).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
    expect(test.y).toEqual([0, 1, 2, 3, 4]);
    expect(train.X.get(3, 5)).toBeCloseTo(26 / 255, 15);
    expect(range(train.X.data)).toEqual([0, 88 / 255]); // largest byte written is 7 * 11 + 11
  });

  it('rejects image and label files of different lengths, naming the labels file', () => {
    const dir = join(root, 'mnist-mismatch');
    writeTinyMnist(dir, { gzip: false });
    writeIdx(join(dir, 't10k-labels-idx1-ubyte'), [4], new Uint8Array(4));
    const err = dataErrorOf(() => loadMnistIdx(dir));
    expect(err.message).toBe('t10k-labels-idx1-ubyte: 4 labels but t10k-images-idx3-ubyte has 5 images — the two files do not belong together, download both again');
  });

  it('rejects a label that is not a digit', () => {
    const dir = join(root, 'mnist-badlabel');
    writeTinyMnist(dir, { gzip: false });
    writeIdx(join(dir, 'train-labels-idx1-ubyte'), [12], Uint8Array.from({ length: 12 }, (_, i) => (i === 4 ? 10 : 1)));
    expect(dataErrorOf(() => loadMnistIdx(dir)).message).toMatch(/^train-labels-idx1-ubyte: label 10 at index 4 is not a digit 0-9/);
  });

  it('lists the expected names when a file or the directory is missing', () => {
    const dir = join(root, 'mnist-partial');
    mkdirSync(dir);
    writeTinyMnist(join(root, 'mnist-source'), { gzip: true });
    for (const f of ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz']) {
      copyFileSync(join(root, 'mnist-source', f), join(dir, f));
    }
    const missing = dataErrorOf(() => loadMnistIdx(dir));
    expect(missing.message).toContain('missing t10k-labels-idx1-ubyte (or t10k-labels-idx1-ubyte.gz)');
    expect(missing.message).toContain('train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte');
    expect(missing.message).not.toContain('\n');

    const noDir = dataErrorOf(() => loadMnistIdx(join(root, 'no-such-dir')));
    expect(noDir.message).toMatch(/no-such-dir: no such directory — give the directory holding train-images-idx3-ubyte/);
  });
});
