/**
 * Tuning with the reference solution in this process. Instructor repository
 * only: the student release leaves this file out, and search.ts loads it by
 * path (common/instructor-module.ts) so the release never imports reference/.
 */
import { Random } from '../starter/provided/random.js';
import type { Network } from '../grader/evaluate.js';
import { allFinite } from '../grader/train-call.js';
import { trainMLP } from '../reference/train.js';
import { optionsOf, type Trainer } from './trainers.js';

const secondsSince = (started: number) => (performance.now() - started) / 1000;

/** The reference solution, in-process: the instructor repository's default, and the fastest. */
export function referenceTrainer(): Trainer {
  return {
    name: 'reference',
    async train(data, setting, seed, onEpoch) {
      const started = performance.now();
      const cpu = process.cpuUsage();
      const options = optionsOf(setting);
      const { params, history } = trainMLP(data, options, new Random(seed), { onEpoch: (epoch) => onEpoch?.(epoch + 1) });
      const network: Network = { ...params, activation: setting.activation, alpha: setting.alpha };
      const finite = history.loss.every(Number.isFinite) && allFinite(params);
      // the CPU time of every thread of this process: what the grader's one-threaded child would need
      const { user, system } = process.cpuUsage(cpu);
      return { ok: true, network, finite, seconds: secondsSince(started), limitTime: { clock: 'cpu', usedSec: (user + system) / 1e6 } };
    },
    close: async () => undefined,
  };
}
