/**
 * A training call's limit counts the CPU time of the child, so a run that waits
 * for a core on a loaded machine is not cut short, while an endless loop still
 * is; a child that waits without computing is stopped by the wall-clock backstop.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CpuWatch, processCpuMs } from '../../grader/sandbox/cpu-time.js';
import type { CallOutcome } from '../../grader/sandbox/runner.js';
import { startedSubmission } from './fake-submission.js';

const TRAIN = `
/** A fixed amount of work: its CPU time does not depend on how busy the machine is. */
export function work(n: number): number {
  let x = 0;
  for (let i = 0; i < n; i++) x += Math.sqrt(x + i);
  return x > 0 ? n : 0;
}
/** Blocks without computing. */
export function block(ms: number): number {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  return ms;
}
/** Never returns, computing all along. */
export function spin(): number {
  for (;;) { /* endless */ }
}
`;

const sub = startedSubmission({ 'train.ts': TRAIN });

/** Pids of the runner's children: this process's children running the harness (prlimit execs node, so it keeps the pid). */
function harnessPids(): number[] {
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number).filter((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      return parent === process.pid && readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes(sub.bundle.harness);
    } catch {
      return false;
    }
  });
}

const linux = process.platform === 'linux';

describe.runIf(linux)('CPU-time limits of a call', () => {
  it('reads the CPU time of a process from /proc/PID/stat, and nothing for a pid that does not exist', () => {
    const before = processCpuMs(process.pid)!;
    const own = process.cpuUsage();
    while (process.cpuUsage(own).user < 300_000) { /* burn 0.3 s of CPU */ }
    // ticks of 10 ms, read at different moments
    expect(processCpuMs(process.pid)! - before).toBeGreaterThanOrEqual(250);
    expect(processCpuMs(2 ** 30)).toBeUndefined();
    expect(new CpuWatch(2 ** 30, 1000, () => undefined).measured).toBe(false);
  });

  it('lets a run finish that takes longer than its limit in wall time while it is not scheduled (a loaded machine)', async () => {
    // how much work takes about 0.5 s of CPU here
    const probe = await sub.runner.call('work', [2e7], { cpuLimitMs: 60_000, timeoutMs: 60_000 });
    const n = Math.round((2e7 * 500) / Math.max(10, (probe as { cpuMs: number }).cpuMs));
    const pids = harnessPids();
    expect(pids).toHaveLength(1);
    // the OS gives the child no core for 2 s: what a machine with 8 graders on 2 cores does to it
    process.kill(pids[0], 'SIGSTOP');
    const call = sub.runner.call('work', [n], { cpuLimitMs: 1500, timeoutMs: 20_000 });
    await new Promise((r) => setTimeout(r, 2000));
    process.kill(pids[0], 'SIGCONT');
    const outcome = await call;
    expect(outcome.kind).toBe('ok');
    expect(outcome.kind === 'ok' && outcome.timeMs).toBeGreaterThan(2000);
    expect((outcome as { cpuMs: number }).cpuMs).toBeGreaterThanOrEqual(300);
    expect((outcome as { cpuMs: number }).cpuMs).toBeLessThan(1500);
  });

  it('stops an endless loop once it has used its CPU time', async () => {
    const outcome = await sub.runner.call('spin', [], { cpuLimitMs: 700, timeoutMs: 20_000 });
    expect(outcome.kind).toBe('timeout');
    const t = outcome as Extract<CallOutcome, { kind: 'timeout' }>;
    expect(t.cpuMs).toBeGreaterThanOrEqual(700);
    expect(t.timeMs).toBeLessThan(10_000);
  });

  it('stops a child that blocks without computing at the wall-clock backstop', async () => {
    const outcome = await sub.runner.call('block', [60_000], { cpuLimitMs: 500, timeoutMs: 1500 });
    expect(outcome.kind).toBe('timeout');
    const t = outcome as Extract<CallOutcome, { kind: 'timeout' }>;
    expect(t.timeMs).toBeGreaterThanOrEqual(1495);
    expect(t.cpuMs).toBeLessThan(500);
  });

  it('stops a child that computes nothing for the idle window, long before the backstop, and says so', async () => {
    const outcome = await sub.runner.call('block', [60_000], { cpuLimitMs: 30_000, timeoutMs: 60_000, idleLimitMs: 1000 });
    expect(outcome).toMatchObject({ kind: 'timeout', idleMs: 1000 });
    const t = outcome as Extract<CallOutcome, { kind: 'timeout' }>;
    expect(t.timeMs).toBeGreaterThanOrEqual(1000);
    expect(t.timeMs).toBeLessThan(5000);
    expect(t.cpuMs).toBeLessThan(100);
  });

  it('never calls a child idle that computes, nor one that waits for less than the window', async () => {
    const busy = await sub.runner.call('work', [4e8], { cpuLimitMs: 30_000, timeoutMs: 60_000, idleLimitMs: 1000 });
    expect((busy as { timeMs: number }).timeMs).toBeGreaterThan(1000); // it computed for longer than the window
    expect(busy.kind).toBe('ok');
    const short = await sub.runner.call('block', [600], { cpuLimitMs: 30_000, timeoutMs: 60_000, idleLimitMs: 1500 });
    expect(short.kind).toBe('ok');
  });

  it('leaves calls without a CPU limit on wall time, with no CPU figure', async () => {
    const outcome = await sub.runner.call('work', [1000], { timeoutMs: 5000 });
    expect(outcome).toMatchObject({ kind: 'ok' });
    expect('cpuMs' in outcome).toBe(false);
  });
});

describe.runIf(linux && process.getuid?.() === 0)('reading the CPU time of a child under another uid', () => {
  it('reads a child running as nobody (the grader as root, iso-os slots)', async () => {
    const child = spawn('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '-e', 'const e = Date.now() + 400; while (Date.now() < e); setTimeout(() => {}, 3000)']);
    try {
      await new Promise((r) => setTimeout(r, 700));
      expect(processCpuMs(child.pid!)).toBeGreaterThan(0);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('reads a child of the same uid when the grader is not root', () => {
    // a grader running as nobody starts a child as nobody and reads its /proc/PID/stat
    const script = `
const { spawn } = require('node:child_process');
const { readFileSync } = require('node:fs');
const c = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 2000)']);
setTimeout(() => { process.stdout.write(readFileSync('/proc/' + c.pid + '/stat', 'latin1').split(' ')[0] === String(c.pid) ? 'readable' : 'odd'); c.kill(); }, 300);`;
    const out = execFileSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '-e', script], { cwd: '/', encoding: 'utf8' });
    expect(out).toBe('readable');
  });
});
