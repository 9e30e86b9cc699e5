/**
 * The Gradescope autograder zip (npm run release -- --gradescope FILE.zip):
 * setup.sh and run_autograder at its root, then the grader, the public
 * fixtures and the instructor's settings. The zip is for staff only, so it
 * may hold the course secret and what builds the per-student hidden fixtures
 * (the reference and instructor/): only the grader reads them, never the
 * sandboxed child (setup.sh makes them readable by root only).
 */
import { lstat, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { zipSync, type Zippable } from 'fflate';
import { DEFAULT_SETTINGS, SETTINGS_FILE, settingsProblem, type AutograderSettings } from '../grader/gradescope/settings.js';
import type { Visibility } from '../grader/results.js';
import { ROOT } from '../grader/root.js';

export interface GradescopeZipOptions {
  /** The course secret: seeds the hidden fixtures (per student, or once for everyone). At least 16 characters. */
  secret: string;
  /** Share of each part's points given to its hidden tests, 0 to 1 (default 0.5). */
  hiddenFraction?: number;
  /** When students see the hidden tests (default "after_due_date"). */
  hiddenVisibility?: Visibility;
  /** Hidden tests of each student's own, from the secret and their email (default true); false packs one set for everyone. */
  perStudent?: boolean;
  /** Parts that count even though their data is not on Gradescope (default none: CIFAR-10 is left out of the maximum). */
  requiredParts?: string[];
  /** The repository to pack (default: this one). */
  sourceDir?: string;
  /** Progress lines. */
  log?: (line: string) => void;
}

/**
 * Not packed: the tests and CI (the autograder does not run them) and
 * gradescope/ (its two scripts go to the zip's root). Everything else the
 * repository holds (tracked or new, not ignored) is the grader and what it runs on.
 */
const LEFT_OUT = [/^test\//, /^\.ci\//, /^\.github\//, /^gradescope\//, /^\.gitignore$/, /^vitest\.config\.ts$/];
/** A fixed time for every entry, so the same sources give the same zip. */
const MTIME = new Date('2026-01-01T00:00:00Z');
/** Unix "made by" for the entries, so their modes (run_autograder executable) survive unzip. */
const UNIX = 3;

type Entry = [Uint8Array, { os: number; attrs: number; mtime: Date }];

function entry(data: Uint8Array | string, mode: number): Entry {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  return [bytes, { os: UNIX, attrs: ((0o100000 | mode) << 16) >>> 0, mtime: MTIME }];
}

/** The repository's files (tracked, or new and not ignored), relative, with / separators. */
async function repositoryFiles(source: string): Promise<string[]> {
  try {
    const { stdout } = await execa('git', ['-C', source, 'ls-files', '-z', '--cached', '--others', '--exclude-standard']);
    return [...new Set(stdout.split('\0').filter((f) => f !== ''))].sort();
  } catch (cause) {
    throw new Error(`cannot list the files of ${source} with git (${(cause as Error).message.split('\n')[0]}): build the zip from a git checkout of the course repository`, { cause });
  }
}

async function addFile(files: Record<string, Entry>, source: string, rel: string): Promise<void> {
  const info = await lstat(path.join(source, rel)).catch(() => null);
  if (!info?.isFile()) return; // deleted in the working tree, or a link: nothing to pack
  files[rel] = entry(await readFile(path.join(source, rel)), info.mode & 0o111 ? 0o755 : 0o644);
}

/** The settings written into the zip, checked. */
function settingsOf(options: GradescopeZipOptions): AutograderSettings {
  const settings: AutograderSettings = {
    hiddenFraction: options.hiddenFraction ?? DEFAULT_SETTINGS.hiddenFraction,
    hiddenVisibility: options.hiddenVisibility ?? DEFAULT_SETTINGS.hiddenVisibility,
    perStudent: options.perStudent ?? DEFAULT_SETTINGS.perStudent,
    requiredParts: options.requiredParts ?? DEFAULT_SETTINGS.requiredParts,
    ...(options.perStudent === false ? {} : { secret: options.secret }),
  };
  if (!(typeof options.secret === 'string' && options.secret.length >= 16)) throw new Error('the course secret must have at least 16 characters');
  const problem = settingsProblem(settings);
  if (problem) throw new Error(problem);
  return settings;
}

/**
 * Writes the autograder zip to `file`: upload it as the assignment's
 * autograder on Gradescope's Ubuntu 22.04 base image. Returns the number
 * of files and bytes written.
 */
export async function buildGradescopeZip(file: string, options: GradescopeZipOptions): Promise<{ files: number; bytes: number }> {
  const log = options.log ?? (() => {});
  const source = path.resolve(options.sourceDir ?? ROOT);
  const settings = settingsOf(options);
  const files: Record<string, Entry> = {};
  files['setup.sh'] = entry(await readFile(path.join(source, 'gradescope', 'setup.sh')), 0o755);
  files.run_autograder = entry(await readFile(path.join(source, 'gradescope', 'run_autograder')), 0o755);
  for (const rel of await repositoryFiles(source)) {
    if (!LEFT_OUT.some((re) => re.test(rel))) await addFile(files, source, rel);
  }
  files[SETTINGS_FILE] = entry(JSON.stringify(settings, null, 2) + '\n', 0o600);
  if (!settings.perStudent) {
    // one hidden set for everyone, built here from the secret so the zip needs no secret at grading time
    log('building the hidden fixtures');
    const { buildFixtures, stringifyFixture } = await import('../instructor/fixtures/build.js');
    const built = await buildFixtures({ seed: options.secret, hidden: true });
    for (const [name, text] of built.files) files[`fixtures-hidden/${name}`] = entry(text, 0o600);
    files['fixtures-hidden/manifest.json'] = entry(stringifyFixture(built.manifest), 0o600);
  }
  const zip = zipSync(files as Zippable, { level: 9 });
  // staff-only: the zip holds the course secret
  await writeFile(file, zip, { mode: 0o600 });
  log(`wrote ${file}: ${Object.keys(files).length} files, ${(zip.length / 1e6).toFixed(1)} MB`);
  return { files: Object.keys(files).length, bytes: zip.length };
}
