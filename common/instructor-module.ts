/**
 * Loads a module that only the instructor repository has (the reference
 * solution and what is built on it). The path is given at run time, never as a
 * static import, so the student release, which leaves those files out, still
 * typechecks and its commands say what to do instead of failing to start.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../grader/root.js';
import { importTs } from './import-ts.js';
import { UsageError } from './usage-error.js';

/** True when `file` (relative to the repository root) is there: the instructor repository. */
export function hasInstructorModule(file: string): boolean {
  return existsSync(path.join(ROOT, file));
}

/**
 * Imports `file` (relative to the repository root) as a module of type T; when
 * the file is not there, throws a UsageError with the `missing` line.
 */
export async function loadInstructorModule<T>(file: string, missing: string): Promise<T> {
  if (!hasInstructorModule(file)) throw new UsageError(missing);
  return importTs<T>(pathToFileURL(path.join(ROOT, file)).href);
}
