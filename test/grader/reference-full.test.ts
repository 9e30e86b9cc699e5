/**
 * The one test that grades every part, MNIST included: the reference solution
 * gets full marks everywhere except CIFAR-10, which is not run without its
 * data (one-line reason, its points counted as not attempted). Logs the wall
 * time, the number to watch for the benchmark.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { grade } from '../../grader/grade.js';
import { expectConsistentTotals, expectFullMarks, fixtureParts, removeTempDirs, solutionSubmission } from './helpers.js';

afterAll(removeTempDirs);

describe('the reference solution on every part', () => {
  it('scores full marks on all parts but train_cifar10, which is not run', { timeout: 600_000 }, async () => {
    const submission = await solutionSubmission();
    const started = performance.now();
    const results = await grade({ submission, data: {} });
    const seconds = (performance.now() - started) / 1000;
    console.log(`graded the reference on every part in ${seconds.toFixed(1)} s: ${results.parts.map((p) => `${p.id} ${(p.timeMs / 1000).toFixed(1)} s`).join(', ')}`);

    expect(results.parts.map((p) => p.id)).toEqual((await fixtureParts()).map((p) => p.id));
    expectConsistentTotals(results);
    expectFullMarks(results, ['train_cifar10']);
    const cifar = results.parts.find((p) => p.id === 'train_cifar10')!;
    // no data and not required: left out of the maximum, so the reference has full marks
    expect(cifar).toMatchObject({ status: 'not_run', score: 0, maxScore: 0 });
    expect(cifar.notRunReason).toMatch(/^left out of the maximum score: CIFAR-10 data not given: .*--cifar10 PATH/);
    expect(cifar.notRunReason).not.toContain('\n');
    const reason = cifar.notRunReason!.replace(/^left out of the maximum score: /, '');
    for (const c of cifar.cases) expect({ status: c.status, feedback: c.feedback, maxScore: c.maxScore }).toEqual({ status: 'not_run', feedback: [reason], maxScore: 0 });
    expect(results.notAttempted).toBe(0);
    expect(results.maxScore).toBe(95);
    expect(results.score).toBe(95);
    const mnist = results.parts.find((p) => p.id === 'train_mnist')!;
    expect(mnist.artifacts?.accuracy).toBeGreaterThanOrEqual(mnist.artifacts!.threshold!);
  });
});
