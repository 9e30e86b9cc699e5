/**
 * Issue 12: a grade run alone may use two sandbox children (grader/lanes.ts);
 * its results must be those of the serial grade, apart from timings: the same
 * JSON report, in the same order, with the same feedback and captured output.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grade, type GradeOptions } from '../../grader/grade.js';
import { loadFixtures } from '../../grader/fixtures/load.js';
import { DEFAULT_TIME_LIMITS } from '../../grader/time-budget.js';
import { loneGradeChildren, secondLanePart } from '../../grader/lanes.js';
import { jsonReport } from '../../grader/report/json.js';
import { SubmissionRunner } from '../../grader/sandbox/runner.js';
import { removeSubmissions, wrappedSubmission } from '../training/grade-part.js';
import { removeTempDirs, solutionSubmission } from './helpers.js';

/** Keys whose values are measured times (or notes about them), not results. */
const TIMING_KEYS = new Set(['timeMs', 'startedAt', 'usedSec', 'wallSec', 'notes']);

function withoutTimings(value: unknown): unknown {
  // feedback that quotes a run's time ("after 0.3 s of training")
  if (typeof value === 'string') return value.replace(/\d+(\.\d+)? s of training/g, 'N s of training');
  if (Array.isArray(value)) return value.map(withoutTimings);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).filter(([k]) => !TIMING_KEYS.has(k)).map(([k, v]) => [k, withoutTimings(v)]));
  return value;
}

/** The JSON report of a grade without its timings, and the most children that were alive at once. */
async function gradeCounting(options: GradeOptions): Promise<{ report: unknown; mostChildren: number }> {
  const launch = SubmissionRunner.launch;
  let alive = 0;
  let mostChildren = 0;
  SubmissionRunner.launch = async (...args) => {
    const runner = await launch.apply(SubmissionRunner, args);
    mostChildren = Math.max(mostChildren, ++alive);
    const close = runner.close.bind(runner);
    runner.close = async () => {
      await close();
      alive--;
    };
    return runner;
  };
  try {
    const results = await grade(options);
    return { report: withoutTimings(JSON.parse(jsonReport(results))), mostChildren };
  } finally {
    SubmissionRunner.launch = launch;
  }
}

const PARTS = ['activations', 'train_loop', 'train_moons', 'softmax'];

let reference: string;
beforeAll(async () => {
  reference = await solutionSubmission();
});
afterAll(async () => {
  await removeTempDirs();
  await removeSubmissions();
});

describe('which part gets a child of its own', () => {
  it('the heaviest training part whose data is there, only beside other parts', async () => {
    const { parts } = await loadFixtures();
    expect(secondLanePart(parts, DEFAULT_TIME_LIMITS, {})?.id).toBe('train_mnist');
    expect(secondLanePart(parts, DEFAULT_TIME_LIMITS, { cifar10: '/data/cifar' })?.id).toBe('train_cifar10');
    expect(secondLanePart(parts.filter((p) => p.id === 'train_mnist'), DEFAULT_TIME_LIMITS, {})).toBeUndefined();
    expect(secondLanePart(parts.filter((p) => p.kind === 'unit'), DEFAULT_TIME_LIMITS, {})).toBeUndefined();
    // a hidden part beside visible ones: one child, restarted between them, as before
    const mixed = parts.map((p) => (p.id === 'activations' ? { ...p, visibility: 'hidden' as const } : p));
    expect(secondLanePart(mixed, DEFAULT_TIME_LIMITS, {})).toBeUndefined();
  });

  it('two children where the machine has two cores or more', () => {
    expect([loneGradeChildren(1), loneGradeChildren(2), loneGradeChildren(8)]).toEqual([1, 2, 2]);
  });
});

describe('one child or two: the same report', () => {
  it('for the reference', async () => {
    const serial = await gradeCounting({ submission: reference, parts: PARTS });
    const lanes = await gradeCounting({ submission: reference, parts: PARTS, children: 2 });
    expect(serial.mostChildren).toBe(1);
    expect(lanes.mostChildren).toBe(2);
    expect(lanes.report).toEqual(serial.report);
    expect((serial.report as { score: number }).score).toBe((serial.report as { maxScore: number }).maxScore);
  }, 120_000);

  it('for a trainMLP that prints and does not learn (feedback of the smaller runs, captured output)', async () => {
    const dir = await wrappedSubmission(`console.log('training on', data.X.rows, 'examples');
  return realTrainMLP(data, { ...options, lr: -options.lr }, rng, hooks);`);
    const serial = await gradeCounting({ submission: dir, parts: PARTS });
    const lanes = await gradeCounting({ submission: dir, parts: PARTS, children: 2 });
    expect(lanes.mostChildren).toBe(2);
    expect(lanes.report).toEqual(serial.report);
    const moons = (serial.report as { parts: { id: string; output: string; cases: { id: string; status: string }[] }[] }).parts.find((p) => p.id === 'train_moons')!;
    expect(moons.output).toContain('training on');
    expect(moons.cases.find((c) => c.id === 'overfit_tiny')?.status).toBe('failed');
  }, 120_000);
});
