/**
 * Hostile submissions against the build: a tsconfig.json that `extends` a file
 * outside, source-map comments naming one, package.json and tsconfig.json
 * that are FIFOs, hard links and oversized files, and a dead esbuild service.
 * A FIFO stands for /dev/zero and friends: opening it for reading would block
 * forever, and whether anyone has it open is visible from outside (a writer's
 * non-blocking open succeeds only while a reader holds it).
 */
import { execa } from 'execa';
import { closeSync, constants, openSync, readdirSync, readFileSync } from 'node:fs';
import { link, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleSubmission, removeBundle, type BundleResult } from '../../grader/sandbox/bundle.js';
import { MODULE_FILES, removeDir, writeSubmission } from '../sandbox/fake-submission.js';

const fifos: string[] = [];
const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  // a build that did open a FIFO is still blocked in it: a writer's open lets it go on
  for (const f of fifos) { try { closeSync(openSync(f, constants.O_WRONLY | constants.O_NONBLOCK)); } catch { /* nobody reading */ } }
  for (const f of cleanup.reverse()) await f();
});

async function fifo(file: string): Promise<string> {
  await execa('mkfifo', [file]);
  fifos.push(file);
  return file;
}

/** True while some process has the FIFO open for reading (or is blocked opening it). */
function openedForReading(file: string): boolean {
  try {
    closeSync(openSync(file, constants.O_WRONLY | constants.O_NONBLOCK));
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENXIO') return false;
    throw e;
  }
}

async function outsideDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'outside-'));
  cleanup.push(() => removeDir(dir));
  return dir;
}

async function bundle(files: Record<string, string>, prepare?: (dir: string) => Promise<void>): Promise<BundleResult> {
  const dir = await writeSubmission(files);
  cleanup.push(() => removeDir(dir));
  await prepare?.(dir);
  // 5 s: the honest build takes well under a second; a build stuck in a FIFO never ends
  const result = await bundleSubmission(dir, MODULE_FILES, undefined, 5000);
  cleanup.push(() => removeBundle(result));
  return result;
}

const GOOD = 'export function sigmoidForward(x: number): number { return 1 / (1 + Math.exp(-x)); }\n';

describe('the build reads nothing of the submission but its own regular source files', () => {
  it('never opens the submission\'s tsconfig.json or package.json (FIFOs here)', async () => {
    let dir = '';
    const result = await bundle({ 'activations.ts': GOOD }, async (d) => {
      dir = d;
      await fifo(path.join(d, 'tsconfig.json'));
      await fifo(path.join(d, 'package.json'));
    });
    expect(result.modules['activations.ts']).toEqual({ ok: true });
    expect(openedForReading(path.join(dir, 'tsconfig.json'))).toBe(false);
    expect(openedForReading(path.join(dir, 'package.json'))).toBe(false);
  }, 20_000);

  it('never follows a tsconfig.json `extends` to a file outside the submission (absolute or relative)', async () => {
    const outside = await outsideDir();
    const absolute = await fifo(path.join(outside, 'base.json'));
    const result = await bundle({
      'activations.ts': GOOD,
      'tsconfig.json': JSON.stringify({ extends: absolute }),
      'layers.ts': "import { h } from './sub/helper.js';\nexport const twice = () => h * 2;\n",
    }, async (d) => {
      await mkdir(path.join(d, 'sub'));
      await writeFile(path.join(d, 'sub', 'tsconfig.json'), JSON.stringify({ extends: path.relative(path.join(d, 'sub'), absolute) }));
      await writeFile(path.join(d, 'sub', 'helper.ts'), 'export const h = 2;\n');
    });
    expect(result.modules['activations.ts']).toEqual({ ok: true });
    expect(result.modules['layers.ts']).toEqual({ ok: true });
    expect(openedForReading(absolute)).toBe(false);
  }, 20_000);

  it('never reads a file named by a sourceMappingURL comment, inside or outside the submission', async () => {
    const outside = await outsideDir();
    const absolute = await fifo(path.join(outside, 'evil.map'));
    let inner = '';
    const result = await bundle({
      'activations.ts': `${GOOD}//# sourceMappingURL=${absolute}\n`,
      'layers.ts': "import { h } from './helper.js';\nexport const f = () => h;\n",
      'helper.ts': 'export const h = 1;\n/*# sourceMappingURL=helper.js.map */\n',
      'network.ts': 'export const g = 1;\n//@ sourceMappingURL=/dev/zero\n',
    }, async (d) => { inner = await fifo(path.join(d, 'helper.js.map')); });
    expect(result.modules['activations.ts']).toEqual({ ok: true });
    expect(result.modules['layers.ts']).toEqual({ ok: true });
    expect(result.modules['network.ts']).toEqual({ ok: true });
    expect(openedForReading(absolute)).toBe(false);
    expect(openedForReading(inner)).toBe(false);
    const built = readdirSync(path.join(result.dir, 'modules')).map((f) => readFileSync(path.join(result.dir, 'modules', f), 'utf8')).join('\n');
    expect(built).not.toContain(absolute);
    expect(built).not.toContain('/dev/zero');
  }, 20_000);

  it('refuses a hard link (it may be a file outside the submission) and an oversized file, one line each', async () => {
    const outside = await outsideDir();
    await writeFile(path.join(outside, 'secret.ts'), 'export const secret = "hidden fixture";\n');
    const result = await bundle({
      'activations.ts': GOOD,
      'layers.ts': "import { secret } from './copy.js';\nexport const f = () => secret;\n",
      'network.ts': `export const big = "${'x'.repeat(1024 * 1024)}";\n`,
    }, async (d) => {
      await link(path.join(outside, 'secret.ts'), path.join(d, 'copy.ts'));
      await link(path.join(outside, 'secret.ts'), path.join(d, 'dropout.ts'));
    });
    expect(result.modules['activations.ts']).toEqual({ ok: true });
    expect(result.modules['layers.ts']).toEqual({ ok: false, error: "layers.ts imports './copy.js': copy.ts has more than one hard link (it may be a file outside the submission); submit a plain copy" });
    expect(result.modules['dropout.ts']).toEqual({ ok: false, error: 'dropout.ts has more than one hard link (it may be a file outside the submission); submit a plain copy' });
    expect(result.modules['network.ts']).toEqual({ ok: false, error: 'network.ts is larger than 1 MiB, too large for a source file' });
  }, 20_000);
});

/** Pids of the esbuild service processes this test process started. */
function esbuildServices(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid && readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('--service=')) pids.push(Number(entry));
    } catch { /* gone */ }
  }
  return pids;
}

describe('a dead esbuild service', () => {
  it('is restarted for the next submission (killed between builds and during one)', async () => {
    await bundle({ 'activations.ts': GOOD });
    const first = esbuildServices();
    expect(first.length).toBeGreaterThan(0);
    for (const pid of first) process.kill(pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 200));
    expect((await bundle({ 'activations.ts': GOOD })).modules['activations.ts']).toEqual({ ok: true });

    // killed while a build runs: that one may fail with one line, the next one builds
    const dir = await writeSubmission({ 'activations.ts': GOOD, 'layers.ts': `export const big = [${'1,'.repeat(200_000)}];\n` });
    cleanup.push(() => removeDir(dir));
    const during = bundleSubmission(dir, MODULE_FILES, undefined, 5000).then(async (b) => { await removeBundle(b); return 'built'; }, (e: Error) => e.message);
    for (const pid of esbuildServices()) process.kill(pid, 'SIGKILL');
    expect(await during).toMatch(/^(built|could not|the build service)/);
    expect((await bundle({ 'activations.ts': GOOD })).modules['activations.ts']).toEqual({ ok: true });
  }, 30_000);
});
