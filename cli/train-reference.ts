/**
 * `npm run train` with the reference solution, in this process. Instructor
 * repository only: the student release leaves this file out, and cli/train.ts
 * loads it by path (common/instructor-module.ts), so the release never imports reference/.
 */
import { Random } from '../starter/provided/random.js';
import { trainMLP } from '../reference/train.js';
import type { TrainNetwork } from './train-run.js';

/** The reference's trainMLP, with per-epoch validation accuracy. */
export const trainReference: TrainNetwork = async (train, validation, hyper, onEpoch) => {
  const { seed, ...options } = hyper;
  const { params, history } = trainMLP(train, options, new Random(seed), { validation, onEpoch });
  return { network: { ...params, activation: options.activation, alpha: options.alpha }, history };
};
