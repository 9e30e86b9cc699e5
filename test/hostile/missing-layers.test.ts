/**
 * Strict mode with layers missing: a failing `unshare` (the platform cannot
 * make a network namespace, as in Gradescope's Docker) still grades and
 * records the layer absent; a failing `setpriv` or a grader that is not root
 * (no uid drop) is a refusal, exit code 3. The grader looks its tools up in
 * fixed system folders, never on PATH, so a shim on PATH changes nothing; the
 * tests reach a shim only through the programmatic API's test-only `toolDirs`.
 */
import { execa } from 'execa';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grade, type GradeOptions } from '../../grader/grade.js';
import { ROOT } from '../../grader/root.js';
import { grantBundle, nodeAccessProblem, SYSTEM_TOOL_DIRS } from '../../grader/sandbox/jail.js';
import { SandboxRefusal } from '../../grader/sandbox/layers.js';
import { writeFromReference } from '../../instructor/starter.js';
import { osLayers } from './os-layer.js';

const layer = osLayers('uid-drop', 'pdeathsig', 'memory-cap', 'network-namespace');
const NOBODY = 65534;

let work: string;
let submission: string;
let shims: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'missing-layers-'));
  submission = path.join(work, 'reference');
  await writeFromReference(submission, 'solution');
  shims = path.join(work, 'shims');
  await mkdir(shims);
  for (const tool of ['unshare', 'setpriv']) {
    await writeFile(path.join(shims, tool), `#!/bin/sh\necho "${tool}: refused by the test" >&2\nexit 1\n`);
    await chmod(path.join(shims, tool), 0o755);
  }
  // a non-root user must be able to read the submission (the CLI runs as nobody below)
  await chmod(work, 0o755);
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Only `tool`'s shim, in front of the real system folders. */
async function shimDirs(tool: string): Promise<string[]> {
  const dir = path.join(work, `only-${tool}`);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, tool), `#!/bin/sh\nexit 1\n`, { mode: 0o755 });
  return [dir, ...SYSTEM_TOOL_DIRS];
}

function gradeOne(options: Partial<GradeOptions>) {
  return grade({ submission, parts: ['activations'], ...options });
}

describe('strict mode with layers missing', () => {
  it.skipIf(layer.skip)(`a failing unshare: strict mode grades, the network namespace recorded absent and every other layer active${layer.note}`, async () => {
    layer.check();
    const results = await gradeOne({ strict: true, sandboxForTests: { toolDirs: await shimDirs('unshare') } });
    expect(results.score).toBe(results.maxScore);
    expect(results.isolation.strict).toBe(true);
    const absent = results.isolation.layers.filter((l) => !l.active);
    expect(absent.map((l) => l.id)).toEqual(['network-namespace']);
    expect(absent[0].detail).toMatch(/unshare failed/);
  });

  it.skipIf(layer.skip)(`a failing unshare first on PATH changes nothing: the grader does not look tools up on PATH${layer.note}`, async () => {
    layer.check();
    const r = await execa(process.execPath, ['--import', 'tsx', 'cli/grade.ts', '--check-sandbox'], {
      cwd: ROOT, reject: false, env: { PATH: `${shims}:${process.env.PATH ?? ''}` },
    });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^network namespace\s+active/m);
    expect(r.stdout).toMatch(/^uid per job slot\s+active/m);
  });

  it.skipIf(layer.skip)(`a failing setpriv: strict mode refuses, naming the uid drop and the parent-death signal; without strict it grades and records them absent${layer.note}`, async () => {
    layer.check();
    const toolDirs = await shimDirs('setpriv');
    const refused = await gradeOne({ strict: true, sandboxForTests: { toolDirs } }).then(() => undefined, (e: unknown) => e);
    expect(refused).toBeInstanceOf(SandboxRefusal);
    const message = (refused as Error).message;
    expect(message).not.toContain('\n');
    expect(message).toMatch(/^strict mode refuses to grade untrusted code: uid per job slot is missing .*setpriv.*; parent-death signal is missing/);

    const results = await gradeOne({ sandboxForTests: { toolDirs } });
    expect(results.score).toBe(results.maxScore);
    expect(results.isolation.layers.filter((l) => !l.active).map((l) => l.id)).toEqual(['uid-drop', 'pdeathsig']);
  });

  it.skipIf(layer.skip)(`the test-only switch turns a layer off (here the memory cap): strict mode refuses${layer.note}`, async () => {
    layer.check();
    await expect(gradeOne({ strict: true, sandboxForTests: { disable: ['memory-cap'] } })).rejects.toThrow(/memory cap is missing \(switched off by a test\)/);
  });

  describe('a program that calls grade() without the SIGUSR1 guard', () => {
    const program = (strict: boolean) => [
      `import { grade } from ${JSON.stringify(path.join(ROOT, 'grader/grade.ts'))};`,
      `grade({ submission: ${JSON.stringify(submission)}, parts: ['activations'], strict: ${strict} })`,
      `  .then((r) => console.log(JSON.stringify(r.isolation.layers.find((l) => l.id === 'sigusr1-guard'))), (e) => { console.error(e.message); process.exitCode = 3; });`,
    ].join('\n');
    const run = (strict: boolean, guard: boolean) => execa(process.execPath, [
      '--import', 'tsx', ...(guard ? ['--import', path.join(ROOT, 'cli/inspector-guard.ts')] : []), '--input-type=module', '-e', program(strict),
    ], { cwd: ROOT, reject: false });

    it('strict mode refuses, naming the guard and how to install it', async () => {
      const r = await run(true, false);
      expect(r.exitCode, r.stderr).toBe(3);
      expect(r.stderr).toMatch(/^strict mode refuses to grade untrusted code: SIGUSR1 guard is missing .*: start the grader through bin\/grade/);
    });

    it('without strict it grades and records the guard absent; with the guard imported first it is active', async () => {
      const off = await run(false, false);
      expect(off.exitCode, off.stderr).toBe(0);
      expect(JSON.parse(off.stdout)).toMatchObject({ active: false });
      const on = await run(true, true);
      expect(on.exitCode, on.stderr).toBe(0);
      expect(JSON.parse(on.stdout)).toMatchObject({ active: true, detail: 'the grader handles SIGUSR1 itself' });
    });
  });

  describe('the CLI run by a user that is not root (no uid drop)', () => {
    const asNobody = (script: string, args: string[]) => execa('setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', process.execPath, '--import', 'tsx', script, ...args], {
      cwd: ROOT, reject: false, env: { HOME: '/nonexistent' },
    });

    it.skipIf(layer.skip)(`grade --strict refuses with exit code 3 and one line saying what to do${layer.note}`, async () => {
      layer.check();
      const r = await asNobody('cli/grade.ts', ['--strict', '--submission', submission, '--part', 'activations', '--no-html']);
      expect(r.exitCode, r.stderr).toBe(3);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^grade: strict mode refuses .*uid per job slot is missing \(the grader does not run as root.*\): run the grader as root/);
      expect(r.stdout).toBe('');
    });

    it.skipIf(layer.skip)(`grade --check-sandbox prints the table and exits 3${layer.note}`, async () => {
      layer.check();
      const r = await asNobody('cli/grade.ts', ['--check-sandbox']);
      expect(r.exitCode, r.stderr).toBe(3);
      expect(r.stdout).toMatch(/^uid per job slot\s+MISSING/m);
      expect(r.stdout).toMatch(/^memory cap\s+active/m);
    });

    it.skipIf(layer.skip)(`grade:batch refuses with exit code 3 before grading anyone${layer.note}`, async () => {
      layer.check();
      const r = await asNobody('cli/grade-batch.ts', [work, '--part', 'activations', '--out', path.join(os.tmpdir(), `never-${process.pid}`)]);
      expect(r.exitCode, r.stderr).toBe(3);
      expect(r.stderr).toMatch(/^grade:batch: strict mode refuses/);
    });

    it.skipIf(layer.skip)(`a student's npm run grade (not strict) still grades${layer.note}`, async () => {
      layer.check();
      const r = await asNobody('cli/grade.ts', ['--submission', submission, '--part', 'activations', '--no-html']);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/Total: 10 \/ 10/);
    });
  });
});

describe('folders the child must enter', () => {
  it('names the folder that other users cannot enter (e.g. Node under /root, mode 0700)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'private-node-'));
    try {
      await mkdir(path.join(dir, 'bin'));
      await writeFile(path.join(dir, 'bin', 'node'), '', { mode: 0o755 });
      await chmod(dir, 0o700);
      expect(await nodeAccessProblem(path.join(dir, 'bin', 'node'))).toBe(`${path.join(dir, 'bin', 'node')} is inside ${dir}, which other users cannot enter (mode 700)`);
      await chmod(dir, 0o755);
      expect(await nodeAccessProblem(path.join(dir, 'bin', 'node'))).toBeUndefined();
      await chmod(path.join(dir, 'bin', 'node'), 0o750);
      expect(await nodeAccessProblem(path.join(dir, 'bin', 'node'))).toMatch(/is not executable by other users \(mode 750\)/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses to hand a bundle to the slot uid inside a folder it cannot enter (a private TMPDIR), saying what to do', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'private-tmp-'));
    try {
      await mkdir(path.join(dir, 'grade-x'));
      await chmod(dir, 0o700);
      await expect(grantBundle(path.join(dir, 'grade-x'), { uid: 64100 })).rejects.toThrow(`the bundle folder ${path.join(dir, 'grade-x')} is inside ${dir}, which the child's uid cannot enter: set TMPDIR to a folder every user can enter, such as /tmp`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
