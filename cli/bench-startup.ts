/**
 * The start-up part of `npm run bench` (issue 12): the commands as a student types them, from the
 * shell, so that npm, Node's start, loading the built command (dist/) and the sandbox all count.
 */
import { execa } from 'execa';
import path from 'node:path';
import { ROOT } from '../grader/root.js';

/** One figure and its target, as `npm run bench` prints them. */
export interface StartupMeasure { name: string; value: number; unit: string; target: number; better: 'lower' }

/** Wall time of one run of a command in ms; throws when it does not exit with `exitCode` (a fast wrong answer is worth nothing). */
async function wallMs(file: string, args: string[], exitCode = 0): Promise<number> {
  const started = performance.now();
  const run = await execa(file, args, { cwd: ROOT, reject: false, env: { NO_COLOR: '1' } });
  const ms = performance.now() - started;
  if (run.exitCode !== exitCode) throw new Error(`${file} ${args.join(' ')} exited ${run.exitCode}: ${run.stderr.split('\n')[0]}`);
  return ms;
}

/** The median of `reps` runs after one warm-up run (which also builds a stale command). */
async function medianMs(reps: number, f: () => Promise<number>): Promise<number> {
  await f();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) times.push(await f());
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

/**
 * Start-up figures for a correct submission in `submission`: `npm run grade -- --part activations`
 * (target 0.5 s from the shell), the same through bin/grade, `bin/grade --help` (start-up alone),
 * and unless `quick`, one full `npm run grade` without CIFAR-10 (target 4 s).
 */
export async function startupMeasures(submission: string, reps: number, quick: boolean): Promise<StartupMeasure[]> {
  const activations = ['--part', 'activations', '--no-html', '--submission', submission];
  const bin = path.join(ROOT, 'bin', 'grade');
  const out: StartupMeasure[] = [
    { name: 'npm run grade -- --part activations (shell)', value: await medianMs(reps, () => wallMs('npm', ['run', '--silent', 'grade', '--', ...activations])) / 1000, unit: 's', target: 0.5, better: 'lower' },
    { name: 'bin/grade --part activations (shell)', value: await medianMs(reps, () => wallMs(bin, activations)) / 1000, unit: 's', target: 0.5, better: 'lower' },
    { name: 'bin/grade --help (start-up alone)', value: await medianMs(reps, () => wallMs(bin, ['--help'])) / 1000, unit: 's', target: 0.25, better: 'lower' },
  ];
  if (!quick) {
    const full = await wallMs('npm', ['run', '--silent', 'grade', '--', '--no-html', '--submission', submission]);
    out.push({ name: 'npm run grade, all parts but CIFAR-10 (shell)', value: full / 1000, unit: 's', target: 4, better: 'lower' });
  }
  return out;
}
