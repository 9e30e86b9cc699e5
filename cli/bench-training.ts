/**
 * The training part of `npm run bench`: one epoch of the reference's training
 * steps (what numpy is compared with), and MNIST IDX files of the real size for
 * timing the full homework without downloading MNIST.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { MNIST_FILES, writeIdx, type Dataset } from '../starter/provided/data/index.js';
import { Random } from '../starter/provided/random.js';
import type * as Init from '../reference/init.js';
import type * as Network from '../reference/network.js';
import type * as Train from '../reference/train.js';

/** The reference modules an epoch needs (imported by the caller: the student kit has no reference/). */
export interface Reference { initMLP: typeof Init.initMLP; mlpLoss: typeof Network.mlpLoss; optimizerStep: typeof Train.optimizerStep }

/** The homework's network and step: 784-500-10 ReLU, batch 200, lr 0.1, plain SGD, no penalty. */
export const HOMEWORK = { hidden: [500], activation: 'relu', init: 'xavier_uniform', optimizer: 'sgd', lr: 0.1, batchSize: 200, reg: 0 } as const;

/**
 * Wall and CPU seconds (user + system, of the whole process) for each of `epochs`
 * epochs of training steps only (shuffle, mlpLoss and one optimiser step per
 * parameter per batch, as trainMLP does them), with no per-epoch evaluation: the
 * part of an epoch the issue compares with numpy. On one thread the CPU time is
 * what a busy machine changes least.
 */
export function epochTimes(ref: Reference, data: Dataset, epochs: number): { wall: number[]; cpu: number[] } {
  const rng = new Random('bench-epoch');
  const { X, y } = data;
  const params = ref.initMLP([X.cols, ...HOMEWORK.hidden, data.classes], HOMEWORK.init, rng);
  const state = (): Train.StepState => ({ lr: HOMEWORK.lr });
  const stateW = params.W.map(state), stateB = params.b.map(state);
  const wall: number[] = [], cpu: number[] = [];
  for (let e = 0; e < epochs; e++) {
    const started = performance.now(), usage = process.cpuUsage();
    const order = rng.permutation(X.rows);
    for (let start = 0; start < X.rows; start += HOMEWORK.batchSize) {
      const idx = order.slice(start, start + HOMEWORK.batchSize);
      const { grads } = ref.mlpLoss(params, X.pickRows(idx), idx.map((i) => y[i]), HOMEWORK);
      for (let k = 0; k < params.W.length; k++) {
        const w = ref.optimizerStep(HOMEWORK.optimizer, params.W[k], grads.W[k], stateW[k]);
        const b = ref.optimizerStep(HOMEWORK.optimizer, params.b[k], grads.b[k], stateB[k]);
        params.W[k] = w.w;
        params.b[k] = b.w;
      }
    }
    wall.push((performance.now() - started) / 1000);
    const used = process.cpuUsage(usage);
    cpu.push((used.user + used.system) / 1e6);
  }
  return { wall, cpu };
}

/**
 * Writes the four MNIST IDX files at the real size (60,000 training and 10,000
 * test digits) into dir, cycling through the given training and test digits
 * (pixels in [0, 1]) so the timing sees real MNIST sparsity, and the test
 * accuracy is measured on digits the training never saw.
 */
export function writeFullSizeMnist(dir: string, train: Dataset, test: Dataset): void {
  mkdirSync(dir, { recursive: true });
  const write = (digits: Dataset, images: string, labels: string, count: number) => {
    const pixels = new Uint8Array(count * 784);
    const y = new Uint8Array(count);
    for (let i = 0; i < count; i++) {
      const row = i % digits.X.rows;
      for (let j = 0; j < 784; j++) pixels[i * 784 + j] = Math.round(digits.X.data[row * 784 + j] * 255);
      y[i] = digits.y[row];
    }
    writeIdx(path.join(dir, images), [count, 28, 28], pixels);
    writeIdx(path.join(dir, labels), [count], y);
  };
  write(train, MNIST_FILES.trainImages, MNIST_FILES.trainLabels, 60000);
  write(test, MNIST_FILES.testImages, MNIST_FILES.testLabels, 10000);
}
