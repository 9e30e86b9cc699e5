/** The Gradescope autograder zip: what is at its root, what it holds, and what stays private. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { unzipSync, strFromU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGradescopeZip } from '../release/gradescope.js';

let tmp: string;
beforeAll(async () => { tmp = await mkdtemp(path.join(os.tmpdir(), 'gradescope-zip-')); });
afterAll(async () => rm(tmp, { recursive: true, force: true }));

/** Each entry's Unix mode as `zipinfo` (the unzip tool's listing) shows it, by path. */
async function modes(zip: string): Promise<Map<string, string>> {
  const { stdout } = await execa('unzip', ['-Z', zip]);
  return new Map(stdout.split('\n').filter((l) => /^[-d]r/.test(l)).map((l) => [l.split(/\s+/).pop()!, l.split(/\s+/)[0]]));
}

describe('buildGradescopeZip', () => {
  it('puts setup.sh and run_autograder at the root, executable, with the grader and the settings (secret readable by root only)', async () => {
    const zip = path.join(tmp, 'per-student.zip');
    await buildGradescopeZip(zip, { secret: 's'.repeat(20), hiddenFraction: 0.4, hiddenVisibility: 'after_published' });
    const files = unzipSync(await readFile(zip));
    const names = Object.keys(files);
    for (const f of ['setup.sh', 'run_autograder', 'bin/autograder', 'bin/grade', 'cli/autograder.ts', 'grader/grade.ts', 'fixtures/manifest.json',
      'reference/layers.ts', 'instructor/fixtures/build.ts', 'starter/provided/matrix.ts', 'package.json', 'package-lock.json']) {
      expect(names, f).toContain(f);
    }
    const leftOut = /^(test|node_modules|out|\.git|\.ci|gradescope|fixtures-hidden)\/|^vitest\.config\.ts$/;
    expect(names.filter((n) => leftOut.test(n))).toEqual([]);
    expect(JSON.parse(strFromU8(files['autograder-settings.json']))).toEqual({
      hiddenFraction: 0.4, hiddenVisibility: 'after_published', perStudent: true, requiredParts: [], secret: 's'.repeat(20),
    });
    const m = await modes(zip);
    expect(m.get('run_autograder')).toBe('-rwxr-xr-x');
    expect(m.get('setup.sh')).toBe('-rwxr-xr-x');
    expect(m.get('bin/autograder')).toBe('-rwxr-xr-x');
    expect(m.get('autograder-settings.json')).toBe('-rw-------');
  });

  it('packs one hidden set built from the secret, and no secret, when the tests are not per student', async () => {
    const zip = path.join(tmp, 'shared.zip');
    await buildGradescopeZip(zip, { secret: 't'.repeat(20), perStudent: false, requiredParts: ['train_cifar10'] });
    const files = unzipSync(await readFile(zip));
    const settings = JSON.parse(strFromU8(files['autograder-settings.json'])) as Record<string, unknown>;
    expect(settings).toEqual({ hiddenFraction: 0.5, hiddenVisibility: 'after_due_date', perStudent: false, requiredParts: ['train_cifar10'] });
    const manifest = JSON.parse(strFromU8(files['fixtures-hidden/manifest.json'])) as { hidden: boolean; seed: string; parts: { file: string }[] };
    expect(manifest.hidden).toBe(true);
    expect(manifest.seed).toMatch(/^sha256:/);
    for (const p of manifest.parts) expect(Object.keys(files)).toContain(`fixtures-hidden/${p.file}`);
    expect(Object.values(files).some((bytes) => strFromU8(bytes).includes('t'.repeat(20)))).toBe(false);
    expect((await modes(zip)).get('fixtures-hidden/manifest.json')).toBe('-rw-------');
  });

  it('refuses a short secret or a bad fraction in one line', async () => {
    await expect(buildGradescopeZip(path.join(tmp, 'x.zip'), { secret: 'short' })).rejects.toThrow(/at least 16 characters/);
    await expect(buildGradescopeZip(path.join(tmp, 'x.zip'), { secret: 's'.repeat(20), hiddenFraction: 2 })).rejects.toThrow(/hiddenFraction/);
  });
});
