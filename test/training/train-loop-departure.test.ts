/**
 * train_loop names the first mini-batch where the run leaves the reference's
 * (index and both values) and, when the departure points at the draw order,
 * restates the order the doc comment of trainMLP requires.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { grade } from '../../grader/grade.js';
import type { PartResult } from '../../grader/results.js';
import { DRAW_ORDER } from '../../grader/train-loop-feedback.js';
import { editedSubmission, removeSubmissions, wrappedSubmission } from './grade-part.js';

afterAll(removeSubmissions);

async function trainLoop(dir: string): Promise<PartResult> {
  return (await grade({ submission: dir, parts: ['train_loop'] })).parts[0];
}

/** The history of the first run (case trainMLP/0, or trainMLP/0/history where weights and history score apart): feedback and hints, one string each. */
function firstCase(part: PartResult): { status: string; feedback: string; hints: string } {
  const c = part.cases.find((k) => /^trainMLP\/0(\/history)?$/.test(k.id))!;
  return { status: c.status, feedback: c.feedback.join('\n'), hints: c.hints.join('\n') };
}

const ONE_ORDER = '    const order = rng.permutation(N);\n';

describe('train_loop: where the run departs from the reference', () => {
  it('says nothing of the kind for the reference', async () => {
    const part = await trainLoop(await editedSubmission((s) => s));
    expect(part.status).toBe('passed');
  });

  it('one permutation drawn before the loop instead of one per epoch: departs at the first batch of epoch 1, and restates the draw order', async () => {
    const dir = await editedSubmission((s) => {
      expect(s).toContain(ONE_ORDER);
      return s.replace(ONE_ORDER, '').replace('  for (let epoch = 0;', `  const order = rng.permutation(N);\n  for (let epoch = 0;`);
    });
    const c = firstCase(await trainLoop(dir));
    expect(c.status).toBe('failed');
    // 12 examples in batches of 5: 3 batches per epoch, so batch 3 is the first of epoch 1
    expect(c.feedback).toMatch(/history\.batchLoss departs from the reference at mini-batch 3 \(counting from 0: epoch 1, batch 0\): expected 1\.2204519, got [\d.]+; all 3 before it match/);
    expect(c.hints).toContain('the run departs at the first batch of epoch 1: either that epoch\'s order differs or the step of the last (smaller) batch before it does');
    expect(c.hints).toContain(DRAW_ORDER);
  });

  it('no shuffling at all: departs at the very first loss, and names the draws it depends on', async () => {
    const dir = await editedSubmission((s) => s.replace(ONE_ORDER, '    const order = Array.from({ length: N }, (_, i) => i);\n'));
    const c = firstCase(await trainLoop(dir));
    expect(c.feedback).toMatch(/history\.batchLoss departs from the reference at mini-batch 0 \(counting from 0: epoch 0, batch 0\): expected 1\.1996866, got [\d.]+; it is the first loss/);
    expect(c.hints).toContain(`The first loss is taken before any step, so it depends only on the initial parameters and on which examples the first batch holds: if mlpLoss passes its own cases, check the order of the draws: ${DRAW_ORDER}.`);
  });

  it('the right losses in another order: says only the order differs', async () => {
    const dir = await wrappedSubmission(`
  const r = realTrainMLP(data, options, rng, hooks);
  return { params: r.params, history: { ...r.history, batchLoss: [...r.history.batchLoss].reverse() } };`);
    const c = firstCase(await trainLoop(dir));
    expect(c.feedback).toMatch(/departs from the reference at mini-batch 0 .*expected 1\.1996866, got 0\.72142/);
    expect(c.hints).toContain(`Only the order differs: the batch losses are the reference's, in another order. The order required: ${DRAW_ORDER}.`);
  });
});
