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
