/**
 * Layer 2, the grader process: SIGUSR1 must not open Node's inspector (which
 * would listen on 127.0.0.1:9229 and run whatever reaches it with the grader's
 * rights). The signal is sent to the grader's pid while it grades a slow
 * submission, through bin/grade (node directly) and through `npm run grade`
 * (npm, then the built grader); the grade must then finish normally.
 */
import { execa, type ResultPromise } from 'execa';
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../grader/root.js';
import { tempDir, removeTempDirs } from '../grader/helpers.js';
import { graderPid, listeningPorts } from './process-tree.js';

afterAll(removeTempDirs);

/** The starter, except that sigmoidForward spins for 1.5 s before it answers (wrongly). */
async function slowSubmission(): Promise<string> {
  const dir = await tempDir('slow-sub-');
  await cp(path.join(ROOT, 'starter'), dir, { recursive: true });
  await writeFile(path.join(dir, 'activations.ts'), 'export function sigmoidForward(x: unknown): unknown {\n  const end = Date.now() + 1500;\n  while (Date.now() < end) { /* slow */ }\n  return x;\n}\n');
  return dir;
}

/** Waits until the grader under `run` has started its sandbox child; its pid. */
async function waitForGrader(run: ResultPromise, command: string): Promise<number> {
  for (let i = 0; i < 300; i++) {
    const pid = graderPid(run.pid!, command);
    if (pid !== undefined) return pid;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no grader with a sandbox child under ${run.pid}`);
}

async function signalDuringGrade(how: 'bin' | 'npm'): Promise<void> {
  const submission = await slowSubmission();
  const args = ['--submission', submission, '--part', 'activations', '--no-html', '--no-color'];
  const run = how === 'bin'
    ? execa(path.join(ROOT, 'bin', 'grade'), args, { cwd: ROOT, reject: false })
    : execa('npm', ['run', '--silent', 'grade', '--', ...args], { cwd: ROOT, reject: false });
  const grader = await waitForGrader(run, 'grade');
  process.kill(grader, 'SIGUSR1');
  await new Promise((r) => setTimeout(r, 700));
  expect(listeningPorts(grader)).toEqual([]);
  const result = await run;
  expect(result.stderr).not.toContain('Debugger listening');
  expect(result.stderr).not.toMatch(/^grade: /m);
  // graded to the end: the part's report is there, and points were lost (exit 1), not a crash (2) or a signal
  expect(result.exitCode).toBe(1);
  expect(result.stdout).toMatch(/Activation/i);
}

describe('SIGUSR1 sent to the grader', () => {
  it('opens no inspector under bin/grade, and the grade finishes', async () => { await signalDuringGrade('bin'); }, 60_000);
  it('opens no inspector under npm run grade (npm above it), and the grade finishes', async () => { await signalDuringGrade('npm'); }, 60_000);
});

describe('the SIGUSR1 guard', () => {
  it('is the first import of every command that grades, trains, tunes or benches', async () => {
    for (const command of ['grade', 'grade-batch', 'train', 'tune', 'bench']) {
      const source = await readFile(path.join(ROOT, 'cli', `${command}.ts`), 'utf8');
      expect(/^import .*$/m.exec(source)?.[0], command).toBe("import './inspector-guard.js';");
    }
  });
});
