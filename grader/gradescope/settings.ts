/**
 * The instructor's choices for the Gradescope autograder, written into the
 * staff-only zip as autograder-settings.json by buildGradescopeZip and read
 * by the autograder on every run.
 */
import { readFile } from 'node:fs/promises';
import type { Visibility } from '../results.js';

/** The settings file's name at the root of the autograder (zip and /autograder/source). */
export const SETTINGS_FILE = 'autograder-settings.json';

export interface AutograderSettings {
  /** Share of each part's points given to its hidden tests (0 to 1); the public tests get the rest. */
  hiddenFraction: number;
  /** When students see the hidden tests' results. */
  hiddenVisibility: Visibility;
  /**
   * Hidden tests built for each student from the course secret and the
   * student's email (the smallest email of a group); otherwise the hidden
   * fixtures packed in the zip are the same for everyone.
   */
  perStudent: boolean;
  /** The course secret, when perStudent (the zip is staff-only and the file is readable by root only). */
  secret?: string;
  /** Parts that count even when their data is not on Gradescope (otherwise left out of the maximum). */
  requiredParts: string[];
}

export const DEFAULT_SETTINGS: AutograderSettings = {
  hiddenFraction: 0.5,
  hiddenVisibility: 'after_due_date',
  perStudent: true,
  requiredParts: [],
};

const VISIBILITIES: readonly Visibility[] = ['visible', 'hidden', 'after_due_date', 'after_published'];

/** Why a settings value is wrong, as one line, or null when it is valid. */
export function settingsProblem(s: Partial<AutograderSettings>): string | null {
  if (s.hiddenFraction !== undefined && !(typeof s.hiddenFraction === 'number' && s.hiddenFraction >= 0 && s.hiddenFraction <= 1)) {
    return `hiddenFraction must be a number from 0 to 1, got ${JSON.stringify(s.hiddenFraction)}`;
  }
  if (s.hiddenVisibility !== undefined && !VISIBILITIES.includes(s.hiddenVisibility)) {
    return `hiddenVisibility must be one of ${VISIBILITIES.join(', ')}, got ${JSON.stringify(s.hiddenVisibility)}`;
  }
  if (s.perStudent !== undefined && typeof s.perStudent !== 'boolean') return 'perStudent must be true or false';
  if (s.perStudent && !(typeof s.secret === 'string' && s.secret.length >= 16)) {
    return 'per-student hidden tests need the course secret (at least 16 characters)';
  }
  if (s.requiredParts !== undefined && !(Array.isArray(s.requiredParts) && s.requiredParts.every((p) => typeof p === 'string'))) {
    return 'requiredParts must be a list of part ids';
  }
  return null;
}

/** Reads and checks the settings file; throws an Error with a one-line message. */
export async function readSettings(file: string): Promise<AutograderSettings> {
  let value: Partial<AutograderSettings>;
  try {
    value = JSON.parse(await readFile(file, 'utf8')) as Partial<AutograderSettings>;
  } catch (cause) {
    throw new Error(`cannot read the autograder settings ${file} (${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}): rebuild the autograder zip with npm run release -- --gradescope FILE.zip`, { cause });
  }
  const settings = { ...DEFAULT_SETTINGS, ...value };
  const problem = settingsProblem(settings);
  if (problem) throw new Error(`${file}: ${problem}; rebuild the autograder zip`);
  return settings;
}
