/**
 * Turns the reference that Stryker has instrumented into a submission for the
 * sandboxed child. The child starts with an empty environment, so the active
 * mutant cannot arrive the way Stryker sends it (`__STRYKER_ACTIVE_MUTANT__` in
 * the environment): this build writes its id into the instrumentation header
 * as a literal instead. Only the mutation runner builds submissions this way;
 * the sandbox itself is unchanged.
 */
import { writeFromReference } from '../starter.js';

/** Stryker's name for the environment variable that carries the active mutant's id. */
export const ACTIVE_MUTANT_ENV = '__STRYKER_ACTIVE_MUTANT__';

/** The header's read of the environment (`g` is the global object), as Stryker 9 writes it. */
const ENV_READ = /g\.process\s*&&\s*g\.process\.env\s*&&\s*g\.process\.env\.__STRYKER_ACTIVE_MUTANT__|g\.process\.env\.__STRYKER_ACTIVE_MUTANT__/g;

/**
 * An instrumented module with the active mutant's id (or '' for none: the dry
 * run) fixed in its header; a module Stryker did not instrument is returned as
 * it is. Throws when a module is instrumented but its header is not the one
 * expected, so a new Stryker version cannot silently turn every mutant off.
 */
export function fixActiveMutant(source: string, activeMutant: string, file = 'module'): string {
  if (!source.includes(ACTIVE_MUTANT_ENV)) return source;
  const literal = JSON.stringify(activeMutant);
  let reads = 0;
  const out = source.replace(ENV_READ, () => { reads++; return literal; });
  if (reads !== 2) {
    throw new Error(`${file}: the Stryker instrumentation header reads ${ACTIVE_MUTANT_ENV} in an unexpected way (${reads} reads found, 2 expected); update ENV_READ in instructor/mutation/mutant-submission.ts`);
  }
  return out;
}

/** Writes the instrumented reference in `referenceDir` as a solution submission into `dir`, the active mutant fixed in every module. */
export async function writeMutantSubmission(dir: string, referenceDir: string, activeMutant: string): Promise<void> {
  await writeFromReference(dir, 'solution', (file, source) => fixActiveMutant(source, activeMutant, file), referenceDir);
}
