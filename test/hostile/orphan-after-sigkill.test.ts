/**
 * A looping child must not outlive a grader killed with SIGKILL (which runs
 * no clean-up): the parent-death signal, set by setpriv after the uid drop,
 * kills it. Its state is read from /proc/PID/stat; gone or a zombie counts as dead.
 */
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../grader/root.js';
import { isDead, waitDead } from '../../grader/sandbox/layers.js';
import { removeDir, writeSubmission } from '../sandbox/fake-submission.js';
import { osLayers } from './os-layer.js';

const layer = osLayers('pdeathsig');

const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const f of cleanup.reverse()) await f();
});

const LOOPING = `process.on('SIGTERM', () => undefined);
export function pid(): number { return process.pid; }
export function spin(): number { while (true) {} }
`;

/** Starts orphan-grader.ts, waits for its child's pid, SIGKILLs the grader; the child's pid. */
async function killGrader(mode: 'pdeathsig' | 'no-pdeathsig'): Promise<number> {
  const dir = await writeSubmission({ 'activations.ts': LOOPING });
  cleanup.push(() => removeDir(dir));
  const grader = execa(process.execPath, ['--import', 'tsx', 'test/hostile/orphan-grader.ts', dir, mode], { cwd: ROOT, reject: false, buffer: false });
  const pid = await new Promise<number>((resolve, reject) => {
    grader.stdout.on('data', (chunk: Buffer) => {
      const m = /pid (\d+) bundle (\S+)/.exec(String(chunk));
      if (!m) return;
      cleanup.push(() => removeDir(m[2]));
      resolve(Number(m[1]));
    });
    void grader.then((r) => reject(new Error(`the grader ended before printing a pid: ${String(r.exitCode)}`)));
  });
  // whatever happens, no looping child is left behind by the test itself
  cleanup.push(async () => { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } });
  expect(isDead(pid)).toBe(false);
  grader.kill('SIGKILL');
  await grader;
  return pid;
}

describe('orphans after SIGKILL', () => {
  it.skipIf(layer.skip)(`a looping child dies with a grader killed by SIGKILL${layer.note}`, async () => {
    layer.check();
    const pid = await killGrader('pdeathsig');
    expect(await waitDead(pid, 3000)).toBe(true);
  });

  it.skipIf(layer.skip)(`without the parent-death signal the same child outlives the grader (what the layer is for)${layer.note}`, async () => {
    layer.check();
    const pid = await killGrader('no-pdeathsig');
    expect(await waitDead(pid, 1000)).toBe(false);
    process.kill(pid, 'SIGKILL');
    expect(await waitDead(pid, 3000)).toBe(true);
  });
});
