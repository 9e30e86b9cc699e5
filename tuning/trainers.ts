/**
 * Who trains a trial: the student's own trainMLP in the grader's sandboxed
 * child (here), or the reference solution in this process (reference-trainer.ts,
 * instructor repository only). Either way the
 * returned network is measured by the grader's trusted forward pass, so a
 * tuned setting is judged the way the grader will judge it.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Dataset } from '../starter/provided/data/index.js';
import type { Network } from '../grader/evaluate.js';
import { STUDENT_MODULES } from '../grader/modules.js';
import { bundleSubmission, removeBundle } from '../grader/sandbox/bundle.js';
import { SubmissionRunner } from '../grader/sandbox/runner.js';
import { historyNumbers, runTrainMLP } from '../grader/train-call.js';
import { UsageError } from '../common/usage-error.js';
import type { Setting } from './space.js';

/** A run's time on the clock the grader's limit uses: CPU time (wall time where the OS does not give it). */
export interface LimitTime { clock: 'cpu' | 'wall'; usedSec: number }

/** A finished training run: the network, whether its loss stayed finite, its wall seconds and its time on the limit's clock. */
export type TrainOutcome =
  | { ok: true; network: Network; finite: boolean; seconds: number; limitTime: LimitTime }
  | { ok: false; status: string; problem: string; seconds: number; limitTime: LimitTime };

/** Trains one setting on one data set; `onEpoch` gets the 1-based epoch number. */
export interface Trainer {
  /** For the report: "reference" or the submission folder. */
  readonly name: string;
  train(data: Dataset, setting: Setting, seed: string, onEpoch?: (epoch: number) => void): Promise<TrainOutcome>;
  /** Frees what the trainer holds (the child process, the bundle). */
  close(): Promise<void>;
}

/** The training options of a setting: trainSize is a data matter, not an option of trainMLP. */
export function optionsOf(setting: Setting): Omit<Setting, 'trainSize'> {
  const { trainSize: _unused, ...options } = setting;
  return options;
}


/**
 * The student's trainMLP in the grader's sandbox (bundled from `dir`), each
 * call limited to `timeLimitSec` like a graded training part. Throws a one-line
 * error when the folder is not there or its train.ts does not build.
 */
export async function submissionTrainer(dir: string, timeLimitSec: number): Promise<Trainer> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new UsageError(`--submission ${dir}: not a folder; pass the folder holding the student's train.ts and config.json`);
  const bundle = await bundleSubmission(dir, [...STUDENT_MODULES]);
  const trainModule = bundle.modules['train.ts'];
  if (trainModule && !trainModule.ok) {
    await removeBundle(bundle);
    throw new Error(`${path.join(dir, 'train.ts')} does not build: ${trainModule.error}`);
  }
  let runner: SubmissionRunner;
  try {
    runner = await SubmissionRunner.start(bundle);
  } catch (cause) {
    await removeBundle(bundle);
    throw new Error(`cannot start the sandbox for ${dir}: ${(cause as Error).message}`, { cause });
  }
  return {
    name: dir,
    async train(data, setting, seed, onEpoch) {
      const run = await runTrainMLP(runner, data, optionsOf(setting), seed, timeLimitSec, (epoch) => onEpoch?.(epoch + 1));
      const limitTime: LimitTime = { clock: run.time.clock, usedSec: run.time.usedSec };
      if (!run.ok) return { ok: false, status: run.status, problem: run.line, seconds: run.seconds, limitTime };
      const finite = historyNumbers(run.history, 'loss').every(Number.isFinite) && run.paramsFinite;
      return { ok: true, network: run.network, finite, seconds: run.seconds, limitTime };
    },
    async close() {
      await runner.close();
      await removeBundle(bundle);
    },
  };
}
