/**
 * Tells the two ways a training run fails to learn apart, because their causes
 * differ: a run stuck at chance (the loss stays near ln C, the accuracy near 1/C:
 * nothing is learned) and a run that diverged (the loss rises, or turns NaN or
 * Infinity: each step makes things worse). Each comes with its likely causes.
 */

/** Which way a run failed to learn, and the one line that says so with the likely causes. */
export interface Diagnosis { kind: 'stuck' | 'diverged'; line: string }

/** What the diagnosis reads: the loss history, the class count, and (when measured) the test accuracy. */
export interface RunSignals {
  /** Mean loss of each epoch. */
  loss: number[];
  /** Loss of each mini-batch. */
  batchLoss: number[];
  classes: number;
  /** False when a weight or bias came back NaN or Infinity. */
  paramsFinite: boolean;
  /** Test accuracy of the returned network, when the grader measured it. */
  accuracy?: number;
}

/** A loss within this share of ln C, changing by less than FLAT over the run, is "at chance". */
const NEAR_CHANCE = 0.1;
const FLAT = 0.05;
/** The last epoch's loss above the first by this share is "rising". */
const RISING = 0.05;

export const DIVERGED_CAUSES = 'is the update w - lr * dw, with a minus? is the learning rate too large for this network? is the gradient averaged over the batch (1/N)? are the scores shifted by their row maximum before exp?';
export const STUCK_CAUSES = 'are inputs and labels reordered with the same permutation? is each step\'s result stored back into the parameters (params = the W and b optimizerStep returns)? is the learning rate 0 or tiny? are the weights initialised with initMLP rather than zeros?';

function fmt(x: number): string {
  return Number.isFinite(x) ? x.toFixed(3) : String(x);
}

/** The diagnosis of a run that did not learn, or null when its loss neither diverged nor stayed at chance. */
export function diagnoseRun(run: RunSignals): Diagnosis | null {
  const all = [...run.loss, ...run.batchLoss];
  if (all.length === 0) return null;
  const chance = Math.log(run.classes);
  const bad = all.filter((x) => !Number.isFinite(x)).length;
  if (bad > 0 || !run.paramsFinite) {
    const what = bad > 0 ? `${bad} loss values are NaN or Infinity` : 'some weights are NaN or Infinity';
    return { kind: 'diverged', line: `the training diverged: ${what}; ${DIVERGED_CAUSES}` };
  }
  const curve = run.loss.length >= 2 ? run.loss : run.batchLoss;
  if (curve.length < 2) return null;
  const first = curve[0], last = curve[curve.length - 1];
  const flat = Math.abs(last - first) <= FLAT * first;
  if (last > first * (1 + RISING)) {
    return { kind: 'diverged', line: `the training diverged: the loss rose from ${fmt(first)} to ${fmt(last)} (a uniform guess scores ln ${run.classes} = ${fmt(chance)}); ${DIVERGED_CAUSES}` };
  }
  if (flat && last > chance * (1 + NEAR_CHANCE)) {
    return { kind: 'diverged', line: `the training diverged: the loss ends at ${fmt(last)}, worse than a uniform guess (ln ${run.classes} = ${fmt(chance)}), and does not come down; ${DIVERGED_CAUSES}` };
  }
  const nearChance = Math.abs(last - chance) <= NEAR_CHANCE * chance;
  const guessing = run.accuracy === undefined || run.accuracy <= 1 / run.classes + 0.1;
  if (flat && nearChance && guessing) {
    const acc = run.accuracy === undefined ? '' : `, and the test accuracy is ${run.accuracy.toFixed(3)} (guessing scores ${fmt(1 / run.classes)})`;
    return { kind: 'stuck', line: `the training is stuck at chance: the loss stays near ln ${run.classes} = ${fmt(chance)} (${fmt(first)} to ${fmt(last)})${acc}; nothing is learned: ${STUCK_CAUSES}` };
  }
  return null;
}
