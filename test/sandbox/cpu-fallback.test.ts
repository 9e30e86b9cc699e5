/**
 * Where the child's CPU time cannot be read (not Linux, /proc with hidepid), a
 * CPU-time limit falls back to the same limit in wall time, and a training
 * run says so in its notes.
 */
import { describe, expect, it, vi } from 'vitest';
import { processCpuMs } from '../../grader/sandbox/cpu-time.js';
import { timeNotes } from '../../grader/train-call.js';
import { startedSubmission } from './fake-submission.js';

// /proc/PID/stat unreadable, as under hidepid=2: every other file reads as usual
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const readFileSync = ((file: unknown, ...rest: unknown[]) => {
    if (typeof file === 'string' && file.startsWith('/proc/')) throw Object.assign(new Error(`EACCES: permission denied, open '${file}'`), { code: 'EACCES' });
    return (real.readFileSync as (...a: unknown[]) => unknown)(file, ...rest);
  }) as typeof real.readFileSync;
  return { ...real, readFileSync, default: { ...real, readFileSync } };
});

const sub = startedSubmission({ 'train.ts': 'export function spin(): number {\n  for (;;) { /* endless */ }\n}\nexport function one(): number {\n  return 1;\n}\n' });

describe('without a readable CPU time', () => {
  it('applies the CPU limit as a wall-time limit, not the backstop, and reports no CPU figure', async () => {
    expect(processCpuMs(process.pid)).toBeUndefined();
    const outcome = await sub.runner.call('spin', [], { cpuLimitMs: 800, timeoutMs: 60_000 });
    expect(outcome.kind).toBe('timeout');
    expect((outcome as { timeMs: number }).timeMs).toBeGreaterThanOrEqual(795);
    expect((outcome as { timeMs: number }).timeMs).toBeLessThan(10_000);
    expect('cpuMs' in outcome).toBe(false);
    const ok = await sub.runner.call('one', [], { cpuLimitMs: 800, timeoutMs: 60_000 });
    expect(ok).toMatchObject({ kind: 'ok', value: 1 });
    expect('cpuMs' in ok).toBe(false);
  });

  it('notes in the run\'s output that its limit was wall time', () => {
    expect(timeNotes({ clock: 'wall', usedSec: 1, limitSec: 60, wallSec: 1 })).toEqual([
      'note: the CPU time of the child process cannot be read here (/proc/PID/stat), so this limit was measured in wall time',
    ]);
    expect(timeNotes({ clock: 'cpu', usedSec: 1, limitSec: 60, wallSec: 1 })).toEqual([]);
  });
});
