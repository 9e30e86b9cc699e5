/**
 * PROVIDED HELPER: do not edit. The grader always uses its own copy of this file.
 *
 * The IDX format MNIST is distributed in: bytes 00 00, a type byte (08 =
 * unsigned byte), the number of dimensions, each dimension as a big-endian
 * 32-bit integer, then the data. Files may be gzipped (detected by content).
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Matrix } from '../matrix.js';
import { gunzipIfGzipped, readBytes, statOrUndefined } from './files.js';
import { DataError, type Dataset, type Split } from './types.js';

/** What an IDX file should hold: images are N x rows x cols (magic 0x803), labels are N (magic 0x801). */
export type IdxKind = 'images' | 'labels';

const RANK: Record<IdxKind, number> = { images: 3, labels: 1 };
const TYPE_NAMES: Record<number, string> = { 0x09: 'signed byte', 0x0b: 'short', 0x0c: 'int', 0x0d: 'float', 0x0e: 'double' };
const hex8 = (v: number): string => `0x${v.toString(16).padStart(8, '0')}`;

/**
 * Reads an IDX file of unsigned bytes, raw or gzipped. With `kind`, also
 * checks the magic number for images or labels. Every problem is a DataError
 * naming the file: wrong magic, unsupported type, truncated or overlong data.
 */
export function readIdx(file: string, kind?: IdxKind): { dims: number[]; data: Uint8Array } {
  const name = basename(file);
  const bytes = gunzipIfGzipped(readBytes(file), name);
  if (bytes.length < 4) {
    throw new DataError(name, `truncated: only ${bytes.length} bytes, shorter than the 4-byte IDX magic number — download it again`);
  }
  const magic = ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0;
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new DataError(name, `not an IDX file: magic number ${hex8(magic)} does not start with 00 00 — download the MNIST files again`);
  }
  if (bytes[2] !== 0x08) {
    const type = TYPE_NAMES[bytes[2]] ?? 'unknown';
    throw new DataError(name, `IDX data type 0x${bytes[2].toString(16).padStart(2, '0')} (${type}) is not supported, only 0x08 (unsigned byte) — use the original MNIST files`);
  }
  const rank = bytes[3];
  if (kind && rank !== RANK[kind]) {
    const expected = 0x800 + RANK[kind];
    const looksLike = rank === 1 ? 'a labels file' : rank === 3 ? 'an images file' : `a ${rank}-dimensional file`;
    throw new DataError(name, `magic number ${hex8(magic)} is not ${hex8(expected)} (${kind}): this is ${looksLike} — check which file is which`);
  }
  const headerSize = 4 + 4 * rank;
  if (bytes.length < headerSize) {
    throw new DataError(name, `truncated: ${bytes.length} bytes, shorter than the ${headerSize}-byte header — download it again`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = Array.from({ length: rank }, (_, k) => view.getUint32(4 + 4 * k, false));
  const expected = dims.reduce((a, b) => a * b, 1);
  const actual = bytes.length - headerSize;
  const what = kind === 'images' ? 'pixels' : kind === 'labels' ? 'labels' : 'data';
  if (actual < expected) {
    throw new DataError(name, `truncated: header says ${dims.join('x')} = ${expected} bytes of ${what} but the file has ${actual} — download it again`);
  }
  if (actual > expected) {
    throw new DataError(name, `header says ${dims.join('x')} = ${expected} bytes of ${what} but the file has ${actual} — the file is corrupt, download it again`);
  }
  return { dims, data: bytes.subarray(headerSize) };
}

/** Writes an IDX file of unsigned bytes (gzipped when `gzip` is set); used to build test files. */
export function writeIdx(file: string, dims: readonly number[], data: Uint8Array, gzip = false): void {
  const expected = dims.reduce((a, b) => a * b, 1);
  if (data.length !== expected) throw new RangeError(`writeIdx: dims ${dims.join('x')} need ${expected} bytes, got ${data.length}`);
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  out[2] = 0x08;
  out[3] = dims.length;
  dims.forEach((d, k) => view.setUint32(4 + 4 * k, d, false));
  out.set(data, 4 + 4 * dims.length);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, gzip ? gzipSync(out) : out);
}

/** The four standard MNIST file names, without .gz. */
export const MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

const EXPECTED_NAMES = `${Object.values(MNIST_FILES).join(', ')} (each may end in .gz)`;

/**
 * Loads full MNIST from a directory of the four standard IDX files (raw or
 * .gz, also the "train-images.idx3-ubyte" spelling). Pixels are scaled to [0, 1].
 */
export function loadMnistIdx(dir: string): Split {
  const stat = statOrUndefined(dir);
  if (!stat?.isDirectory()) {
    throw new DataError(dir, `${stat ? 'is not a directory' : 'no such directory'} — give the directory holding ${EXPECTED_NAMES}`);
  }
  const entries = new Set(readdirSync(dir));
  const find = (base: string): string => {
    const dotted = base.replace(/-(idx\d-ubyte)$/, '.$1');
    const found = [base, `${base}.gz`, dotted, `${dotted}.gz`].find((n) => entries.has(n));
    if (!found) throw new DataError(dir, `missing ${base} (or ${base}.gz) — the directory must hold ${EXPECTED_NAMES}`);
    return join(dir, found);
  };
  return {
    train: readPair(find(MNIST_FILES.trainImages), find(MNIST_FILES.trainLabels)),
    test: readPair(find(MNIST_FILES.testImages), find(MNIST_FILES.testLabels)),
  };
}

function readPair(imagesFile: string, labelsFile: string): Dataset {
  const images = readIdx(imagesFile, 'images');
  const labels = readIdx(labelsFile, 'labels');
  const [n, rows, cols] = images.dims;
  if (labels.dims[0] !== n) {
    throw new DataError(basename(labelsFile), `${labels.dims[0]} labels but ${basename(imagesFile)} has ${n} images — the two files do not belong together, download both again`);
  }
  const y = Array.from(labels.data);
  const bad = y.findIndex((label) => label > 9);
  if (bad >= 0) {
    throw new DataError(basename(labelsFile), `label ${y[bad]} at index ${bad} is not a digit 0-9 — download it again`);
  }
  const X = new Matrix(n, rows * cols);
  for (let i = 0; i < images.data.length; i++) X.data[i] = images.data[i] / 255;
  return { X, y, classes: 10 };
}
