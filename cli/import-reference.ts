/** The lazy import of reference/ and instructor/ for the instructor-only commands (fixtures, bench); the release leaves this file out. */
import { UsageError } from '../common/usage-error.js';

/**
 * Imports a module of reference/ or instructor/ when a command first needs it.
 * In a copy of the repository without them the import fails, and the command
 * says `missing` as one UsageError line instead of a stack trace.
 */
export async function importReference<T>(load: () => Promise<T>, missing: string): Promise<T> {
  try {
    return await load();
  } catch (cause) {
    const err = cause as NodeJS.ErrnoException;
    // only a file of reference/ or instructor/ itself missing, not a package it imports
    if (err.code === 'ERR_MODULE_NOT_FOUND' && /^Cannot find module '[^']*[\\/](reference|instructor)[\\/][^']+'/.test(err.message)) throw new UsageError(missing, { cause });
    throw cause;
  }
}
