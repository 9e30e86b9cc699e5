/**
 * `npm run train` with a student's own trainMLP, run in the grader's sandbox
 * exactly as a graded training part runs it (same bundle, same child, same
 * checks of the returned network).
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { STUDENT_MODULES } from '../grader/modules.js';
import { bundleSubmission, removeBundle } from '../grader/sandbox/bundle.js';
import { SubmissionRunner } from '../grader/sandbox/runner.js';
import { historyNumbers, runTrainMLP } from '../grader/train-call.js';
import { UsageError } from '../common/usage-error.js';
import type { TrainNetwork } from './train-run.js';

/** A training run here may take as long as one wants; this only stops a run that hangs forever (one day). */
const TIME_LIMIT_SEC = 24 * 3600;

/** The trainer for the submission in `dir` (the folder with train.ts and the other graded files). */
export function submissionTraining(dir: string): TrainNetwork {
  return async (train, validation, hyper, onEpoch) => {
    const info = await stat(dir).catch(() => undefined);
    if (!info?.isDirectory()) throw new UsageError(`--submission ${dir}: not a folder; pass the folder holding your train.ts`);
    const bundle = await bundleSubmission(dir, [...STUDENT_MODULES]);
    try {
      const trainModule = bundle.modules['train.ts'];
      if (trainModule && !trainModule.ok) throw new Error(`${path.join(dir, 'train.ts')} does not build: ${trainModule.error}`);
      const runner = await SubmissionRunner.start(bundle);
      try {
        const { seed, ...options } = hyper;
        const run = await runTrainMLP(runner, train, options, seed, TIME_LIMIT_SEC, onEpoch, validation);
        if (!run.ok) throw new Error(`your trainMLP (${path.join(dir, 'train.ts')}): ${run.line}`);
        const curve = (key: string) => historyNumbers(run.history, key);
        return { network: run.network, history: { loss: curve('loss'), batchLoss: curve('batchLoss'), trainAccuracy: curve('trainAccuracy'), valAccuracy: curve('valAccuracy') } };
      } finally {
        await runner.close();
      }
    } finally {
      await removeBundle(bundle);
    }
  };
}
