/**
 * Two sandbox children for one submission graded alone: the heaviest training
 * part (MNIST) trains in a child of its own while the other parts run in
 * another, which then takes that part's smaller runs. Both children are
 * started alike (same bundle, jail, uid, limits); each lane restarts its child
 * when the visibility changes, as the serial grade does. A batch keeps one child
 * per submission: it already runs --jobs submissions at once.
 */
import os from 'node:os';
import type { FixturePart } from './fixtures/types.generated.js';
import type { SubmissionRunner } from './sandbox/runner.js';
import { partLimitMs, type TimeLimits } from './time-budget.js';
import { resolveDataset, type TrainingContext } from './training.js';

/** The children a grade run alone uses: two where the machine has two cores or more (os.availableParallelism(): cgroup and affinity limits count), else one. */
export function loneGradeChildren(cores = os.availableParallelism()): 1 | 2 {
  return cores >= 2 ? 2 : 1;
}

/**
 * The part the second child grades: the training part with the longest time limit among those
 * whose data is there (CIFAR-10 without --cifar10 is not run), when anything else is graded beside
 * it; undefined when a second child would have nothing to overlap, and when the parts differ in
 * visibility: two children that run at once never hold inputs of different visibilities.
 */
export function secondLanePart(parts: FixturePart[], limits: TimeLimits, data: TrainingContext['data']): FixturePart | undefined {
  if (new Set(parts.map((p) => p.visibility)).size > 1) return undefined;
  const training = parts.filter((p) => p.kind !== 'unit' && p.training && !('notRun' in resolveDataset(p.training.dataset, data)));
  if (parts.length < 2 || training.length === 0) return undefined;
  return training.reduce((a, b) => (partLimitMs(b, limits) > partLimitMs(a, limits) ? b : a));
}

/** One sandbox child and the parts it grades in turn: started on first use, restarted when the visibility changes, so code cannot carry inputs of a hidden part into visible feedback. */
export class Lane {
  private runner: SubmissionRunner | undefined;
  private visibility: string | undefined;
  private closed = false;

  constructor(private readonly start: () => Promise<SubmissionRunner>) {}

  /** The child for a part of this visibility; throws once the lane is closed. */
  async runnerFor(visibility: string): Promise<SubmissionRunner> {
    if (this.closed) throw new Error('the grade was stopped');
    if (!this.runner || visibility !== this.visibility) {
      await this.runner?.close();
      this.runner = undefined;
      const runner = await this.start();
      if (this.closed) {
        await runner.close();
        throw new Error('the grade was stopped');
      }
      this.runner = runner;
      this.visibility = visibility;
    }
    return this.runner;
  }

  /** Kills the child; later parts are refused. */
  async close(): Promise<void> {
    this.closed = true;
    await this.runner?.close();
  }
}
