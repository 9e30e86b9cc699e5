/**
 * Each student's own hidden inputs in a batch (`--per-student`): fixtures
 * built from the course secret and the student's id (the same derivation as
 * Gradescope's run_autograder, so a TA's offline grade matches the
 * platform's), cached in the batch's output folder under a hash of that seed
 * (and rebuilt when the fixture builder's version changes), built into a temp
 * folder and renamed into place so a killed batch never leaves half a set behind.
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
  const { buildFixtures, studentSeed, writeFixtures, GENERATOR_VERSION } = await import('../instructor/fixtures/build.js');
  const seed = studentSeed(secret, who);
  const name = createHash('sha256').update(`${seed}\0${(parts ?? []).join(',')}`).digest('hex').slice(0, 24);
  const dir = path.join(cacheDir, name);
  const manifestFile = path.join(dir, 'manifest.json');
  // a set built by another version of the fixture builder has other cases: build it again
  const cached = await readFile(manifestFile, 'utf8').then((t) => JSON.parse(t) as FixtureManifest, () => undefined);
  if (cached?.generatorVersion !== GENERATOR_VERSION) {
    const temp = `${dir}.${process.pid}.building`;
    await rm(temp, { recursive: true, force: true });
    await mkdir(cacheDir, { recursive: true });
    const built = await buildFixtures({ seed, hidden: true, parts });
    await writeFixtures(temp, built);
    if (cached) await rm(dir, { recursive: true, force: true });
    await rename(temp, dir).catch(async (cause: unknown) => {
      // another job built the same set first: keep theirs
      await rm(temp, { recursive: true, force: true });
      if (!(await stat(manifestFile).catch(() => null))) throw cause;
    });
  }
  return { dir, fingerprint: await fixturesFingerprint(dir) };
}

/** The fingerprint of a fixtures folder: the hash of its manifest, which holds the builder's version, the seed and every part's hash. */
export async function fixturesFingerprint(dir: string): Promise<string> {
  return createHash('sha256').update(await readFile(path.join(dir, 'manifest.json'))).digest('hex').slice(0, 16);
}
