/**
 * A submission where every graded function hangs: grading must end in a
 * bounded time (before the budgets, 10 s per case: 12 minutes). Small limits
 * through the programmatic options keep the runs to seconds; the defaults are
 * computed, not run, to show the bound of a real grade.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { loadFixtures } from '../../grader/fixtures/load.js';
import { grade } from '../../grader/grade.js';
import { FUNCTION_MODULES } from '../../grader/modules.js';
import type { CaseResult, GradingResults } from '../../grader/results.js';
import { DEFAULT_TIME_LIMITS, partLimitMs, submissionLimitMs } from '../../grader/time-budget.js';
import { removeDir, writeSubmission } from '../sandbox/fake-submission.js';

/** Every graded function, in its home module, loops forever. */
function hangingSubmission(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [fn, file] of Object.entries(FUNCTION_MODULES)) files[file] = `${files[file] ?? ''}export function ${fn}(..._args: unknown[]): never { for (;;) { /* hang */ } }\n`;
  return files;
}

const dirs: string[] = [];
afterAll(async () => { for (const d of dirs) await removeDir(d); });

async function gradeHanging(parts: string[], timeLimits: Parameters<typeof grade>[0]['timeLimits'], callTimeoutMs: number): Promise<GradingResults> {
  const dir = await writeSubmission(hangingSubmission());
  dirs.push(dir);
  return grade({ submission: dir, parts, callTimeoutMs, timeLimits });
}

const allCases = (r: GradingResults): CaseResult[] => r.parts.flatMap((p) => p.cases);

describe('a submission that hangs in every function', () => {
  it('gets a short limit for a function after its first time-out, and the part ends at its deadline', async () => {
    const started = performance.now();
    const results = await gradeHanging(['activations', 'affine'], { afterTimeoutMs: 100, unitPartMs: 3000 }, 400);
    const took = performance.now() - started;
    const cases = allCases(results);
    expect(cases.every((c) => c.status === 'timeout' && c.score === 0)).toBe(true);
    // affine: 2 functions x 3 cases; the first of each gets 0.4 s, the others 0.1 s and say why
    // (on a busy machine the restarts may use up the part's time before its last case)
    const forward = results.parts.find((p) => p.id === 'affine')!.cases.filter((c) => c.feedback[0].startsWith('affineForward'));
    expect(forward.length).toBeGreaterThanOrEqual(2);
    expect(forward[0].feedback).toEqual(['affineForward did not return within 0.4 s (an endless loop?); grading went on in a fresh process']);
    for (const later of forward.slice(1)) {
      expect(later.feedback).toEqual([
        'affineForward did not return within 0.1 s (an endless loop?); grading went on in a fresh process',
        'affineForward had already timed out once, so its later cases get 0.1 s each',
      ]);
    }
    // activations: 10 functions x 0.4 s and their restarts do not fit in 3 s: the rest is not run
    const activations = results.parts.find((p) => p.id === 'activations')!;
    expect(activations.cases.at(-1)!.feedback).toEqual(['not run: the part\'s time limit (3 s) was used up by earlier cases that did not return']);
    expect(activations.timeMs).toBeLessThan(3000 + 2500); // the deadline, plus one child restart and the clean-up on a busy machine
    expect(took).toBeLessThan(2 * (3000 + 2500) + 4000); // two part deadlines with their restarts, and the build
  }, 30_000);

  it('stops at the submission\'s deadline: later parts are not run and say why', async () => {
    const started = performance.now();
    const results = await gradeHanging(['activations', 'affine', 'softmax', 'network', 'train_cifar10'], { afterTimeoutMs: 100, unitPartMs: 1500, submissionMs: 2500 }, 400);
    expect(performance.now() - started).toBeLessThan(2500 + 3000);
    const network = results.parts.find((p) => p.id === 'network')!;
    expect(network.score).toBe(0);
    expect(network.cases.every((c) => c.status === 'timeout')).toBe(true);
    expect(network.cases[0].feedback).toEqual(['not run: the submission\'s time limit (2.5 s) was used up by earlier parts']);
    // a part with no data this run is left out of the maximum as it would be with time to spare, not a timeout
    const cifar = results.parts.find((p) => p.id === 'train_cifar10')!;
    expect(cifar).toMatchObject({ status: 'not_run', score: 0, maxScore: 0 });
    expect(cifar.notRunReason).toMatch(/^left out of the maximum score: CIFAR-10 data not given/);
  }, 30_000);

  it('with the default limits, grading all the fixtures is bounded (computed, not run)', async () => {
    const { parts } = await loadFixtures();
    const unit = parts.filter((p) => p.kind === 'unit');
    const training = parts.filter((p) => p.kind === 'training');
    expect(unit.map((p) => partLimitMs(p, DEFAULT_TIME_LIMITS))).toEqual(unit.map(() => 60_000));
    const trainingMs = training.reduce((s, p) => s + partLimitMs(p, DEFAULT_TIME_LIMITS), 0);
    const bound = submissionLimitMs(parts, DEFAULT_TIME_LIMITS);
    expect(bound).toBe(unit.length * 60_000 + trainingMs + 60_000);
    // what a submission that hangs everywhere costs in its unit parts: 10 s for the first case of a function, 1 s for the others, at most 60 s a part
    const seen = new Set<string>();
    const hangingUnitMs = unit.reduce((total, p) => total + Math.min(60_000, p.cases.reduce((s, c) => {
      const first = !seen.has(c.fn);
      seen.add(c.fn);
      return s + (c.timeoutMs ?? (first ? DEFAULT_TIME_LIMITS.callMs : DEFAULT_TIME_LIMITS.afterTimeoutMs));
    }, 0)), 0);
    const before = unit.reduce((s, p) => s + p.cases.reduce((t, c) => t + (c.timeoutMs ?? DEFAULT_TIME_LIMITS.callMs), 0), 0);
    expect(hangingUnitMs).toBeLessThan(unit.length * 60_000);
    expect(hangingUnitMs).toBeLessThan(before / 2);
    console.log(`unit parts, hanging everywhere: ${before / 1000} s before, ${hangingUnitMs / 1000} s now (bound ${unit.length * 60} s); training parts ${trainingMs / 1000} s; whole submission bound ${bound / 1000} s`);
  });
});
