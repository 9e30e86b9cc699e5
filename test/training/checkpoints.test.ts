/**
 * The checkpoints of a fixed-settings run: fair to every correct trainMLP (a
 * loops-style one that sums in other orders meets them), strict about the
 * algorithm (another learning rate, another draw, other returned weights fail,
 * each with a line naming where), and not applied to data they were not
 * recorded on (real MNIST files from --mnist).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkpointProblem, CHECKPOINT_TOLERANCE, recordCheckpoints } from '../../grader/checkpoints.js';
import { loadFixtures } from '../../grader/fixtures/load.js';
import { STUDENT_MODULES } from '../../grader/modules.js';
import type { PartResult } from '../../grader/results.js';
import { bundleSubmission, removeBundle } from '../../grader/sandbox/bundle.js';
import { SubmissionRunner } from '../../grader/sandbox/runner.js';
import { gradeTrainingPart } from '../../grader/training.js';
import { trainMLP, type TrainOptions } from '../../reference/train.js';
import { Matrix } from '../../starter/provided/matrix.js';
import { Random } from '../../starter/provided/random.js';
import { loadDataset, MNIST_FILES, writeIdx, type Dataset } from '../../starter/provided/data/index.js';
import { Random as LoopsRandom } from '../submissions/loops/provided/random.js';
import { trainMLP as independentTrainMLP } from '../submissions/loops/train.js';
import { loopsTrainMLP } from './loops-train.js';
import { referenceSubmission } from './submission.js';

const OPTIONS: TrainOptions = { hidden: [100], activation: 'relu', init: 'xavier_uniform', optimizer: 'sgd', lr: 0.1, batchSize: 100, epochs: 3, reg: 0 };
const SEED = 'checkpoint-test';

const copy = (m: Matrix) => new Matrix(m.rows, m.cols, Float64Array.from(m.data));

describe('checkpoints of a run with fixed settings', () => {
  let train: Dataset;
  let reference: ReturnType<typeof trainMLP>;
  beforeAll(() => {
    train = loadDataset({ name: 'mnist', seed: SEED, trainSize: 1000, testSize: 100 }).train;
    reference = trainMLP(train, OPTIONS, new Random(SEED));
  });
  const recorded = () => recordCheckpoints(reference.history.batchLoss, reference.params, `${SEED}:sketch`);

  it('are met by a loops-style trainMLP that sums in other orders, with many orders of magnitude to spare', () => {
    const cp = recorded();
    const loops = loopsTrainMLP(train, { hidden: [100], init: 'xavier_uniform', lr: 0.1, batchSize: 100, epochs: 3 }, new Random(SEED));
    expect(checkpointProblem(cp, loops.history.batchLoss, loops.params)).toBeNull();
    // it does sum in another order (not the same bits), yet stays far inside the tolerance
    const rel = loops.history.batchLoss.map((l, i) => Math.abs(l - cp.batchLoss[i]) / cp.batchLoss[i]);
    expect(rel.some((r) => r > 0)).toBe(true);
    expect(Math.max(...rel)).toBeLessThan(CHECKPOINT_TOLERANCE * 1e-6);
  });

  it('are met by the independent loops solution (test/submissions/loops), written apart from the reference', () => {
    // its provided/ is a link to starter/provided: the same classes under another path
    const run = independentTrainMLP(train as Parameters<typeof independentTrainMLP>[0], OPTIONS, new LoopsRandom(SEED));
    expect(checkpointProblem(recorded(), run.history.batchLoss, run.params as typeof reference.params)).toBeNull();
  });

  it('name the first mini-batch that leaves the path when the learning rate is 0.1% off', () => {
    const off = trainMLP(train, { ...OPTIONS, lr: 0.1001 }, new Random(SEED));
    expect(checkpointProblem(recorded(), off.history.batchLoss, off.params)).toMatch(/^the loss of mini-batch 1 \(counting from 0\) is [\d.]+, the reference's is [\d.]+, and all before it match/);
  });

  it('point at the initialisation and the shuffle when the first loss differs', () => {
    const other = trainMLP(train, OPTIONS, new Random(`${SEED}-other`));
    expect(checkpointProblem(recorded(), other.history.batchLoss, other.params)).toMatch(/^the loss of the first mini-batch is .*initialise with initMLP\(sizes, options\.init, rng\) first/);
  });

  it('check the returned weights when the history is right: other values of the same norm, or another norm', () => {
    const cp = recorded();
    const { W, b } = reference.params;
    const swapped = copy(W[1]);
    [swapped.data[0], swapped.data[1]] = [swapped.data[1], swapped.data[0]]; // same norm, other matrix
    expect(checkpointProblem(cp, reference.history.batchLoss, { W: [W[0], swapped], b })).toMatch(/^every batch loss matches the reference's, but the returned W\[1\] has the same norm as the reference's but other values/);
    const scaled = copy(b[0]);
    scaled.data.forEach((v, i) => { scaled.data[i] = v * 1.001; });
    expect(checkpointProblem(cp, reference.history.batchLoss, { W, b: [scaled, b[1]] })).toMatch(/^every batch loss matches the reference's, but the returned b\[0\] has norm/);
    // a change far below the tolerance passes
    const nudged = copy(W[0]);
    nudged.data[5] += 1e-12;
    expect(checkpointProblem(cp, reference.history.batchLoss, { W: [nudged, W[1]], b })).toBeNull();
  });

  it('refuse a history of the wrong length', () => {
    expect(checkpointProblem(recorded(), reference.history.batchLoss.slice(1), reference.params)).toBe('history.batchLoss has 29 entries, the documented run has 30');
  });
});

describe('the MNIST part graded on real MNIST files (--mnist DIR)', () => {
  let dir: string, data: string;
  beforeAll(async () => {
    dir = await referenceSubmission();
    data = await mkdtemp(path.join(os.tmpdir(), 'idx-mnist-'));
    // 400 training and 100 test digits of the embedded set, written as IDX files
    const split = loadDataset({ name: 'mnist', trainSize: 400, testSize: 100 });
    const write = (d: Dataset, images: string, labels: string) => {
      writeIdx(path.join(data, images), [d.y.length, 28, 28], Uint8Array.from(d.X.data, (v) => Math.round(v * 255)));
      writeIdx(path.join(data, labels), [d.y.length], Uint8Array.from(d.y));
    };
    write(split.train, MNIST_FILES.trainImages, MNIST_FILES.trainLabels);
    write(split.test, MNIST_FILES.testImages, MNIST_FILES.testLabels);
  });
  afterAll(async () => Promise.all([dir, data].map((d) => rm(d, { recursive: true, force: true }))));

  it('does not run follows_reference (the checkpoints belong to the embedded digits) and credits the accuracy without it', async () => {
    const [part] = (await loadFixtures(undefined, ['train_mnist'])).parts;
    part.training!.threshold = 0.3; // 400 digits for 3 epochs: a low bar, so the accuracy check passes
    const bundle = await bundleSubmission(dir, [...STUDENT_MODULES]);
    const runner = await SubmissionRunner.start(bundle);
    let graded: PartResult;
    try {
      graded = await gradeTrainingPart(runner, part, { data: { mnist: data }, submission: dir });
    } finally {
      await runner.close();
      await removeBundle(bundle);
    }
    const cases = Object.fromEntries(graded.cases.map((c) => [c.id, c]));
    expect(cases.follows_reference.status).toBe('not_run');
    expect(cases.follows_reference.feedback).toEqual(['not run: the checkpoints were recorded on the embedded digits, and this grade trains on the data given with --mnist; grade without --mnist to check them']);
    expect(cases.accuracy.status).toBe('passed');
  });
});
