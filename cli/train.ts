/**
 * `npm run train -- --dataset moons|mnist|cifar10 [options]`: trains the
 * reference network on a data set, shows progress per epoch, prints the final
 * accuracies and writes the loss, accuracy and (moons) decision-boundary plots.
 */
import './inspector-guard.js';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CIFAR10_CLASSES, loadDataset, splitDataset, type Dataset, type Split } from '../starter/provided/data/index.js';
import { boundaryGrid, confusionCounts, confusionMatrixSvg, decisionBoundarySvg, lineChart, pointsOf } from '../starter/provided/plot.js';
import type { Matrix } from '../starter/provided/matrix.js';
import { Random } from '../starter/provided/random.js';
import type { NetworkOptions, Params } from '../reference/network.js';
import { UsageError, importReference, reportFailure } from './args.js';
import { createProgress } from './progress.js';
import { HELP, parseTrainArgs } from './train-args.js';

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

type Predict = (params: Params, X: Matrix, options: NetworkOptions) => number[];

/** Predictions for a large set, 5,000 rows at a time, so 50,000 CIFAR-10 images never need one 50,000-row activation. */
function predictAll(predict: Predict, params: Params, X: Matrix, options: NetworkOptions): number[] {
  const out: number[] = [];
  for (let start = 0; start < X.rows; start += 5000) {
    const rows = Array.from({ length: Math.min(5000, X.rows - start) }, (_, i) => start + i);
    out.push(...predict(params, X.pickRows(rows), options));
  }
  return out;
}

async function main(argv: string[]): Promise<number> {
  const run = parseTrainArgs(argv);
  if (run === 'help') {
    console.log(HELP);
    return 0;
  }
  // imported only now, so --help and bad flags work in the student kit, which has no reference/
  const { accuracy, predict, trainMLP } = await importReference(() => import('../reference/train.js'),
    'npm run train trains the reference, which the student kit does not include');
  const { spec, hyper, out } = run;
  const started = performance.now();
  const data: Split = loadDataset(spec);
  const { train, validation } = holdOut(data.train, run.val, hyper.seed);
  const { test } = data;
  const loadSeconds = seconds(started);
  process.stderr.write(`${spec.name}: ${train.y.length} train${validation ? `, ${validation.y.length} validation` : ''}, ${test.y.length} test examples`
    + ` of ${train.X.cols} features, ${train.classes} classes (loaded in ${loadSeconds.toFixed(1)}s)\n`);
  process.stderr.write(`network ${[train.X.cols, ...hyper.hidden, train.classes].join('-')}, ${hyper.activation}, ${hyper.optimizer} lr ${hyper.lr}, batch ${hyper.batchSize}, ${hyper.epochs} epochs, seed ${hyper.seed}\n`);

  const progress = createProgress(process.stderr);
  let epochStart = performance.now();
  const trainStart = epochStart;
  const { seed, ...options } = hyper;
  const { params, history } = trainMLP(train, options, new Random(seed), {
    validation,
    onEpoch: (epoch, h) => {
      progress.update({
        epoch: epoch + 1, epochs: options.epochs, loss: h.loss[epoch], trainAccuracy: h.trainAccuracy[epoch],
        valAccuracy: h.valAccuracy[epoch], seconds: seconds(epochStart),
      });
      epochStart = performance.now();
    },
  });
  progress.done();
  const trainSeconds = seconds(trainStart);

  const testPredicted = predictAll(predict, params, test.X, options);
  const result = {
    train: accuracy(predictAll(predict, params, train.X, options), train.y),
    validation: validation ? accuracy(predictAll(predict, params, validation.X, options), validation.y) : undefined,
    test: accuracy(testPredicted, test.y),
  };
  console.log(`train accuracy ${result.train.toFixed(4)}`);
  if (result.validation !== undefined) console.log(`validation accuracy ${result.validation.toFixed(4)}`);
  console.log(`test accuracy ${result.test.toFixed(4)}`);

  const files: Record<string, string> = {};
  const perEpoch = history.batchLoss.length / history.loss.length;
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
    const grid = boundaryGrid((X) => predict(params, X, options), pointsOf(test.X, test.y));
    const network = hyper.hidden.length ? `${[2, ...hyper.hidden, 2].join('-')} ${hyper.activation}` : 'no hidden layer';
    files['boundary.svg'] = decisionBoundarySvg(grid, `moons, ${network}: test accuracy ${result.test.toFixed(3)}`);
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
