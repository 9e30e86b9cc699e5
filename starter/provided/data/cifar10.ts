/**
 * PROVIDED HELPER: do not edit. The grader always uses its own copy of this file.
 *
 * CIFAR-10, "binary version": data_batch_1.bin ... data_batch_5.bin and
 * test_batch.bin, each a run of 3073-byte records: one label byte (0-9), then
 * 3072 pixel bytes (1024 red, 1024 green, 1024 blue, each 32x32 row-major).
 * The data is on no package registry, so it is read from a path the user
 * gives: the extracted directory or the downloaded cifar-10-binary.tar.gz.
 * Also writes small synthetic files in the same format for tests.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Matrix } from '../matrix.js';
import { Random } from '../random.js';
import { gunzipIfGzipped, isGzip, readBytes, statOrUndefined } from './files.js';
import { readTar, writeTar } from './tar.js';
import { DataError, type Dataset, type Split } from './types.js';

/** Class names in label order, as in the data set's batches.meta.txt. */
export const CIFAR10_CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'] as const;

const PIXELS = 3072;
const RECORD = PIXELS + 1;
const TRAIN_BATCH = /^data_batch_(\d+)\.bin$/;
const TEST_BATCH = 'test_batch.bin';
const SUBDIR = 'cifar-10-batches-bin';
const WHAT_TO_GIVE = `give the extracted ${SUBDIR} directory or the downloaded cifar-10-binary.tar.gz`;

interface BatchFile {
  name: string;
  bytes: Uint8Array;
}

export interface Cifar10Options {
  /** Subtract the per-feature mean of the train set from train and test (default false). */
  subtractMean?: boolean;
  /** Use only the first trainSize training images (default all). */
  trainSize?: number;
  /** Use only the first testSize test images (default all). */
  testSize?: number;
}

/**
 * Loads CIFAR-10 from a directory (or its cifar-10-batches-bin subdirectory)
 * or straight from cifar-10-binary.tar.gz. Uses every data_batch_N.bin
 * present (at least one) and requires test_batch.bin. X is N x 3072 in the
 * file's channel-major order, scaled to [0, 1]; 10 classes.
 */
export function loadCifar10(path: string, options: Cifar10Options = {}): Split {
  const { train, test } = findBatches(path);
  const trainSet = parseBatches(train, options.trainSize);
  const testSet = parseBatches([test], options.testSize);
  if (options.subtractMean) subtractTrainMean(trainSet.X, testSet.X);
  return { train: trainSet, test: testSet };
}

function findBatches(path: string): { train: BatchFile[]; test: BatchFile } {
  const stat = statOrUndefined(path);
  if (!stat) throw new DataError(path, `no such file or directory — ${WHAT_TO_GIVE}`);
  if (stat.isDirectory()) {
    const dir = [path, join(path, SUBDIR)].find((d) => statOrUndefined(join(d, TEST_BATCH))?.isFile());
    if (!dir) {
      const names = [...readdirSync(path), ...safeList(join(path, SUBDIR))];
      throw new DataError(path, `${missingTestProblem(names)} — ${WHAT_TO_GIVE}`);
    }
    const trainNames = sortBatches(readdirSync(dir));
    if (trainNames.length === 0) throw new DataError(dir, `no data_batch_N.bin next to ${TEST_BATCH} — ${WHAT_TO_GIVE}`);
    return {
      train: trainNames.map((name) => ({ name, bytes: readBytes(join(dir, name)) })),
      test: { name: TEST_BATCH, bytes: readBytes(join(dir, TEST_BATCH)) },
    };
  }
  const label = basename(path);
  const raw = readBytes(path);
  const bytes = gunzipIfGzipped(raw, label);
  const isTar = bytes.length >= 262 && new TextDecoder().decode(bytes.subarray(257, 262)) === 'ustar';
  if (!isTar) {
    throw new DataError(label, `is ${isGzip(raw) ? 'gzip data but not a tar archive' : 'neither a directory nor a .tar.gz archive'} — ${WHAT_TO_GIVE}`);
  }
  const entries = readTar(bytes, label);
  const files = new Map(entries.map((e) => [basename(e.name), e.data]));
  const test = files.get(TEST_BATCH);
  const trainNames = sortBatches([...files.keys()]);
  if (!test || trainNames.length === 0) {
    const problem = test ? 'has test_batch.bin but no data_batch_N.bin' : missingTestProblem(entries.map((e) => e.name));
    throw new DataError(label, `${problem} — download cifar-10-binary.tar.gz (the binary version)`);
  }
  return { train: trainNames.map((name) => ({ name, bytes: files.get(name)! })), test: { name: TEST_BATCH, bytes: test } };
}

function safeList(dir: string): string[] {
  return statOrUndefined(dir)?.isDirectory() ? readdirSync(dir) : [];
}

function sortBatches(names: string[]): string[] {
  const number = (n: string) => Number(TRAIN_BATCH.exec(n)![1]);
  return names.filter((n) => TRAIN_BATCH.test(n)).sort((a, b) => number(a) - number(b));
}

/** Says what was found instead of test_batch.bin (paths as given), recognising the python and matlab versions. */
function missingTestProblem(paths: string[]): string {
  const files = paths.map((p) => basename(p));
  if (files.includes('test_batch')) return 'this is the python version of CIFAR-10 (test_batch without .bin), not the binary version';
  if (files.includes('test_batch.mat')) return 'this is the matlab version of CIFAR-10, not the binary version';
  if (files.some((n) => TRAIN_BATCH.test(n))) return `has data_batch_N.bin but no ${TEST_BATCH}`;
  const shown = paths.length === 0 ? 'nothing' : paths.slice(0, 6).join(', ') + (paths.length > 6 ? `, ... (${paths.length} files)` : '');
  return `no CIFAR-10 batches (data_batch_N.bin, ${TEST_BATCH}); found ${shown}`;
}

/** Checks every record, then decodes the first `limit` records of the files in order. */
function parseBatches(files: BatchFile[], limit?: number): Dataset {
  let total = 0;
  for (const { name, bytes } of files) {
    if (bytes.length === 0 || bytes.length % RECORD !== 0) {
      throw new DataError(name, `${bytes.length} bytes is not a whole number of ${RECORD}-byte records: the file is truncated or not the binary version — download cifar-10-binary.tar.gz again`);
    }
    for (let r = 0; r < bytes.length / RECORD; r++) {
      const label = bytes[r * RECORD];
      if (label > 9) {
        throw new DataError(name, `record ${r} has label ${label}, but CIFAR-10 labels are 0-9 — this is not the CIFAR-10 binary version (CIFAR-100 has two label bytes)`);
      }
    }
    total += bytes.length / RECORD;
  }
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
    throw new RangeError(`loadCifar10: trainSize and testSize must be positive integers, got ${limit}`);
  }
  const n = Math.min(total, limit ?? total);
  const X = new Matrix(n, PIXELS);
  const y: number[] = new Array(n);
  let row = 0;
  for (const { bytes } of files) {
    for (let r = 0; r < bytes.length / RECORD && row < n; r++, row++) {
      y[row] = bytes[r * RECORD];
      const out = row * PIXELS;
      const src = r * RECORD + 1;
      for (let j = 0; j < PIXELS; j++) X.data[out + j] = bytes[src + j] / 255;
    }
  }
  return { X, y, classes: 10 };
}

function subtractTrainMean(train: Matrix, test: Matrix): void {
  const mean = new Float64Array(train.cols);
  for (let i = 0; i < train.rows; i++) {
    for (let j = 0; j < train.cols; j++) mean[j] += train.data[i * train.cols + j];
  }
  for (let j = 0; j < mean.length; j++) mean[j] /= train.rows;
  for (const m of [train, test]) {
    for (let i = 0; i < m.rows; i++) {
      for (let j = 0; j < m.cols; j++) m.data[i * m.cols + j] -= mean[j];
    }
  }
}

/** Writes one batch file in the binary format: per image, its label byte then its 3072 pixel bytes. */
export function writeCifar10Batch(file: string, images: readonly Uint8Array[], labels: readonly number[]): void {
  if (images.length !== labels.length) throw new RangeError(`writeCifar10Batch: ${images.length} images but ${labels.length} labels`);
  const out = new Uint8Array(images.length * RECORD);
  images.forEach((image, i) => {
    if (image.length !== PIXELS) throw new RangeError(`writeCifar10Batch: image ${i} has ${image.length} bytes, not ${PIXELS}`);
    // Labels are deliberately not range-checked, so tests can write bad files.
    out[i * RECORD] = labels[i];
    out.set(image, i * RECORD + 1);
  });
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, out);
}

export interface SyntheticCifar10Options {
  /** Images per data_batch_N.bin (default 100). */
  trainPerBatch?: number;
  /** Images in test_batch.bin (default 100). */
  test?: number;
  /** How many data_batch_N.bin files (default 5). */
  batches?: number;
  /** Seed for templates and noise (default 'synthetic-cifar10'). */
  seed?: string;
}

/**
 * Writes a small learnable stand-in for CIFAR-10 into `dir`, in the exact
 * binary format (plus batches.meta.txt): each class has its own colour and
 * stripe pattern, every image adds a brightness shift and strong pixel noise.
 * Labels are balanced and shuffled. Returns the paths written.
 */
export function makeSyntheticCifar10(dir: string, options: SyntheticCifar10Options = {}): string[] {
  const { trainPerBatch = 100, test = 100, batches = 5, seed = 'synthetic-cifar10' } = options;
  const rng = new Random(seed);
  const templates = CIFAR10_CLASSES.map((_, c) => classTemplate(c, rng));
  const makeBatch = (file: string, count: number) => {
    const labels = rng.shuffle(Array.from({ length: count }, (_, i) => i % 10));
    const images = labels.map((label) => {
      const shift = rng.normal() * 20;
      return Uint8Array.from(templates[label], (v) => Math.round(Math.min(255, Math.max(0, v + shift + rng.normal() * 40))));
    });
    writeCifar10Batch(file, images, labels);
    return file;
  };
  const written = Array.from({ length: batches }, (_, b) => makeBatch(join(dir, `data_batch_${b + 1}.bin`), trainPerBatch));
  written.push(makeBatch(join(dir, TEST_BATCH), test));
  const meta = join(dir, 'batches.meta.txt');
  writeFileSync(meta, CIFAR10_CLASSES.join('\n') + '\n');
  return [...written, meta];
}

/** Class c: a random base colour plus a sine stripe (horizontal for even c, vertical for odd) of c-dependent frequency. */
function classTemplate(c: number, rng: Random): Float64Array {
  const base = [0, 1, 2].map(() => rng.uniformRange(60, 196));
  const sign = [0, 1, 2].map(() => (rng.uniform() < 0.5 ? -1 : 1));
  const phase = rng.uniformRange(0, 2 * Math.PI);
  const frequency = 1 + Math.floor(c / 2);
  const t = new Float64Array(PIXELS);
  for (let ch = 0; ch < 3; ch++) {
    for (let r = 0; r < 32; r++) {
      for (let col = 0; col < 32; col++) {
        const along = c % 2 === 0 ? r : col;
        t[ch * 1024 + r * 32 + col] = base[ch] + 50 * sign[ch] * Math.sin((2 * Math.PI * frequency * along) / 32 + phase);
      }
    }
  }
  return t;
}

/** Packs every file of `dir` into a tar.gz under cifar-10-batches-bin/, the layout of the real download. */
export function writeCifar10TarGz(dir: string, outFile: string): void {
  const names = readdirSync(dir).filter((n) => statOrUndefined(join(dir, n))?.isFile()).sort();
  const entries = [
    { name: `${SUBDIR}/`, data: new Uint8Array(0) },
    ...names.map((n) => ({ name: `${SUBDIR}/${n}`, data: readBytes(join(dir, n)) })),
  ];
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, gzipSync(writeTar(entries)));
}
