import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CIFAR10_CLASSES, loadCifar10, makeSyntheticCifar10, writeCifar10Batch, writeCifar10TarGz,
} from '../../starter/provided/data/cifar10.js';
import { readTar, writeTar } from '../../starter/provided/data/tar.js';
import { dataErrorOf, range, sameNumbers, tempDir } from './helpers.js';

const root = tempDir('cifar10');
const synthetic = join(root, 'cifar-10-batches-bin');
const archive = join(root, 'cifar-10-binary.tar.gz');

beforeAll(() => {
  makeSyntheticCifar10(synthetic, { trainPerBatch: 40, test: 30, batches: 3, seed: 'test' });
  writeCifar10TarGz(synthetic, archive);
});

/** An image whose byte k is (k * 7 + shift) % 256, so any pixel can be predicted. */
function patterned(shift: number): Uint8Array {
  return Uint8Array.from({ length: 3072 }, (_, k) => (k * 7 + shift) % 256);
}

describe('loadCifar10 on the synthetic set', () => {
  it.each([
    ['the batches directory', () => synthetic],
    ['its parent directory', () => root],
    ['the .tar.gz', () => archive],
  ])('loads %s with the right shapes and balanced labels', (_, path) => {
    const { train, test } = loadCifar10(path());
    expect(train.X.shape).toBe('120x3072');
    expect(test.X.shape).toBe('30x3072');
    expect(train.classes).toBe(10);
    expect(new Array(10).fill(0).map((_, c) => train.y.filter((l) => l === c).length)).toEqual(new Array(10).fill(12));
    const [min, max] = range(train.X.data);
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThanOrEqual(1);
    expect(max - min).toBeGreaterThan(0.5);
  });

  it('reads the same data from the directory and from the archive', () => {
    const a = loadCifar10(synthetic);
    const b = loadCifar10(archive);
    expect(b.train.y).toEqual(a.train.y);
    expect(sameNumbers(b.test.X.data, a.test.X.data)).toBe(true);
    expect(sameNumbers(b.train.X.data, a.train.X.data)).toBe(true);
  });

  it('writes the same files for the same seed', () => {
    const again = join(root, 'again');
    makeSyntheticCifar10(again, { trainPerBatch: 40, test: 30, batches: 3, seed: 'test' });
    expect(readFileSync(join(again, 'data_batch_2.bin')).equals(readFileSync(join(synthetic, 'data_batch_2.bin')))).toBe(true);
    expect(readFileSync(join(synthetic, 'batches.meta.txt'), 'utf8').split('\n')[3]).toBe(CIFAR10_CLASSES[3]);
  });

  it('is learnable: each test image is nearest its own class mean', () => {
    const { train, test } = loadCifar10(synthetic);
    const D = 3072;
    const means = new Float64Array(10 * D);
    for (let i = 0; i < train.X.rows; i++) {
      for (let j = 0; j < D; j++) means[train.y[i] * D + j] += train.X.data[i * D + j] / 12;
    }
    let correct = 0;
    for (let i = 0; i < test.X.rows; i++) {
      const dist = (c: number) => {
        let s = 0;
        for (let j = 0; j < D; j++) s += (test.X.data[i * D + j] - means[c * D + j]) ** 2;
        return s;
      };
      const best = [...Array(10).keys()].reduce((b, c) => (dist(c) < dist(b) ? c : b), 0);
      if (best === test.y[i]) correct++;
    }
    expect(correct / test.X.rows).toBeGreaterThan(0.9);
  });

  it('subtractMean centres every train feature and shifts test by the same train mean', () => {
    const plain = loadCifar10(synthetic);
    const centred = loadCifar10(synthetic, { subtractMean: true });
    const D = 3072;
    let worst = 0;
    for (let j = 0; j < D; j++) {
      let s = 0;
      for (let i = 0; i < centred.train.X.rows; i++) s += centred.train.X.data[i * D + j];
      worst = Math.max(worst, Math.abs(s / centred.train.X.rows));
    }
    expect(worst).toBeLessThan(1e-12);
    const shift = plain.train.X.data[5] - centred.train.X.data[5];
    expect(plain.test.X.data[5] - centred.test.X.data[5]).toBeCloseTo(shift, 12);
    expect(Math.abs(shift)).toBeGreaterThan(0.05);
  });

  it('trainSize and testSize keep the first images, across batch files', () => {
    const full = loadCifar10(synthetic);
    const part = loadCifar10(archive, { trainSize: 50, testSize: 7 });
    expect(part.train.X.shape).toBe('50x3072');
    expect(part.test.X.shape).toBe('7x3072');
    expect(part.train.y).toEqual(full.train.y.slice(0, 50));
    expect(sameNumbers(part.train.X.data, full.train.X.data.subarray(0, 50 * 3072))).toBe(true);
  });
});

describe('the binary record layout', () => {
  it('uses label byte then channel-major pixels: R of (row 0, col 1) is record byte 2', () => {
    const dir = join(root, 'layout');
    writeCifar10Batch(join(dir, 'data_batch_1.bin'), [patterned(0), patterned(3)], [7, 2]);
    writeCifar10Batch(join(dir, 'test_batch.bin'), [patterned(1)], [9]);
    const record = readFileSync(join(dir, 'data_batch_1.bin')).subarray(3073, 2 * 3073);
    const { train, test } = loadCifar10(dir);
    expect(train.y).toEqual([7, 2]);
    expect(test.y).toEqual([9]);
    expect(record[0]).toBe(2);
    expect(train.X.get(1, 1)).toBe(record[2] / 255);
    expect(train.X.get(1, 1)).toBe(((7 + 3) % 256) / 255);
    // Green channel of pixel (row 2, col 5) is feature 1024 + 2 * 32 + 5.
    expect(train.X.get(0, 1024 + 69)).toBe(((1093 * 7) % 256) / 255);
    expect(test.X.get(0, 3071)).toBe(((3071 * 7 + 1) % 256) / 255);
  });

  it('supports a single data batch', () => {
    const { train } = loadCifar10(join(root, 'layout'));
    expect(train.X.rows).toBe(2);
  });
});

describe('loadCifar10 errors', () => {
  it('rejects a truncated batch', () => {
    const dir = join(root, 'truncated');
    makeSyntheticCifar10(dir, { trainPerBatch: 10, test: 10, batches: 1 });
    const bytes = readFileSync(join(dir, 'data_batch_1.bin'));
    writeFileSync(join(dir, 'data_batch_1.bin'), bytes.subarray(0, 30729));
    expect(dataErrorOf(() => loadCifar10(dir)).message).toBe(
      'data_batch_1.bin: 30729 bytes is not a whole number of 3073-byte records: the file is truncated or not the binary version — download cifar-10-binary.tar.gz again',
    );
  });

  it('rejects a label above 9', () => {
    const dir = join(root, 'label11');
    writeCifar10Batch(join(dir, 'data_batch_1.bin'), [patterned(0)], [3]);
    writeCifar10Batch(join(dir, 'test_batch.bin'), [patterned(0), patterned(1)], [0, 11]);
    expect(dataErrorOf(() => loadCifar10(dir)).message).toMatch(/^test_batch\.bin: record 1 has label 11, but CIFAR-10 labels are 0-9 — /);
  });

  it('requires test_batch.bin', () => {
    const dir = join(root, 'no-test');
    writeCifar10Batch(join(dir, 'data_batch_1.bin'), [patterned(0)], [3]);
    const err = dataErrorOf(() => loadCifar10(dir));
    expect(err.message).toMatch(/no-test: has data_batch_N\.bin but no test_batch\.bin — give the extracted cifar-10-batches-bin directory/);
    expect(err.message).not.toContain('\n');
  });

  it('requires at least one data batch', () => {
    const dir = join(root, 'only-test');
    writeCifar10Batch(join(dir, 'test_batch.bin'), [patterned(0)], [3]);
    expect(dataErrorOf(() => loadCifar10(dir)).message).toMatch(/only-test: no data_batch_N\.bin next to test_batch\.bin/);
  });

  it('names a wrong path', () => {
    expect(dataErrorOf(() => loadCifar10(join(root, 'nowhere'))).message).toMatch(/nowhere: no such file or directory — give the extracted/);
  });

  it('says what a .tar.gz without batches contained, and recognises the python version', () => {
    const wrong = join(root, 'wrong.tar.gz');
    writeFileSync(wrong, gzipSync(writeTar([{ name: 'stuff/readme.html', data: new Uint8Array(3) }, { name: 'stuff/notes.txt', data: new Uint8Array(1) }])));
    expect(dataErrorOf(() => loadCifar10(wrong)).message).toBe(
      'wrong.tar.gz: no CIFAR-10 batches (data_batch_N.bin, test_batch.bin); found stuff/readme.html, stuff/notes.txt — download cifar-10-binary.tar.gz (the binary version)',
    );
    const python = join(root, 'cifar-10-python.tar.gz');
    writeFileSync(python, gzipSync(writeTar([{ name: 'cifar-10-batches-py/data_batch_1', data: new Uint8Array(3) }, { name: 'cifar-10-batches-py/test_batch', data: new Uint8Array(3) }])));
    expect(dataErrorOf(() => loadCifar10(python)).message).toMatch(/^cifar-10-python\.tar\.gz: this is the python version of CIFAR-10/);
  });

  it('rejects a file that is not an archive and a truncated archive', () => {
    const notArchive = join(root, 'data_batch_1.bin');
    writeFileSync(notArchive, new Uint8Array(3073));
    expect(dataErrorOf(() => loadCifar10(notArchive)).message).toMatch(/^data_batch_1\.bin: is neither a directory nor a \.tar\.gz archive/);

    const tar = writeTar([{ name: 'cifar-10-batches-bin/test_batch.bin', data: new Uint8Array(3073 * 2) }]);
    const cut = join(root, 'cut.tar.gz');
    writeFileSync(cut, gzipSync(tar.subarray(0, 512 + 3073)));
    expect(dataErrorOf(() => loadCifar10(cut)).message).toMatch(/^cut\.tar\.gz: truncated: tar entry "cifar-10-batches-bin\/test_batch\.bin" needs 6146 bytes/);
  });
});

describe('tar reader', () => {
  it('reads back what the writer wrote, skipping directories, and checks header checksums', () => {
    const data = Uint8Array.from({ length: 1000 }, (_, i) => i % 251);
    const tar = writeTar([{ name: 'd/', data: new Uint8Array(0) }, { name: 'd/a.bin', data }, { name: 'd/empty', data: new Uint8Array(0) }]);
    const entries = readTar(tar, 'x.tar');
    expect(entries.map((e) => e.name)).toEqual(['d/a.bin', 'd/empty']);
    expect(Array.from(entries[0].data)).toEqual(Array.from(data));
    tar[10] ^= 1;
    expect(dataErrorOf(() => readTar(tar, 'x.tar')).message).toBe('x.tar: not a tar archive (bad header checksum at byte 0) — download it again');
  });
});
