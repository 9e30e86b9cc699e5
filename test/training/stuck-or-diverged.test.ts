/**
 * A training part tells a run stuck at chance (nothing learned) from one that
 * diverged (the loss rises or turns NaN), and names the likely causes of each,
 * never those of the other.
 */
import { rm } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { DIVERGED_CAUSES, STUCK_CAUSES, diagnoseRun } from '../../grader/training-diagnosis.js';
import { byCheck, editedSubmission, gradePart, removeSubmissions, trainingPart, wrappedSubmission } from './grade-part.js';
import { referenceSubmission } from './submission.js';

const made: string[] = [];
afterAll(async () => {
  await removeSubmissions();
  await Promise.all(made.map((d) => rm(d, { recursive: true, force: true })));
});

const LN10 = Math.log(10);

describe('diagnoseRun', () => {
  it('calls a flat loss near ln C with guessing accuracy stuck at chance', () => {
    const d = diagnoseRun({ loss: [LN10 + 0.01, LN10, LN10 - 0.01], batchLoss: [], classes: 10, paramsFinite: true, accuracy: 0.11 });
    expect(d?.kind).toBe('stuck');
    expect(d?.line).toContain('stuck at chance: the loss stays near ln 10 = 2.303');
    expect(d?.line).toContain(STUCK_CAUSES);
  });

  it('calls a rising loss, NaN in the history, or NaN weights diverged', () => {
    expect(diagnoseRun({ loss: [0.7, 0.9, 1.4], batchLoss: [], classes: 2, paramsFinite: true })?.line)
      .toBe(`the training diverged: the loss rose from 0.700 to 1.400 (a uniform guess scores ln 2 = 0.693); ${DIVERGED_CAUSES}`);
    expect(diagnoseRun({ loss: [0.7, NaN], batchLoss: [0.7, Infinity], classes: 2, paramsFinite: true })?.line)
      .toBe(`the training diverged: 2 loss values are NaN or Infinity; ${DIVERGED_CAUSES}`);
    expect(diagnoseRun({ loss: [0.7, 0.6], batchLoss: [], classes: 2, paramsFinite: false })?.kind).toBe('diverged');
  });

  it('says nothing of a run that learns, even slowly, or that starts high and comes down', () => {
    expect(diagnoseRun({ loss: [2.3, 1.2, 0.6], batchLoss: [], classes: 10, paramsFinite: true, accuracy: 0.8 })).toBeNull();
    expect(diagnoseRun({ loss: [2.3, 2.2, 2.1], batchLoss: [], classes: 10, paramsFinite: true, accuracy: 0.3 })).toBeNull();
    expect(diagnoseRun({ loss: [9, 6, 4], batchLoss: [], classes: 10, paramsFinite: true, accuracy: 0.2 })).toBeNull();
  });

  it('does not call a flat loss near chance stuck when the network predicts well above guessing', () => {
    expect(diagnoseRun({ loss: [0.69, 0.69], batchLoss: [], classes: 2, paramsFinite: true, accuracy: 0.9 })).toBeNull();
  });
});

describe('the moons part on submissions that do not learn', () => {
  it('an update that is never applied: stuck at chance, with the causes of a run that learns nothing', async () => {
    const dir = await editedSubmission((source) => {
      expect(source).toContain('      params = { W, b };\n');
      return source.replace('      params = { W, b };\n', '');
    });
    const cases = byCheck(await gradePart(dir, await trainingPart('train_moons')));
    for (const id of ['accuracy', 'loss_decreases']) {
      expect(cases[id].status).toBe('failed');
      expect(cases[id].feedback).toMatch(/the training is stuck at chance: the loss stays near ln 2 = 0\.693/);
      expect(cases[id].feedback).toContain(STUCK_CAUSES);
      expect(cases[id].feedback).not.toMatch(/diverged/);
    }
    expect(cases.accuracy.feedback).toMatch(/the test accuracy is 0\.\d{3} \(guessing scores 0\.500\)/);
  });

  it('inputs shuffled without their labels: the accuracy case says stuck at chance, not diverged', async () => {
    const dir = await referenceSubmission('shuffle_x_only');
    made.push(dir);
    const cases = byCheck(await gradePart(dir, await trainingPart('train_moons')));
    expect(cases.accuracy.feedback).toMatch(/the training is stuck at chance: the loss stays near ln 2/);
    expect(cases.accuracy.feedback).toContain('are inputs and labels reordered with the same permutation?');
    expect(cases.accuracy.feedback).not.toMatch(/diverged/);
  });

  it('a learning rate 10,000 times too large: diverged, with the causes of a run that blows up', async () => {
    const dir = await wrappedSubmission('return realTrainMLP(data, { ...options, lr: options.lr * 1e4 }, rng, hooks);');
    const cases = byCheck(await gradePart(dir, await trainingPart('train_moons')));
    for (const id of ['accuracy', 'loss_decreases']) {
      expect(cases[id].status).toBe('failed');
      expect(cases[id].feedback).toMatch(/the training diverged: the loss rose from \d+\.\d{3} to \d+\.\d{3}/);
      expect(cases[id].feedback).toContain(DIVERGED_CAUSES);
      expect(cases[id].feedback).not.toMatch(/stuck at chance/);
    }
  });

  it('a learning rate with the wrong sign: diverged, asking for the minus', async () => {
    const dir = await wrappedSubmission('return realTrainMLP(data, { ...options, lr: -options.lr }, rng, hooks);');
    const cases = byCheck(await gradePart(dir, await trainingPart('train_moons')));
    expect(cases.loss_decreases.feedback).toMatch(/does not go down.*the training diverged.*w - lr \* dw, with a minus/);
  });
});
