/**
 * Issue 4, acceptance 6: the grade CLI's arguments. Bad input exits 2 with one
 * line on stderr, --min-score turns a partial score into a pass, and
 * NO_COLOR / --no-color keep ANSI escapes out even on a terminal.
 */
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMistake, MISTAKES } from '../../instructor/mistakes.js';
import { gradeCommandLine, removeTempDirs, runGradeCli, solutionSubmission } from './helpers.js';

const ANSI = /\x1b\[/;

let partial: string;

beforeAll(async () => {
  const transposed = MISTAKES.find((m) => m.id === 'transposed_dW')!;
  partial = await solutionSubmission((file, source) => applyMistake(transposed, file, source));
});
afterAll(removeTempDirs);

/** Runs the CLI with stdout on a pseudo-terminal (util-linux `script`); stderr is dropped. */
async function onTerminal(args: string[], env: Record<string, string>): Promise<string> {
  const run = await execa('script', ['-qec', `${gradeCommandLine(args)} 2>/dev/null`, '/dev/null'], { env, reject: false, timeout: 60_000 });
  expect(run.exitCode).toBe(1);
  return run.stdout;
}

describe('grade CLI arguments', () => {
  it('--help prints the usage and exits 0', async () => {
    const run = await runGradeCli(['--help']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^Usage: npm run grade/);
    expect(run.stdout).toContain('--min-score N');
    expect(run.stderr).toBe('');
  });

  it.each([
    ['an unknown flag', ['--frobnicate'], /--frobnicate/],
    ['a --min-score that is not a number', ['--min-score', 'abc'], /--min-score .*"abc"/],
    ['a submission that does not exist', ['--submission', '/nonexistent/sub'], /\/nonexistent\/sub: no such directory/],
    ['an unknown part', ['--part', 'softmax', '--part', 'backprop9'], /unknown part backprop9: the parts are activations, /],
  ])('%s exits 2 with one line on stderr', async (_what, args, message) => {
    const run = await runGradeCli(args);
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^grade: /);
    expect(lines[0]).toMatch(message);
    expect(lines[0]).not.toMatch(/bug in the grader/);
  });

  it('--min-score turns a partial score into exit 0 once it is reached', async () => {
    const base = ['--submission', partial, '--part', 'affine', '--part', 'softmax'];
    const plain = await runGradeCli(base);
    expect(plain.exitCode).toBe(1);
    expect(plain.stdout).toContain('Total: 13.33 / 20');
    expect((await runGradeCli([...base, '--min-score', '13'])).exitCode).toBe(0);
    expect((await runGradeCli([...base, '--min-score', '13.5'])).exitCode).toBe(1);
  });

  it('colours a terminal, but not with NO_COLOR=1 or --no-color', async () => {
    const args = ['--submission', partial, '--part', 'affine'];
    const coloured = await onTerminal(args, { NO_COLOR: '' });
    expect(coloured).toMatch(ANSI);
    const noColorEnv = await onTerminal(args, { NO_COLOR: '1' });
    const noColorFlag = await onTerminal([...args, '--no-color'], { NO_COLOR: '' });
    for (const out of [noColorEnv, noColorFlag]) {
      expect(out).toContain('Total: 3.33 / 10');
      expect(out).not.toMatch(ANSI);
    }
  });
});
