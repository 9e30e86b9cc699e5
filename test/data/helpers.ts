/** Shared by the data tests: temp directories and catching the DataError a call throws. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { DataError } from '../../starter/provided/data/types.js';

/** A fresh directory under os.tmpdir(), removed after the file's tests. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The DataError `fn` throws; fails the test if it throws nothing or something else. */
export function dataErrorOf(fn: () => unknown): DataError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DataError) return error;
    throw new Error(`expected a DataError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected a DataError, nothing was thrown');
}

/** Exact element-wise equality of two float arrays; far faster than toEqual on millions of numbers. */
export function sameNumbers(a: Float64Array, b: Float64Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

/** Smallest and largest element, without spreading a huge array into arguments. */
export function range(values: Float64Array): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return [min, max];
}
