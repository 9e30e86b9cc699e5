/**
 * A trainMLP with no gradient descent (least squares on one-hot targets over
 * random features, a plausible history whose first batch loss is even the true
 * one) must not pass MNIST: its network is good enough for the accuracy bar,
 * but it is not where the documented training ends, so follows_reference fails
 * at the first step and the accuracy is not credited. On the moons (the
 * student's own settings, no checkpoints) it still earns every point: the
 * README's "How the training parts are graded" says so, and this test keeps
 * that statement honest.
 */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grade } from '../../grader/grade.js';
import type { PartResult } from '../../grader/results.js';
import { closedFormSubmission } from './closed-form-submission.js';

let dir: string;
beforeAll(async () => { dir = await closedFormSubmission(); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

async function gradePart(part: string): Promise<PartResult> {
  return (await grade({ submission: dir, parts: [part] })).parts[0];
}

const byCheck = (part: PartResult) => Object.fromEntries(part.cases.map((c) => [c.id, { status: c.status, feedback: c.feedback.join(' ') }]));

describe('a closed-form trainMLP', () => {
  it('loses the MNIST points: it leaves the checkpoints after the first batch, and its accuracy is not credited', async () => {
    const part = await gradePart('train_mnist');
    const cases = byCheck(part);
    // the fit itself is good: without the checkpoints it would pass the accuracy check
    expect(part.artifacts!.accuracy!).toBeGreaterThanOrEqual(part.artifacts!.threshold!);
    expect(cases.follows_reference.status).toBe('failed');
    expect(cases.follows_reference.feedback).toMatch(/^the scored run does not follow the documented training: the loss of mini-batch 1 \(counting from 0\) is [\d.]+, the reference's is [\d.]+, and all before it match/);
    expect(cases.accuracy.status).toBe('failed');
    expect(cases.accuracy.feedback).toMatch(/^test accuracy 0\.\d{4} reaches the threshold 0\.\d+ but is not credited: only a network reached by the documented training earns it/);
    // what it keeps: the checks that read its own history and the 20-digit fit (1 + 1 + 1 of 10)
    expect(part.score).toBeLessThanOrEqual(3);
    expect(part.status).not.toBe('passed');
  });

  it('still earns the moons points, whose settings are the student\'s own and have no checkpoints', async () => {
    const part = await gradePart('train_moons');
    expect(byCheck(part).accuracy.status).toBe('passed');
    expect(part.score).toBe(part.maxScore);
  });
});
