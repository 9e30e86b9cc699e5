/**
 * The search itself: load the grader's data for the data set, hold out a
 * validation split of its training set, train every setting on the rest and
 * score it on the validation split (never the test set), rank, and train the
 * best setting once more on the whole training set to report its test accuracy.
 */
import path from 'node:path';
import { loadDataset, splitDataset, type Dataset, type DatasetSpec } from '../starter/provided/data/index.js';
import { Random } from '../starter/provided/random.js';
import { accuracyOf, predictClasses } from '../grader/evaluate.js';
import { loadFixtures } from '../grader/fixtures/load.js';
import { ROOT } from '../grader/root.js';
import type { TrainingSpec } from '../grader/fixtures/types.generated.js';
import { UsageError } from '../common/usage-error.js';
import { searchSettings, type DatasetName, type SearchSpace, type Setting } from './space.js';
import { hasInstructorModule, loadInstructorModule } from '../common/instructor-module.js';
import { submissionTrainer, type LimitTime, type Trainer } from './trainers.js';

/** Everything a tuning run needs; the CLI builds it from the command line. */
export interface TuneRequest {
  dataset: DatasetName;
  /** mnist: a folder of IDX files (default: the embedded digits); cifar10 (required): the binary version, folder or .tar.gz. */
  data?: string;
  search: 'grid' | 'random';
  /** At most this many trials. */
  trials: number;
  space: SearchSpace;
  /** Seeds the draws, the validation split and every trial's training. */
  seed: string;
  /** Share of the training set held out for validation, in (0, 1). */
  val: number;
  /** Wall time after which no new trial starts (the final run still does). */
  budgetSec?: number;
  /** A student's folder: trials run its trainMLP in the sandbox; default the reference in-process. */
  submission?: string;
}

/** One trial: its setting and how it did on the validation split. */
export interface TrialResult {
  /** 1-based, in the order the trials ran. */
  trial: number;
  setting: Setting;
  /** 'ok', 'diverged' (NaN or Infinity in the loss or weights), or why trainMLP gave no network (timeout, crashed, ...). */
  status: string;
  /** NaN when there is no network. */
  valAccuracy: number;
  seconds: number;
  problem?: string;
}

/** What a run reports as it goes (the CLI draws progress from it). */
export type TuneEvent =
  | { type: 'start'; examples: { train: number; validation: number; test: number }; trials: number; gridSize?: number; trainer: string }
  | { type: 'trial-start'; trial: number; of: number; setting: Setting }
  | { type: 'epoch'; epoch: number; epochs: number }
  | { type: 'trial-end'; result: TrialResult; of: number }
  | { type: 'budget'; ran: number; of: number; budgetSec: number }
  | { type: 'final-start'; setting: Setting }
  | { type: 'final-end'; seconds: number };

/** The outcome: every trial, the ranking, and the best setting's test accuracy. */
export interface TuneResult {
  dataset: DatasetName;
  /** The data as the grader's public part describes it (plus the given path). */
  spec: DatasetSpec;
  examples: { train: number; validation: number; test: number };
  trainer: string;
  /** In the order they ran. */
  trials: TrialResult[];
  /** Best first: validation accuracy, then time; failed trials last. */
  ranked: TrialResult[];
  /** The best finished trial (undefined when none finished). */
  best?: TrialResult;
  /** The best setting trained on the whole training set (with the grader's seed for the part) and scored on the test set. */
  /** The best setting trained on the whole training set: wall seconds, and its time on the clock of the grader's limit. */
  final?: { testAccuracy: number; seconds: number; limitTime: LimitTime } | { problem: string; seconds: number; limitTime: LimitTime };
  /** The grader's bar for this data set (fixtures/train_<dataset>.json). */
  threshold: number;
  /** How long the grader lets trainMLP run for this data set. */
  timeLimitSec: number;
  gridSize?: number;
  /** True when --budget stopped the search before every trial ran. */
  stoppedByBudget: boolean;
  seconds: number;
}

/** Best first: finished trials by validation accuracy (higher), then time (shorter), then order. */
export function rankTrials(trials: readonly TrialResult[]): TrialResult[] {
  const usable = (t: TrialResult) => (t.status === 'ok' ? 0 : t.status === 'diverged' ? 1 : 2);
  return [...trials].sort((a, b) => usable(a) - usable(b)
    || (Number.isNaN(a.valAccuracy) ? 0 : b.valAccuracy - a.valAccuracy)
    || a.seconds - b.seconds || a.trial - b.trial);
}

/** The grader's public training part for the data set: its data, seed, time limit and threshold. */
async function gradedPart(dataset: DatasetName): Promise<{ id: string; training: TrainingSpec }> {
  const id = `train_${dataset}`;
  const [part] = (await loadFixtures(undefined, [id])).parts;
  if (!part.training) throw new Error(`fixtures: part ${id} has no training section; regenerate with: npm run fixtures`);
  return { id, training: part.training };
}

/** The part's data spec with the user's path and the space's trainSize filled in. */
function dataSpec(spec: DatasetSpec, request: TuneRequest): DatasetSpec {
  const trainSize = request.space.trainSize;
  if (spec.name === 'cifar10') {
    if (!request.data) throw new UsageError('cifar10 needs --data PATH (the CIFAR-10 binary version, its folder or cifar-10-binary.tar.gz)');
    return { ...spec, path: request.data, trainSize };
  }
  if (spec.name === 'mnist') return { ...spec, ...(request.data ? { path: request.data } : {}), trainSize };
  return spec;
}

const secondsSince = (started: number) => (performance.now() - started) / 1000;

const REFERENCE_TRAINER = 'tuning/reference-trainer.ts';

/** The reference trainer, which only the instructor repository has (the student release tunes starter/ by default). */
async function referenceTrainer(): Promise<Trainer> {
  const { referenceTrainer: load } = await loadInstructorModule<{ referenceTrainer: () => Trainer }>(REFERENCE_TRAINER, 'the reference solution is missing');
  return load();
}

/** Trains one setting and scores it on `score` with the grader's forward pass. */
async function runOne(trainer: Trainer, train: Dataset, score: Dataset, setting: Setting, seed: string, emit: (e: TuneEvent) => void) {
  const outcome = await trainer.train(train, setting, seed, (epoch) => emit({ type: 'epoch', epoch, epochs: setting.epochs }));
  const { seconds, limitTime } = outcome;
  if (!outcome.ok) return { status: outcome.status, accuracy: NaN, seconds, limitTime, problem: outcome.problem };
  const accuracy = accuracyOf(predictClasses(outcome.network, score.X), score.y);
  return { status: outcome.finite ? 'ok' : 'diverged', accuracy, seconds, limitTime, problem: undefined };
}

/**
 * Runs a tuning search end to end (see the module comment). Throws a
 * UsageError for a bad request and a one-line Error for data it cannot load.
 */
export async function tune(request: TuneRequest, emit: (e: TuneEvent) => void = () => undefined): Promise<TuneResult> {
  const started = performance.now();
  const part = await gradedPart(request.dataset);
  const spec = dataSpec(part.training.dataset as DatasetSpec, request);
  const trainer = request.submission === undefined && hasInstructorModule(REFERENCE_TRAINER) ? await referenceTrainer()
    : await submissionTrainer(request.submission ?? path.join(ROOT, 'starter'), part.training.timeLimitSec);
  try {
    return await search(request, part, spec, trainer, started, emit);
  } finally {
    await trainer.close();
  }
}

/** The search proper, with the trainer ready (tune closes it). */
async function search(request: TuneRequest, part: { id: string; training: TrainingSpec }, spec: DatasetSpec, trainer: Trainer, started: number, emit: (e: TuneEvent) => void): Promise<TuneResult> {
  const data = loadDataset(spec);
  let fit: Dataset, validation: Dataset;
  try {
    ({ train: fit, test: validation } = splitDataset(data.train, request.val, new Random(`${request.seed}:val`)));
  } catch (cause) {
    throw new UsageError(`--val ${request.val}: ${(cause as Error).message}`, { cause });
  }
  const { settings, gridSize } = searchSettings(request.space, request.search, request.trials, new Random(`${request.seed}:search`));
  const examples = { train: fit.y.length, validation: validation.y.length, test: data.test.y.length };
  emit({ type: 'start', examples, trials: settings.length, gridSize, trainer: trainer.name });

  const trials: TrialResult[] = [];
  let stoppedByBudget = false;
  let final: TuneResult['final'];
  for (const [i, setting] of settings.entries()) {
    if (request.budgetSec !== undefined && secondsSince(started) >= request.budgetSec) {
      stoppedByBudget = true;
      emit({ type: 'budget', ran: i, of: settings.length, budgetSec: request.budgetSec });
      break;
    }
    emit({ type: 'trial-start', trial: i + 1, of: settings.length, setting });
    const run = await runOne(trainer, fit, validation, setting, `${request.seed}:trial`, emit);
    const result: TrialResult = { trial: i + 1, setting, status: run.status, valAccuracy: run.accuracy, seconds: run.seconds, ...(run.problem ? { problem: run.problem } : {}) };
    trials.push(result);
    emit({ type: 'trial-end', result, of: settings.length });
  }
  const ranked = rankTrials(trials);
  const best = ranked[0]?.status === 'ok' ? ranked[0] : undefined;
  if (best) {
    emit({ type: 'final-start', setting: best.setting });
    const run = await runOne(trainer, data.train, data.test, best.setting, part.training.seed ?? part.id, emit);
    final = run.status === 'ok' ? { testAccuracy: run.accuracy, seconds: run.seconds, limitTime: run.limitTime }
      : { problem: run.problem ?? 'the loss or the weights became NaN or Infinity', seconds: run.seconds, limitTime: run.limitTime };
    emit({ type: 'final-end', seconds: run.seconds });
  }
  return {
    dataset: request.dataset, spec, examples, trainer: trainer.name, trials, ranked, best, final,
    threshold: part.training.threshold, timeLimitSec: part.training.timeLimitSec, gridSize, stoppedByBudget, seconds: secondsSince(started),
  };
}
