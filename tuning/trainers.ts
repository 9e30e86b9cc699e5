/**
 * Who trains a trial: the reference solution in this process, or the
 * student's own trainMLP in the grader's sandboxed child. Either way the
 * returned network is measured by the grader's trusted forward pass, so a
 * tuned setting is judged the way the grader will judge it.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Random } from '../starter/provided/random.js';
import type { Dataset } from '../starter/provided/data/index.js';
import { trainMLP } from '../reference/train.js';
import { encode, type Encoded } from '../grader/codec.js';
import { readParams, type Network } from '../grader/evaluate.js';
import { STUDENT_MODULES } from '../grader/modules.js';
import { getPath } from '../grader/paths.js';
import { bundleSubmission, removeBundle } from '../grader/sandbox/bundle.js';
import { SubmissionRunner } from '../grader/sandbox/runner.js';
import { outcomeProblem } from '../grader/unit.js';
import { UsageError } from '../cli/args.js';
import type { Setting } from './space.js';

/** A finished training run: the network, and whether its loss stayed finite. */
export type TrainOutcome =
  | { ok: true; network: Network; finite: boolean; seconds: number }
  | { ok: false; status: string; problem: string; seconds: number };

/** Trains one setting on one data set; `onEpoch` gets the 1-based epoch number. */
export interface Trainer {
  /** For the report: "reference" or the submission folder. */
  readonly name: string;
  train(data: Dataset, setting: Setting, seed: string, onEpoch?: (epoch: number) => void): Promise<TrainOutcome>;
  /** Frees what the trainer holds (the child process, the bundle). */
  close(): Promise<void>;
}

/** The training options of a setting: trainSize is a data matter, not an option of trainMLP. */
function optionsOf(setting: Setting): Omit<Setting, 'trainSize'> {
  const { trainSize: _unused, ...options } = setting;
  return options;
}

const allFinite = (xs: ArrayLike<number>[]) => xs.every((x) => Array.prototype.every.call(x, Number.isFinite));
const secondsSince = (started: number) => (performance.now() - started) / 1000;

/** The reference solution, in-process: the default, and the fastest. */
export function referenceTrainer(): Trainer {
  return {
    name: 'reference',
    async train(data, setting, seed, onEpoch) {
      const started = performance.now();
      const options = optionsOf(setting);
      const { params, history } = trainMLP(data, options, new Random(seed), { onEpoch: (epoch) => onEpoch?.(epoch + 1) });
      const network: Network = { ...params, activation: setting.activation, alpha: setting.alpha };
      const finite = allFinite([history.loss, ...params.W.map((w) => w.data), ...params.b.map((b) => b.data)]);
      return { ok: true, network, finite, seconds: secondsSince(started) };
    },
    close: async () => undefined,
  };
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
  const encoded = new WeakMap<Dataset, Encoded>();
  const datasetArg = (d: Dataset): Encoded => {
    let e = encoded.get(d);
    if (!e) encoded.set(d, (e = { X: encode(d.X), y: d.y, classes: d.classes }));
    return e;
  };
  return {
    name: dir,
    async train(data, setting, seed, onEpoch) {
      const started = performance.now();
      const timeoutMs = timeLimitSec * 1000;
      let epochs = 0;
      const outcome = await runner.call('trainMLP', [datasetArg(data), optionsOf(setting) as unknown as Encoded, { $type: 'random', seed }, { onEpoch: { $type: 'progress' } }], {
        timeoutMs,
        onProgress: () => onEpoch?.(++epochs),
      });
      if (outcome.kind !== 'ok') {
        const { status, line } = outcomeProblem('trainMLP', outcome, timeoutMs);
        return { ok: false, status, problem: line, seconds: secondsSince(started) };
      }
      try {
        const params = readParams(getPath(outcome.value, 'params'), data.X.cols, data.classes);
        const loss = getPath(outcome.value, 'history.loss');
        const losses = Array.isArray(loss) ? loss.map((x) => (typeof x === 'number' ? x : NaN)) : [];
        const finite = allFinite([losses, ...params.W.map((w) => w.data), ...params.b.map((b) => b.data)]);
        return { ok: true, network: { ...params, activation: setting.activation, alpha: setting.alpha }, finite, seconds: secondsSince(started) };
      } catch (err) {
        return { ok: false, status: 'failed', problem: `trainMLP returned something the grader cannot use: ${(err as Error).message}`, seconds: secondsSince(started) };
      }
    },
    async close() {
      await runner.close();
      await removeBundle(bundle);
    },
  };
}
