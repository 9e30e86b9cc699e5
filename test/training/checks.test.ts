/**
 * The training part cannot be passed by a loop that lies: the returned network
 * must be the one the settings ask for, the history must have one loss per
 * epoch and per batch and match the returned network, progress reaches the CLI
 * as numbers only, and a hanging trainMLP costs the small runs' own limit, not
 * the main run's.
 */
import { rm } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { loadFixtures } from '../../grader/fixtures/load.js';
import type { FixturePart } from '../../grader/fixtures/types.generated.js';
import type { PartResult } from '../../grader/results.js';
import { STUDENT_MODULES } from '../../grader/modules.js';
import { bundleSubmission, removeBundle } from '../../grader/sandbox/bundle.js';
import { SubmissionRunner } from '../../grader/sandbox/runner.js';
import { gradeTrainingPart, type TrainingContext } from '../../grader/training.js';
import { writeFromReference } from '../../instructor/starter.js';
import { referenceSubmission } from './submission.js';

const made: string[] = [];
afterAll(async () => Promise.all(made.map((d) => rm(d, { recursive: true, force: true }))));

/**
 * A submission whose exported trainMLP is `body`, with the reference's own
 * loop available to it as realTrainMLP(data, options, rng, hooks).
 */
async function wrappedSubmission(body: string): Promise<string> {
  const dir = await referenceSubmission();
  made.push(dir);
  await writeFromReference(dir, 'solution', (file, source) => (file !== 'train.ts' ? source
    : `${source.replace('export function trainMLP(', 'function realTrainMLP(')}
export function trainMLP(data: any, options: any, rng: any, hooks: any = {}): any {
${body}
}
`));
  return dir;
}

async function moonsPart(edit: (part: FixturePart) => void = () => undefined): Promise<FixturePart> {
  const [part] = (await loadFixtures(undefined, ['train_moons'])).parts;
  edit(part);
  return part;
}

/** Grades one training part directly, so a test can use an edited part and see the progress reports. */
async function gradePart(dir: string, part: FixturePart, onProgress?: TrainingContext['onProgress']): Promise<PartResult> {
  const bundle = await bundleSubmission(dir, [...STUDENT_MODULES]);
  const runner = await SubmissionRunner.start(bundle);
  try {
    return await gradeTrainingPart(runner, part, { data: {}, submission: dir, onProgress });
  } finally {
    await runner.close();
    await removeBundle(bundle);
  }
}

function byCheck(part: PartResult): Record<string, { status: string; feedback: string }> {
  return Object.fromEntries(part.cases.map((c) => [c.id, { status: c.status, feedback: c.feedback.join(' ') }]));
}

describe('the training part checks what trainMLP returns', () => {
  it('refuses a network larger than the settings ask for, naming both shapes', async () => {
    const dir = await wrappedSubmission(`
  const wide = { ...options, hidden: [64, 64] };
  return realTrainMLP(data, wide, rng, hooks);`);
    const cases = byCheck(await gradePart(dir, await moonsPart()));
    expect(cases.accuracy.status).toBe('failed');
    expect(cases.accuracy.feedback).toBe('trainMLP returned something the grader cannot use: the returned W are 2x64, 64x64, 64x2, but the 2-10-2 network of these settings ([D, ...hidden, C]) needs W of 2x10, 10x2');
    // the small runs use their own settings: [50] and [] are asked for and [64, 64] returned
    expect(cases.overfit_tiny.feedback).toMatch(/needs W of 2x50, 50x2$/);
  });

  it('fails the history checks when the history does not have one loss per epoch and per batch', async () => {
    const dir = await wrappedSubmission(`
  const r = realTrainMLP(data, options, rng, hooks);
  return { params: r.params, history: { ...r.history, batchLoss: r.history.batchLoss.slice(1) } };`);
    const part = await moonsPart();
    const cases = byCheck(await gradePart(dir, part));
    // the submission's config.json is the reference's: its "moons" settings, on 800 training points
    const { epochs, batchSize } = part.training!.referenceHyperparameters!;
    const perEpoch = Math.ceil(800 / batchSize);
    const batches = epochs * perEpoch;
    const line = `history.batchLoss has ${batches - 1} entries, expected ${batches} (${epochs} epochs x ${perEpoch} batches, the last one of each epoch smaller when batchSize does not divide N): record the loss of every mini-batch`;
    expect(cases.finite_history).toEqual({ status: 'failed', feedback: line });
    expect(cases.loss_decreases).toEqual({ status: 'failed', feedback: line });
    expect(cases.accuracy.status).toBe('passed');
  });

  it('flags an invented history whose last loss is far below the loss of the returned network', async () => {
    // trains for one epoch only, then reports a loss that falls smoothly to 0.001
    const dir = await wrappedSubmission(`
  const r = realTrainMLP(data, { ...options, epochs: 1 }, rng, hooks);
  const perEpoch = Math.ceil(data.X.rows / options.batchSize);
  const loss = Array.from({ length: options.epochs }, (_, e) => 0.7 * Math.exp(-7 * e / options.epochs));
  const batchLoss = loss.flatMap((l) => Array(perEpoch).fill(l));
  return { params: r.params, history: { loss, batchLoss, trainAccuracy: [], valAccuracy: [] } };`);
    const cases = byCheck(await gradePart(dir, await moonsPart()));
    expect(cases.loss_decreases.status).toBe('failed');
    expect(cases.loss_decreases.feedback).toMatch(/^the loss history does not match the returned network: the last epoch's loss is 0\.00\d+, but the returned parameters have a training loss of 0\.\d{4} on the first 800 training examples/);
    expect(cases.finite_history.status).toBe('passed');
  });

  it('passes only numbers to the progress listener, whatever the history holds', async () => {
    const dir = await wrappedSubmission(`
  hooks.onEpoch?.(0, { loss: ['x', null, 0.5] });
  hooks.onEpoch?.(1, null);
  return realTrainMLP(data, options, rng, {});`);
    const seen: [string, number, number[]][] = [];
    await gradePart(dir, await moonsPart(), (id, epoch, h) => seen.push([id, epoch, h.loss]));
    expect(seen).toEqual([['train_moons', 0, [NaN, NaN, 0.5]], ['train_moons', 1, []]]);
  });
});

describe('time limits of the training part', () => {
  it('skips the small runs without running them after the main run timed out', async () => {
    const dir = await wrappedSubmission(`
  for (;;) { /* never returns */ }`);
    const started = performance.now();
    const graded = await gradePart(dir, await moonsPart((p) => { p.training!.timeLimitSec = 1.5; }));
    const seconds = (performance.now() - started) / 1000;
    const cases = byCheck(graded);
    expect(cases.accuracy.status).toBe('timeout');
    // 1.5 s of CPU time, or on a machine too busy to give the child a third of a core, the 4.5 s wall-clock backstop
    expect(cases.accuracy.feedback).toMatch(/^trainMLP did not return within (1\.5 s of CPU time|4\.5 s of wall time)/);
    for (const id of ['overfit_tiny', 'keeps_pairs']) {
      expect(cases[id]).toEqual({ status: 'not_run', feedback: 'not run: the main training run timed out (1.5 s), so this smaller run was skipped' });
    }
    expect(seconds).toBeLessThan(10);
    // the time-out says it all: no "more than half of its limit" warning besides
    expect(graded.training).toMatchObject({ limitSec: 1.5, clock: 'cpu', notes: [] });
  });

  it("gives the small runs their own limit from the fixture (30 s there), not the main run's", async () => {
    const part = await moonsPart();
    const small = part.training!.checks.filter((c) => c.id === 'overfit_tiny' || c.id === 'keeps_pairs');
    expect(small.map((c) => c.timeLimitSec)).toEqual([30, 30]);
    expect(part.training!.timeLimitSec).toBe(60);

    // hangs on the tiny sets only (20 and 10 examples), trains the main run normally
    const dir = await wrappedSubmission(`
  if (data.X.rows <= 20) for (;;) { /* never returns */ }
  return realTrainMLP(data, options, rng, hooks);`);
    const graded = await gradePart(dir, await moonsPart((p) => {
      for (const c of p.training!.checks) if (c.timeLimitSec) c.timeLimitSec = 1;
    }));
    const cases = byCheck(graded);
    expect(cases.accuracy.status).toBe('passed');
    for (const id of ['overfit_tiny', 'keeps_pairs']) {
      expect(cases[id].status).toBe('timeout');
      expect(cases[id].feedback).toMatch(/^trainMLP did not return within (1 s of CPU time|3 s of wall time)/);
    }
  });
});
