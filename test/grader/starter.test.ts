/**
 * Issue 4, acceptance 2: the untouched generated starter/ scores 0, every
 * unit case says it is not implemented, and the CLI exits 1 with a clean
 * report: no stack trace on stdout or stderr.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { grade } from '../../grader/grade.js';
import { STARTER_DIR, staleStarterModules } from '../../instructor/starter.js';
import { expectConsistentTotals, partFlags, runGradeCli, stackTraceLines, unitPartIds } from './helpers.js';

let unitParts: string[];

beforeAll(async () => {
  unitParts = await unitPartIds();
});

describe('the untouched starter/', () => {
  it('is the one generated from the reference', async () => {
    expect(await staleStarterModules()).toEqual([]);
  });

  it('scores 0 with every unit part and case not implemented (grade API)', async () => {
    const results = await grade({ submission: STARTER_DIR, parts: unitParts });
    expectConsistentTotals(results);
    expect(results.score).toBe(0);
    expect(results.maxScore).toBe(75);
    expect(results.warnings).toEqual([]);
    for (const p of results.parts) {
      expect({ id: p.id, status: p.status, score: p.score }).toEqual({ id: p.id, status: 'not_implemented', score: 0 });
      expect(p.cases.length).toBeGreaterThan(0);
      for (const c of p.cases) {
        expect(c.status, `${p.id}/${c.id}`).toBe('not_implemented');
        expect(c.feedback.join('\n'), `${p.id}/${c.id}`).toMatch(/not implemented/);
      }
    }
  });

  it('exits 1 from the CLI without a stack trace (every part but MNIST, verbose)', async () => {
    const parts = [...unitParts, 'train_moons', 'train_cifar10'];
    const run = await runGradeCli(['--submission', STARTER_DIR, '--verbose', ...partFlags(parts)]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('Total: 0 / 85'); // CIFAR-10 without data is left out of the maximum
    expect(run.stdout.match(/not implemented/gi)?.length).toBeGreaterThan(60);
    for (const stream of [run.stdout, run.stderr]) {
      expect(stackTraceLines(stream)).toEqual([]);
      expect(stream).not.toMatch(/^\s*\w*Error: /m);
    }
    expect(run.stderr).toBe('');
  });
});
