import { rm } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { grade } from '../../grader/grade.js';
import type { PartResult } from '../../grader/results.js';
import { referenceSubmission } from './submission.js';

const made: string[] = [];
afterAll(async () => Promise.all(made.map((d) => rm(d, { recursive: true, force: true }))));

async function gradePart(mistake: string, part: string): Promise<PartResult> {
  const dir = await referenceSubmission(mistake);
  made.push(dir);
  const results = await grade({ submission: dir, parts: [part] });
  return results.parts[0];
}

function failing(part: PartResult): Record<string, string> {
  return Object.fromEntries(part.cases.filter((c) => c.status !== 'passed').map((c) => [c.id, c.feedback.join(' ')]));
}

describe('training mutants fail the training part with a clear message', () => {
  it('shuffling X without y: accuracy fails and keeps_pairs names the mistake', async () => {
    const part = await gradePart('shuffle_x_only', 'train_moons');
    const bad = failing(part);
    expect(bad.accuracy).toMatch(/below the threshold/);
    expect(bad.keeps_pairs).toMatch(/shuffle X and y with the same permutation/);
    expect(part.score).toBeLessThan(part.maxScore / 2);
  });

  it('learning-rate sign flipped: the loss goes up and the message asks for the minus', async () => {
    const part = await gradePart('lr_sign_flipped', 'train_moons');
    const bad = failing(part);
    expect(bad.loss_decreases).toMatch(/does not go down.*w - lr \* dw/);
    expect(bad.accuracy).toMatch(/below the threshold/);
  });

  it('returning the untrained parameters: accuracy near chance, loss flat', async () => {
    const part = await gradePart('untrained_params', 'train_moons');
    const bad = failing(part);
    expect(bad.accuracy).toMatch(/below the threshold/);
    expect(bad.loss_decreases).toBeDefined();
    expect(bad.overfit_tiny).toMatch(/fit a tiny set perfectly/);
    // nothing learns, so keeps_pairs does not blame the shuffle
    expect(bad.keeps_pairs).toMatch(/the network did not learn even on one-hot inputs/);
    expect(bad.keeps_pairs).not.toMatch(/shuffle X and y with the same permutation/);
  });

  it('never averaging the gradient over the batch: MNIST diverges', async () => {
    const part = await gradePart('no_batch_mean', 'train_mnist');
    const bad = failing(part);
    expect(bad.accuracy).toMatch(/below the threshold/);
    expect(part.artifacts?.accuracy).toBeLessThan(0.5);
    // the first loss is taken before any step; the first step is already N times too large
    expect(bad.follows_reference).toMatch(/the loss of mini-batch 1 \(counting from 0\) is .*, and all before it match/);
    expect(part.status).not.toBe('passed');
  });
});
