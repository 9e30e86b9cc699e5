/**
 * `npm run train` with the reference solution, in this process. Instructor
 * repository only: the student release leaves this file out, and cli/train.ts
 * loads it by path (common/instructor-module.ts), so the release never imports reference/.
 */
import { Random } from '../starter/provided/random.js';
import { trainMLP } from '../reference/train.js';
import { startKernelThread } from './kernel-threads.js';
import type { TrainNetwork } from './train-run.js';

/**
 * The reference's trainMLP, with per-epoch validation accuracy; with threads 2 its matrix
 * products run on a second thread too (the same numbers; one thread where worker threads
 * or shared WebAssembly memory are missing).
 */
export function referenceTraining(threads: 1 | 2): TrainNetwork {
  return async (train, validation, hyper, onEpoch) => {
    const { seed, ...options } = hyper;
    const started = threads === 2 ? startKernelThread() : undefined;
    try {
      if (started) await started.ready;
      const { params, history } = trainMLP(train, options, new Random(seed), { validation, onEpoch });
      return { network: { ...params, activation: options.activation, alpha: options.alpha }, history };
    } finally {
      await started?.stop();
    }
  };
}
