/**
 * `npm run train -- --dataset moons|mnist|cifar10 [options]`: trains a network
 * on a data set (the student's own with --submission DIR, in the sandbox;
 * otherwise the reference in the instructor repository, starter/ in the
 * student release), shows progress per epoch, measures the accuracies with the
 * grader's forward pass and writes the loss, accuracy and (moons)
 * decision-boundary plots.
 */
import './inspector-guard.js';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CIFAR10_CLASSES, loadDataset, splitDataset, type Dataset, type Split } from '../starter/provided/data/index.js';
import { boundaryGrid, confusionCounts, confusionMatrixSvg, decisionBoundarySvg, lineChart, pointsOf } from '../starter/provided/plot.js';
import type { Matrix } from '../starter/provided/matrix.js';
import { Random } from '../starter/provided/random.js';
import { accuracyOf, predictClasses, type Network } from '../grader/evaluate.js';
import { ROOT } from '../grader/root.js';
import { reportFailure } from '../common/flags.js';
import { hasInstructorModule, loadInstructorModule } from '../common/instructor-module.js';
import { UsageError } from '../common/usage-error.js';
import { createProgress } from './progress.js';
import { HELP, parseTrainArgs } from './train-args.js';
import { submissionTraining } from './train-submission.js';
import type { TrainNetwork } from './train-run.js';

const REFERENCE_TRAINING = 'cli/train-reference.ts';

/** Train and validation parts of the training set (validation empty when fraction is 0). */
function holdOut(train: Dataset, fraction: number, seed: string): { train: Dataset; validation?: Dataset } {
  if (fraction === 0) return { train };
  try {
    const split = splitDataset(train, fraction, new Random(`${seed}:val`));
    return { train: split.train, validation: split.test };
  } catch (cause) {
    throw new UsageError(`--val ${fraction}: ${(cause as Error).message}`, { cause });
  }
}

const seconds = (since: number) => (performance.now() - since) / 1000;

/** Predictions (the grader's forward pass) for a large set, 5,000 rows at a time, so 50,000 CIFAR-10 images never need one 50,000-row activation. */
function predictAll(network: Network, X: Matrix): number[] {
  const out: number[] = [];
  for (let start = 0; start < X.rows; start += 5000) {
    const rows = Array.from({ length: Math.min(5000, X.rows - start) }, (_, i) => start + i);
    out.push(...predictClasses(network, X.pickRows(rows)));
  }
  return out;
}

/**
 * Who trains: the submission in `dir`, else the reference where this repository has it (its
 * products on `threads` threads, by default two where the machine has two cores), else the
 * student's starter/.
 */
async function trainerFor(dir: string | undefined, threads: 1 | 2 | undefined): Promise<{ name: string; trainNetwork: TrainNetwork }> {
  if (dir === undefined && hasInstructorModule(REFERENCE_TRAINING)) {
    const { referenceTraining } = await loadInstructorModule<{ referenceTraining: (threads: 1 | 2) => TrainNetwork }>(REFERENCE_TRAINING, 'the reference solution is missing');
    const used = threads ?? (os.availableParallelism() >= 2 ? 2 : 1);
    return { name: `the reference solution (${used === 2 ? 'matrix products on two threads' : 'one thread'})`, trainNetwork: referenceTraining(used) };
  }
  const folder = dir ?? path.join(ROOT, 'starter');
  const name = `your trainMLP (${path.relative(process.cwd(), folder) || '.'})`;
  if (threads !== undefined) throw new UsageError(`--threads applies to the reference solution only: ${name} runs in the grader's sandbox, on one thread`);
  return { name, trainNetwork: submissionTraining(folder) };
}

async function main(argv: string[]): Promise<number> {
  const run = parseTrainArgs(argv);
  if (run === 'help') {
    console.log(HELP);
    return 0;
  }
  const { spec, hyper, out } = run;
  const trainer = await trainerFor(run.submission, run.threads);
  const started = performance.now();
  const data: Split = loadDataset(spec);
  const { train, validation } = holdOut(data.train, run.val, hyper.seed);
  const { test } = data;
  const loadSeconds = seconds(started);
  process.stderr.write(`${spec.name}: ${train.y.length} train${validation ? `, ${validation.y.length} validation` : ''}, ${test.y.length} test examples`
    + ` of ${train.X.cols} features, ${train.classes} classes (loaded in ${loadSeconds.toFixed(1)}s)\n`);
  process.stderr.write(`training ${trainer.name}: network ${[train.X.cols, ...hyper.hidden, train.classes].join('-')}, ${hyper.activation}, ${hyper.optimizer} lr ${hyper.lr}, batch ${hyper.batchSize}, ${hyper.epochs} epochs, seed ${hyper.seed}\n`);

  const progress = createProgress(process.stderr);
  let epochStart = performance.now();
  const trainStart = epochStart;
  let network: Network, history;
  try {
    ({ network, history } = await trainer.trainNetwork(train, validation, hyper, (epoch, h) => {
      progress.update({
        epoch: epoch + 1, epochs: hyper.epochs, loss: h.loss[epoch] ?? NaN, trainAccuracy: h.trainAccuracy?.[epoch],
        valAccuracy: h.valAccuracy?.[epoch], seconds: seconds(epochStart),
      });
      epochStart = performance.now();
    }));
  } finally {
    progress.done();
  }
  const trainSeconds = seconds(trainStart);

  const testPredicted = predictAll(network, test.X);
  const result = {
    train: accuracyOf(predictAll(network, train.X), train.y),
    validation: validation ? accuracyOf(predictAll(network, validation.X), validation.y) : undefined,
    test: accuracyOf(testPredicted, test.y),
  };
  console.log(`train accuracy ${result.train.toFixed(4)}`);
  if (result.validation !== undefined) console.log(`validation accuracy ${result.validation.toFixed(4)}`);
  console.log(`test accuracy ${result.test.toFixed(4)}`);

  const files: Record<string, string> = {};
  const perEpoch = history.batchLoss.length / Math.max(1, history.loss.length);
  files['loss.svg'] = lineChart({
    title: `${spec.name}: training loss`, xLabel: 'iteration (mini-batch)', yLabel: 'cross-entropy loss',
    series: [
      { name: 'batch loss', values: history.batchLoss },
      { name: 'epoch mean', values: history.loss, x: history.loss.map((_, e) => e * perEpoch + (perEpoch + 1) / 2) }, // mid-epoch
    ],
  });
  files['accuracy.svg'] = lineChart({
    title: `${spec.name}: accuracy per epoch`, xLabel: 'epoch', yLabel: 'accuracy',
    series: [
      { name: `train (first ${Math.min(1000, train.y.length)})`, values: history.trainAccuracy },
      ...(validation ? [{ name: 'validation', values: history.valAccuracy }] : []),
    ],
  });
  const labels = spec.name === 'cifar10' ? [...CIFAR10_CLASSES] : undefined;
  files['confusion.svg'] = confusionMatrixSvg(confusionCounts(testPredicted, test.y, test.classes), labels, `${spec.name}: test set (accuracy ${result.test.toFixed(3)})`);
  if (spec.name === 'moons') {
    const grid = boundaryGrid((X) => predictClasses(network, X), pointsOf(test.X, test.y));
    const layers = hyper.hidden.length ? `${[2, ...hyper.hidden, 2].join('-')} ${hyper.activation}` : 'no hidden layer';
    files['boundary.svg'] = decisionBoundarySvg(grid, `moons, ${layers}: test accuracy ${result.test.toFixed(3)}`);
  }
  files['summary.json'] = `${JSON.stringify({
    dataset: spec,
    options: { ...hyper, val: run.val },
    examples: { train: train.y.length, validation: validation?.y.length ?? 0, test: test.y.length },
    accuracy: result,
    history: { loss: history.loss, trainAccuracy: history.trainAccuracy, valAccuracy: history.valAccuracy },
    seconds: { load: loadSeconds, train: trainSeconds, total: seconds(started) },
  }, null, 2)}\n`;

  try {
    await mkdir(out, { recursive: true });
    for (const [name, text] of Object.entries(files)) await writeFile(path.join(out, name), text);
  } catch (cause) {
    throw new Error(`cannot write to ${out} (${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}) — pass a writable folder with --out`, { cause });
  }
  process.stderr.write(`wrote ${Object.keys(files).map((f) => path.join(out, f)).join(', ')}\n`);
  return 0;
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err: unknown) => {
  process.exitCode = reportFailure('train', err);
});
