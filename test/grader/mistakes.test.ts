/**
 * Issue 4, acceptance 3: every typical mistake of the catalogue (the ones the
 * unit cases can see) loses exactly the cases whose fixture recorded it, keeps
 * full marks elsewhere, and the failing cases carry the mistake's own hint.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixturePart } from '../../grader/fixtures/types.generated.js';
import { grade } from '../../grader/grade.js';
import { terminalReport } from '../../grader/report/index.js';
import type { GradingResults } from '../../grader/results.js';
import { applyMistake, MISTAKES } from '../../instructor/mistakes.js';
import { expectConsistentTotals, expectFullMarks, fixtureCases, fixtureParts, lostCases, removeTempDirs, solutionSubmission, unitPartIds } from './helpers.js';

const UNIT_MISTAKES = MISTAKES;
/**
 * Cases a mistake loses for leaving an argument changed, beyond those where its
 * outputs differ (recorded in the fixtures): their feedback names the argument.
 */
const MODIFIES_INPUT: Readonly<Record<string, string[]>> = {
  gradcheck_no_restore: ['gradcheck/numericalGradient/1', 'gradcheck/numericalGradient/quiz'],
};

let parts: FixturePart[];
let unitParts: string[];
const graded = new Map<string, GradingResults>();

beforeAll(async () => {
  parts = await fixtureParts();
  unitParts = await unitPartIds();
});
afterAll(removeTempDirs);

async function gradeMutant(id: string): Promise<GradingResults> {
  const cached = graded.get(id);
  if (cached) return cached;
  const mistake = MISTAKES.find((m) => m.id === id)!;
  const submission = await solutionSubmission((file, source) => applyMistake(mistake, file, source));
  const results = await grade({ submission, parts: unitParts });
  graded.set(id, results);
  return results;
}

describe('mutants of the reference, one per typical mistake', () => {
  it('covers the catalogue: every unit-visible mistake is recorded by some fixture case', () => {
    expect(UNIT_MISTAKES.length).toBeGreaterThanOrEqual(9);
    for (const m of UNIT_MISTAKES) expect(fixtureCases(parts, (c) => c.mistakes?.some((x) => x.id === m.id) ?? false), m.id).not.toEqual([]);
  });

  it.each(UNIT_MISTAKES.map((m) => [m.id, m] as const))('%s loses exactly its recorded cases, with its hint', async (id, mistake) => {
    const results = await gradeMutant(id);
    expectConsistentTotals(results);
    const recorded = fixtureCases(parts, (c) => c.mistakes?.some((x) => x.id === id) ?? false);
    const modifying = MODIFIES_INPUT[id] ?? [];
    const expected = [...recorded, ...modifying].sort();
    expect(lostCases(results)).toEqual(expected);
    const affected = new Set(expected.map((c) => c.split('/')[0]));
    expectFullMarks(results, [...affected]);
    const report = terminalReport(results, { color: false, verbose: true });
    for (const p of results.parts.filter((q) => affected.has(q.id))) {
      expect(p.score, p.id).toBeLessThan(p.maxScore - 1e-9);
      expect(['partial', 'failed'], p.id).toContain(p.status);
      for (const c of p.cases.filter((k) => k.status !== 'passed')) {
        expect(c.status, `${p.id}/${c.id}`).toBe('failed');
        expect(c.score).toBe(0);
        expect(c.feedback.length, `${p.id}/${c.id}`).toBeGreaterThan(0);
        if (modifying.includes(`${p.id}/${c.id}`)) expect(c.feedback[0], `${p.id}/${c.id}`).toMatch(new RegExp(`^${c.id.split('/')[0]} modified its input: `));
        else expect(c.hints, `${p.id}/${c.id}`).toContain(mistake.hint);
      }
    }
    expect(report).toContain(mistake.hint);
  });

  it('derivative_at_z keeps affine, softmax and regularization at full marks', async () => {
    const results = await gradeMutant('derivative_at_z');
    for (const id of ['affine', 'softmax', 'regularization']) {
      const p = results.parts.find((q) => q.id === id)!;
      expect({ id, score: p.score, status: p.status }).toEqual({ id, score: p.maxScore, status: 'passed' });
    }
    expect(results.parts.find((q) => q.id === 'activations')!.score).toBeLessThan(10);
  });

  it("transposed_dW's feedback says wrong shape", async () => {
    const results = await gradeMutant('transposed_dW');
    const affine = results.parts.find((q) => q.id === 'affine')!;
    const failing = affine.cases.filter((c) => c.status !== 'passed');
    expect(failing.map((c) => c.id)).toEqual(['affineBackward/0', 'affineBackward/1', 'affineBackward/2']);
    for (const c of failing) expect(c.feedback[0]).toMatch(/^affineBackward -> dW: wrong shape: expected (\d+)x(\d+), got \2x\1$/);
  });
});
