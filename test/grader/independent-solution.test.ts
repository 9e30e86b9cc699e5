/**
 * Fairness: a correct solution written independently of the reference (plain
 * loops over Matrix.data, other names and structure: test/submissions/loops)
 * gets full marks on every unit part, the exact training loop and the moons
 * part. The MNIST part is left to `npm run bench`, which times this solution.
 */
import path from 'node:path';
import { expect, it } from 'vitest';
import { grade } from '../../grader/grade.js';
import { ROOT } from '../../grader/root.js';
import { expectConsistentTotals, expectFullMarks, unitPartIds } from './helpers.js';

export const LOOPS_SOLUTION = path.join(ROOT, 'test', 'submissions', 'loops');

it('the loops solution gets full marks on the unit parts, train_loop and train_moons', async () => {
  const parts = [...await unitPartIds(), 'train_moons'];
  expect(parts).toContain('train_loop');
  const results = await grade({ submission: LOOPS_SOLUTION, parts });
  expectConsistentTotals(results);
  expectFullMarks(results);
  expect(results.score).toBe(results.maxScore);
});
