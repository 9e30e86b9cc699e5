/**
 * Grades a training part: the student's own trainMLP runs in the child under
 * a time limit, the grader measures the returned network on held-out data with
 * its own forward pass, and behaviour checks (loss goes down, a tiny batch is
 * overfitted, no NaN) earn their own points.
 */
import { Matrix } from '../starter/provided/matrix.js';
import { boundaryGrid, confusionCounts, pointsOf } from '../starter/provided/plot.js';
import { Random } from '../starter/provided/random.js';
import { loadDataset, type Dataset, type DatasetSpec, type Split } from '../starter/provided/data/index.js';
import { checkpointProblem } from './checkpoints.js';
import type { Encoded } from './codec.js';
import { readStudentConfig } from './config.js';
import { accuracyOf, meanLoss, predictClasses, type Network } from './evaluate.js';
import type { FixturePart, Hyperparameters, TrainingSpec } from './fixtures/types.generated.js';
import type { CaseResult, CaseStatus, Curve, PartArtifacts, PartResult, TrainingMeasures } from './results.js';
import type { SubmissionRunner } from './sandbox/runner.js';
import { partStatus, sumScores } from './status.js';
import { historyNumbers, runTrainMLP, timeNotes, type ProgressHistory, type TrainCall, type TrainCallFailure, type TrainSettings } from './train-call.js';
import { diagnoseRun, type Diagnosis } from './training-diagnosis.js';

export interface TrainingContext {
  /** Paths of real data: a directory of MNIST IDX files, the CIFAR-10 binary version (directory or .tar.gz). */
  data: { mnist?: string; cifar10?: string };
  /** The submission directory (for config.json). */
  submission: string;
  /** Called after each epoch of a part's main run with the loss history as numbers only (a submission's odd values read NaN). */
  onProgress?: (partId: string, epoch: number, history: ProgressHistory) => void;
  /**
   * A second child of the same submission (grade.ts's other lane), resolved once it is free and set
   * to this part's visibility: the smaller runs (overfit_tiny, keeps_pairs) go there when it is free
   * before the main run ends, instead of after the main run in the same child. Verdicts are the same.
   */
  sideRunner?: () => Promise<SubmissionRunner>;
}

type Check = TrainingSpec['checks'][number];

const CIFAR_HELP = 'CIFAR-10 data not given: download the binary version (cifar-10-binary.tar.gz) and pass --cifar10 PATH (the .tar.gz or its folder) or set CIFAR10_PATH';

/** How many training examples the parent measures the returned network's loss on. */
const LOSS_SAMPLE = 2000;

/** The data set spec with the user's paths filled in, or the reason it cannot run. */
export function resolveDataset(spec: DatasetSpec, data: TrainingContext['data']): DatasetSpec | { notRun: string } {
  if (spec.name === 'cifar10') return data.cifar10 ? { ...spec, path: data.cifar10 } : { notRun: CIFAR_HELP };
  if (spec.name === 'mnist' && data.mnist) return { ...spec, path: data.mnist };
  return spec;
}

function mean(xs: number[]): number {
  return xs.reduce((s, x) => s + x, 0) / xs.length;
}

/** The main run as the history checks see it: what came back, what it should hold, and the loss the grader measured. */
interface MainRun {
  history: Encoded | undefined;
  paramsFinite: boolean;
  epochs: number;
  /** epochs x ceil(N / batchSize): one loss per mini-batch. */
  batches: number;
  /** Mean training loss of the returned network on the first (up to) 2,000 training examples, measured by the grader. */
  measuredLoss: number;
  measuredOn: number;
  classes: number;
}

/** Stuck at chance or diverged, read from a run's history (and its test accuracy when measured). */
function diagnosis(run: MainRun, accuracy?: number): Diagnosis | null {
  return diagnoseRun({
    loss: historyNumbers(run.history, 'loss'), batchLoss: historyNumbers(run.history, 'batchLoss'),
    classes: run.classes, paramsFinite: run.paramsFinite, accuracy,
  });
}

/** Why the history cannot be read as this run's (wrong lengths), or null. */
function historyProblem(run: MainRun, loss: number[], batchLoss: number[]): string | null {
  if (loss.length === 0 && batchLoss.length === 0) return 'history.loss and history.batchLoss are empty: record the loss of every batch and epoch';
  if (loss.length !== run.epochs) return `history.loss has ${loss.length} entries for ${run.epochs} epochs: record one mean loss per epoch`;
  if (batchLoss.length !== run.batches) {
    return `history.batchLoss has ${batchLoss.length} entries, expected ${run.batches} (${run.epochs} epochs x ${run.batches / run.epochs} batches, the last one of each epoch smaller when batchSize does not divide N): record the loss of every mini-batch`;
  }
  return null;
}

/** Pass/fail and feedback of one behaviour check on a finished run. */
function judgeCheck(check: Check, run: MainRun): { ok: boolean; line: string } {
  const loss = historyNumbers(run.history, 'loss');
  const batchLoss = historyNumbers(run.history, 'batchLoss');
  const problem = historyProblem(run, loss, batchLoss);
  if (problem) return { ok: false, line: problem };
  switch (check.id) {
    case 'finite_history': {
      const bad = [...loss, ...batchLoss].filter((x) => !Number.isFinite(x)).length;
      if (bad || !run.paramsFinite) {
        return { ok: false, line: `${bad} loss values${run.paramsFinite ? '' : ' and some parameters'} are NaN or Infinity: ${diagnosis(run)?.line ?? 'the training diverged'}` };
      }
      return { ok: true, line: '' };
    }
    case 'loss_decreases': {
      const last = loss[loss.length - 1];
      if (Number.isFinite(run.measuredLoss) && last < 0.5 * run.measuredLoss - 0.05) {
        return { ok: false, line: `the loss history does not match the returned network: the last epoch's loss is ${last.toFixed(4)}, but the returned parameters have a training loss of ${run.measuredLoss.toFixed(4)} on the first ${run.measuredOn} training examples (record the losses mlpLoss computes, and return the parameters you trained)` };
      }
      if (loss.length < 2 && batchLoss.length < 8) return { ok: false, line: 'too little history to see the loss go down: train for more epochs or with smaller batches' };
      const q = Math.max(1, Math.floor(batchLoss.length / 4));
      const batchDown = batchLoss.length >= 8 ? mean(batchLoss.slice(-q)) < mean(batchLoss.slice(0, q)) : true;
      const epochDown = loss.length >= 2 ? last < loss[0] : true;
      if (batchDown && epochDown) return { ok: true, line: '' };
      const why = diagnosis(run);
      return { ok: false, line: `the loss does not go down: first epoch ${loss[0].toFixed(4)}, last epoch ${last.toFixed(4)}${why ? `: ${why.line}` : ' (is the update w - lr * dw, with a minus?)'}` };
    }
    default:
      return { ok: false, line: `unknown check ${check.id}` };
  }
}

/** The main run measured: the history checks compare what it reports with the loss of what it returned. */
function measureMain(run: TrainCall, train: Dataset, options: TrainSettings): MainRun {
  const sample = firstExamples(train, LOSS_SAMPLE);
  return {
    history: run.history, paramsFinite: run.paramsFinite, epochs: options.epochs,
    batches: options.epochs * Math.ceil(train.X.rows / options.batchSize),
    measuredLoss: meanLoss(run.network, sample.X, sample.y, options), measuredOn: sample.y.length, classes: train.classes,
  };
}

/** The hyperparameters of the main run: fixed by the part, or the student's own from config.json. */
async function chooseOptions(spec: TrainingSpec, submission: string): Promise<{ options: TrainSettings; trainSize?: number }> {
  if (spec.hyperparameters !== 'config') return { options: spec.hyperparameters };
  const config = await readStudentConfig(submission);
  const key = spec.configKey ?? spec.dataset.name;
  const chosen: Hyperparameters | undefined = config[key];
  if (!chosen) throw new Error(`config.json has no "${key}" entry: add your hyperparameters for this part (npm run tune -- --dataset ${key} --write-config fills it in)`);
  const { trainSize, ...options } = chosen;
  return { options, trainSize };
}

function caseResult(check: Check, maxScore: number, status: CaseStatus, feedback: string[], timeMs: number): CaseResult {
  return { id: check.id, name: check.name, status, score: status === 'passed' ? maxScore : 0, maxScore, feedback, hints: [], timeMs };
}

/**
 * The follows_reference verdict of a finished main run: null when the part has
 * no checkpoints. They were recorded on the data set of the spec, so with other
 * data (real MNIST files from --mnist) they cannot be checked and the verdict is not_run.
 */
function followsReference(spec: TrainingSpec, run: TrainCall, resolved: DatasetSpec): { status: CaseStatus; line: string } | null {
  if (!spec.checkpoints) return null;
  if ('path' in resolved && resolved.path) {
    return { status: 'not_run', line: 'not run: the checkpoints were recorded on the embedded digits, and this grade trains on the data given with --mnist; grade without --mnist to check them' };
  }
  const problem = checkpointProblem(spec.checkpoints, historyNumbers(run.history, 'batchLoss'), run.network);
  return problem ? { status: 'failed', line: `the scored run does not follow the documented training: ${problem}` } : { status: 'passed', line: '' };
}

/** The first n training examples: the set a working trainMLP must fit perfectly. */
function firstExamples(train: Dataset, n: number): Dataset {
  const idx = Array.from({ length: Math.min(n, train.X.rows) }, (_, i) => i);
  return { X: train.X.pickRows(idx), y: idx.map((i) => train.y[i]), classes: train.classes };
}

/**
 * n one-hot inputs with n different labels: with batch size 1 each input's weights learn only
 * from the label it is paired with, so a loop that shuffles X without y predicts the wrong labels.
 */
function oneHotPairs(n: number, seed: string): Dataset {
  const X = new Matrix(n, n);
  for (let i = 0; i < n; i++) X.set(i, i, 1);
  return { X, y: new Random(seed).permutation(n), classes: n };
}

/**
 * Feedback of a failed keeps_pairs run. Blaming the shuffle only makes sense
 * when the network demonstrably learns elsewhere (overfit_tiny passed, or the
 * main run's loss went down); otherwise the backward pass or the update is the suspect.
 */
function keepsPairsLine(right: number, n: number, learns: boolean): string {
  const what = `trained with batch size 1 on ${n} one-hot inputs, each of its own class, only ${right} end up predicting their own label`;
  return learns
    ? `${what}: shuffle X and y with the same permutation`
    : `${what}: the network did not learn even on one-hot inputs (nor does its loss go down elsewhere), so check the backward pass and the update before the shuffling`;
}

/** The decision regions of a 2-D classifier around the test points, sampled by the provided plot helper. */
function boundaryArtifact(net: Network, test: Dataset, resolution = 60): PartArtifacts['boundary'] {
  return boundaryGrid((X) => predictClasses(net, X), pointsOf(test.X, test.y), resolution);
}

/** The part's measures for the reports: accuracy against threshold, and the main run's time against its limit. */
function measures(spec: TrainingSpec, main: TrainCall | TrainCallFailure | null, accuracy: number | undefined): TrainingMeasures {
  const base = { ...(accuracy === undefined ? {} : { accuracy }), threshold: spec.threshold, limitSec: spec.timeLimitSec };
  if (!main) return { ...base, notes: [] };
  const t = main.time;
  const ms = (sec: number) => Math.round(sec * 1000) / 1000;
  const notes = timeNotes(t, !main.ok && main.status === 'timeout');
  // an accuracy part grades what the run reached, on the grader's own copy of the data: the contract is
  // enforced by train_loop's exact runs, which lose their cases; here it is a warning
  if (main.ok && main.modifiedInput) notes.unshift(`warning: ${main.modifiedInput}. No points are taken here (the grader trains on its own copy), but the exact runs of train_loop lose theirs for it`);
  return { ...base, clock: t.clock, usedSec: ms(t.usedSec), wallSec: ms(t.wallSec), notes };
}

/** Each check's points: the part's points shared by the checks' weights. */
function checkShare(part: FixturePart): (c: Check) => number {
  const totalWeight = part.training!.checks.reduce((s, c) => s + c.weight, 0);
  return (c) => (totalWeight ? (part.points * c.weight) / totalWeight : 0);
}

/** A training part's result when none of its runs took place: every check gets `status` and the reason. */
function notRunPart(part: FixturePart, reason: string, status: CaseStatus = 'not_run'): PartResult {
  const spec = part.training!;
  const share = checkShare(part);
  const cases = spec.checks.map((c) => caseResult(c, share(c), status, [reason], 0));
  return {
    id: part.id, title: part.title, visibility: part.visibility, maxScore: part.points, timeMs: 0, output: '',
    status: partStatus(cases), score: 0, cases, notRunReason: status === 'not_run' ? reason : undefined, training: measures(spec, null, undefined),
  };
}

/**
 * The result of a training part whose data set this run does not have (CIFAR-10 without
 * --cifar10), or undefined when it has it: the same whether or not there was time to run it.
 */
export function partWithoutData(part: FixturePart, data: TrainingContext['data']): PartResult | undefined {
  const resolved = resolveDataset(part.training!.dataset, data);
  return 'notRun' in resolved ? notRunPart(part, resolved.notRun) : undefined;
}

export async function gradeTrainingPart(runner: SubmissionRunner, part: FixturePart, ctx: TrainingContext): Promise<PartResult> {
  const spec = part.training!;
  const share = checkShare(part);
  const notRun = (reason: string, status: CaseStatus = 'not_run') => notRunPart(part, reason, status);

  const resolved = resolveDataset(spec.dataset, ctx.data);
  if ('notRun' in resolved) return notRun(resolved.notRun);
  // a bad config.json costs only the checks that use it: the small runs have settings of their own
  let chosen: { options: TrainSettings; trainSize?: number } | undefined;
  let configError: string | undefined;
  try {
    chosen = await chooseOptions(spec, ctx.submission);
  } catch (err) {
    configError = (err as Error).message;
  }
  let split: Split;
  try {
    split = loadDataset(chosen?.trainSize ? { ...resolved, trainSize: chosen.trainSize } as DatasetSpec : resolved);
  } catch (err) {
    return notRun((err as Error).message, 'error');
  }

  const cases: CaseResult[] = [];
  const artifacts: PartArtifacts = { threshold: spec.threshold };
  const seed = spec.seed ?? part.id;
  const options = chosen?.options;
  const mainRun = options ? runTrainMLP(runner, split.train, options, seed, spec.timeLimitSec, (epoch, h) => ctx.onProgress?.(part.id, epoch, h)) : Promise.resolve(null);
  const side = smallRuns(spec, split.train, options, seed, runner, mainRun, ctx.sideRunner);
  const main = await mainRun;
  const measured = main?.ok ? measureMain(main, split.train, options!) : null;
  const mainLearned = measured !== null && judgeCheck({ id: 'loss_decreases', name: '', weight: 1 }, measured).ok;
  const followed = main?.ok ? followsReference(spec, main, resolved) : null;
  let overfitPassed = false;
  for (const check of spec.checks) {
    const started = performance.now();
    if (check.id === 'overfit_tiny' || check.id === 'keeps_pairs') {
      if (main && !main.ok && main.status === 'timeout') {
        cases.push(caseResult(check, share(check), 'not_run', [`not run: the main training run timed out (${spec.timeLimitSec} s), so this smaller run was skipped`], 0));
        continue;
      }
      const small = await side.get(check.id);
      if (!small) {
        cases.push(caseResult(check, share(check), 'error', [configError!], 0));
        continue;
      }
      const { run, data, settings } = small;
      if (!run.ok) {
        cases.push(caseResult(check, share(check), run.status, [run.line], performance.now() - started));
        continue;
      }
      const right = accuracyOf(predictClasses(run.network, data.X), data.y) * data.y.length;
      const ok = right === data.y.length;
      if (check.id === 'overfit_tiny') overfitPassed = ok;
      const line = check.id === 'overfit_tiny'
        ? `trained on ${data.y.length} examples for ${settings.epochs} epochs, the network gets only ${right} of them right; a correct backward pass and update fit a tiny set perfectly`
        : keepsPairsLine(right, data.y.length, overfitPassed || mainLearned);
      cases.push(caseResult(check, share(check), ok ? 'passed' : 'failed', ok ? [] : [line], performance.now() - started));
      continue;
    }
    if (!main) {
      cases.push(caseResult(check, share(check), 'error', [configError!], 0));
      continue;
    }
    if (!main.ok) {
      cases.push(caseResult(check, share(check), main.status, [main.line], 0));
      continue;
    }
    if (check.id === 'follows_reference') {
      const verdict = followed ?? { status: 'error' as const, line: 'this part has no checkpoints: rebuild the fixtures (npm run fixtures)' };
      cases.push(caseResult(check, share(check), verdict.status, verdict.line ? [verdict.line] : [], 0));
      continue;
    }
    if (check.id === 'accuracy') {
      const predicted = predictClasses(main.network, split.test.X);
      const acc = accuracyOf(predicted, split.test.y);
      artifacts.accuracy = acc;
      if (split.test.classes > 2) artifacts.confusion = confusionCounts(predicted, split.test.y, split.test.classes);
      if (split.test.X.cols === 2) artifacts.boundary = boundaryArtifact(main.network, split.test);
      const ok = acc >= spec.threshold;
      if (ok && followed?.status === 'failed') {
        cases.push(caseResult(check, share(check), 'failed', [`test accuracy ${acc.toFixed(4)} reaches the threshold ${spec.threshold} but is not credited: only a network reached by the documented training earns it, and this run does not follow the reference's checkpoints (see follows_reference)`], 0));
        continue;
      }
      const why = ok ? null : diagnosis(measured!, acc);
      cases.push(caseResult(check, share(check), ok ? 'passed' : 'failed',
        ok ? [] : [`test accuracy ${acc.toFixed(4)} is below the threshold ${spec.threshold} (the reference reaches ${spec.referenceAccuracy ?? 'n/a'}) after ${main.seconds.toFixed(1)} s of training`, ...(why ? [why.line] : [])],
        0));
      continue;
    }
    const verdict = judgeCheck(check, measured!);
    cases.push(caseResult(check, share(check), verdict.ok ? 'passed' : 'failed', verdict.ok ? [] : [verdict.line], 0));
  }
  if (main?.ok) {
    const curves: Curve[] = [];
    for (const key of ['loss', 'batchLoss', 'trainAccuracy', 'valAccuracy']) {
      const values = historyNumbers(main.history, key);
      if (values.length) curves.push({ name: key, values });
    }
    artifacts.curves = curves;
  }
  const base = { id: part.id, title: part.title, visibility: part.visibility, maxScore: part.points, timeMs: 0 };
  return { ...base, output: await side.output(), status: partStatus(cases), score: sumScores(cases.map((c) => c.score)), cases, artifacts, training: measures(spec, main, artifacts.accuracy) };
}

/** A smaller run of a training part: its data, its settings and what came back. */
interface SmallRun { data: Dataset; settings: TrainSettings; run: TrainCall | TrainCallFailure }

/** The smaller runs of a part under way: each one's result by check id (undefined without settings), and what the side child printed during them. */
interface SmallRuns { get(id: string): Promise<SmallRun | undefined>; output(): Promise<string> }

/**
 * Starts the part's smaller runs (overfit_tiny, keeps_pairs), one after the other, in the child
 * that is free first: the side runner when it comes before the main run ends, else the main
 * runner once the main run is done (as a serial grade runs them). After a main run that timed out
 * no smaller run starts; one that had already started on the side runner is awaited, and the check
 * loop reports it not run, as the serial grade does.
 */
function smallRuns(spec: TrainingSpec, train: Dataset, options: TrainSettings | undefined, seed: string, runner: SubmissionRunner,
  mainRun: Promise<TrainCall | TrainCallFailure | null>, sideRunner: TrainingContext['sideRunner']): SmallRuns {
  let mainTimedOut = false;
  const mainDone = mainRun.then((main) => {
    mainTimedOut = main !== null && !main.ok && main.status === 'timeout';
    return { on: runner, side: false };
  });
  const checks = spec.checks.filter((c) => c.id === 'overfit_tiny' || c.id === 'keeps_pairs');
  // a side child that cannot be had (its lane failed to start one) leaves the runs to the main child
  const chosen = checks.length === 0 || !sideRunner ? mainDone
    : Promise.race([mainDone, sideRunner().then((on) => ({ on, side: true }), () => mainDone)]);
  // the main run's failure is the caller's to report
  chosen.catch(() => undefined);
  const results = new Map<string, Promise<SmallRun | undefined>>();
  let previous: Promise<unknown> = chosen;
  for (const check of checks) {
    const settings = check.hyperparameters ?? options;
    const result = previous.then(async () => {
      const { on } = await chosen;
      if (!settings || mainTimedOut) return undefined;
      const data = check.id === 'overfit_tiny' ? firstExamples(train, check.samples ?? 20) : oneHotPairs(check.samples ?? 10, `${seed}:pairs`);
      return { data, settings, run: await runTrainMLP(on, data, settings, `${seed}:${check.id}`, check.timeLimitSec ?? spec.timeLimitSec) };
    });
    // awaited by the check loop; when the part fails before that, its rejection is not an unhandled one
    result.catch(() => undefined);
    results.set(check.id, result);
    previous = result;
  }
  return {
    get: (id) => results.get(id) ?? Promise.resolve(undefined),
    output: async () => {
      await previous.catch(() => undefined);
      const { on, side } = await chosen;
      return side ? on.takeOutput() : '';
    },
  };
}
