/** Per-student fixtures (--per-student): built once, reused while the builder is the same, rebuilt when its version changes. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { studentFixtures } from '../../batch/student-fixtures.js';
import { GENERATOR_VERSION } from '../../instructor/fixtures/build.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('studentFixtures', () => {
  it('reuses a cached set of the same builder, and rebuilds one an older builder made (its cases differ)', async () => {
    const cache = await mkdtemp(path.join(os.tmpdir(), 'student-fixtures-'));
    dirs.push(cache);
    const secret = 'a-course-secret-of-some-length';
    const first = await studentFixtures(cache, secret, 'alice', ['activations']);
    const manifestFile = path.join(first.dir, 'manifest.json');
    const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as { generatorVersion: string };
    expect(manifest.generatorVersion).toBe(GENERATOR_VERSION);
    // the same builder: the very same files, not built again
    await writeFile(path.join(first.dir, 'marker'), 'kept');
    const again = await studentFixtures(cache, secret, 'alice', ['activations']);
    expect(again).toEqual(first);
    expect(await readFile(path.join(first.dir, 'marker'), 'utf8')).toBe('kept');
    // a set an older builder left: built again, into the same set the current builder makes
    await writeFile(manifestFile, JSON.stringify({ ...manifest, generatorVersion: '0.0.1' }));
    const stale = JSON.parse(await readFile(manifestFile, 'utf8')) as { generatorVersion: string };
    expect(stale.generatorVersion).toBe('0.0.1');
    const rebuilt = await studentFixtures(cache, secret, 'alice', ['activations']);
    expect(rebuilt.dir).toBe(first.dir);
    expect((JSON.parse(await readFile(manifestFile, 'utf8')) as { generatorVersion: string }).generatorVersion).toBe(GENERATOR_VERSION);
    await expect(readFile(path.join(first.dir, 'marker'), 'utf8')).rejects.toThrow();
    expect(rebuilt.fingerprint).toBe(first.fingerprint);
  });
});
