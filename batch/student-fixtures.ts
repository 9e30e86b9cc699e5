/**
 * Each student's own hidden inputs in a batch (`--per-student`): fixtures
 * built from the course secret and the student's id (the same derivation as
 * Gradescope's run_autograder, so a TA's offline grade matches the
 * platform's), cached in the batch's output folder under a hash of that seed,
 * built into a temp folder and renamed into place so a killed batch never
 * leaves half a set behind.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { FixtureManifest } from '../grader/fixtures/types.generated.js';

/** A student's fixtures: where they are and the fingerprint the gradebook records. */
export interface StudentFixtures { dir: string; fingerprint: string }

/** The secret a course keeps: long enough not to be guessed from a student's inputs. */
export const MIN_SECRET_LENGTH = 16;

/**
 * The fixtures of student `who` under `cacheDir`, built on first use. `parts`
 * limits the build (the parts being graded). The fixture builder is the
 * instructor's and is loaded only here, by the staff's own batch.
 */
export async function studentFixtures(cacheDir: string, secret: string, who: string, parts?: string[]): Promise<StudentFixtures> {
  const { buildFixtures, studentSeed, writeFixtures } = await import('../instructor/fixtures/build.js');
  const seed = studentSeed(secret, who);
  const name = createHash('sha256').update(`${seed}\0${(parts ?? []).join(',')}`).digest('hex').slice(0, 24);
  const dir = path.join(cacheDir, name);
  const manifestFile = path.join(dir, 'manifest.json');
  if (!(await stat(manifestFile).catch(() => null))) {
    const temp = `${dir}.${process.pid}.building`;
    await rm(temp, { recursive: true, force: true });
    await mkdir(cacheDir, { recursive: true });
    const built = await buildFixtures({ seed, hidden: true, parts });
    await writeFixtures(temp, built);
    await rename(temp, dir).catch(async (cause: unknown) => {
      // another job built the same set first: keep theirs
      await rm(temp, { recursive: true, force: true });
      if (!(await stat(manifestFile).catch(() => null))) throw cause;
    });
  }
  const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as FixtureManifest;
  return { dir, fingerprint: manifest.seed };
}
