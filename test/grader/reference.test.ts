/**
 * Issue 4, acceptance 1: the reference solution handed in as a submission
 * scores full marks on every unit part and on the two half-moons, through the
 * grade() API and through the CLI (exit code 0).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grade } from '../../grader/grade.js';
import { expectConsistentTotals, expectFullMarks, partFlags, removeTempDirs, runGradeCli, solutionSubmission, unitPartIds } from './helpers.js';

let submission: string;
let unitParts: string[];

beforeAll(async () => {
  submission = await solutionSubmission();
  unitParts = await unitPartIds();
});
afterAll(removeTempDirs);

describe('the reference solution as a submission', () => {
  it('scores full marks on every unit part and train_moons (grade API)', async () => {
    const parts = [...unitParts, 'train_moons'];
    const results = await grade({ submission, parts });
    expect(results.parts.map((p) => p.id)).toEqual(parts);
    expectConsistentTotals(results);
    expectFullMarks(results);
    for (const p of results.parts) {
      for (const c of p.cases) expect({ id: `${p.id}/${c.id}`, status: c.status, feedback: c.feedback }).toEqual({ id: `${p.id}/${c.id}`, status: 'passed', feedback: [] });
    }
    expect(results.maxScore).toBe(85);
    expect(results.score).toBe(85);
    expect(results.notAttempted).toBe(0);
    expect(results.warnings).toEqual([]);
    const moons = results.parts.find((p) => p.id === 'train_moons')!;
    expect(moons.artifacts?.accuracy).toBeGreaterThanOrEqual(moons.artifacts!.threshold!);
  });

  it('exits 0 from the CLI with --part on the unit parts', async () => {
    const run = await runGradeCli(['--submission', submission, ...partFlags(unitParts)]);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('Total: 75 / 75');
    for (const id of unitParts) expect(run.stdout).toMatch(new RegExp(`^${id}\\s.*PASS`, 'm'));
  });
});
