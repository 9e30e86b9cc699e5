/**
 * The second course's homework on the embedded MNIST digits (8,000 train /
 * 2,000 test): 784-500-10 ReLU, batch 200, lr 0.1, plain SGD, Xavier init.
 * Slow: about 200 s of CPU (10 s per epoch; 8.5 min wall on the shared 2-core machine), hence its own file.
 *
 * Measured test accuracy per epoch (seeds 1 and 2): 0.90 after 5 epochs, 0.91-0.916 after 10,
 * first >= 0.92 at epoch 14-16, 0.9225-0.927 at 18, 0.9265-0.9275 at 20. 20 epochs (the
 * homework's number) is the smallest count that clears 0.92 with a margin for both.
 */
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../starter/provided/data/index.js';
import { Random } from '../../starter/provided/random.js';
import { accuracy, predict, trainMLP, type TrainOptions } from '../../reference/train.js';

describe('MNIST homework network (embedded digits)', () => {
  it('reaches >= 0.92 test accuracy on the 2,000 held-out digits in 20 epochs', () => {
    const { train, test } = loadDataset({ name: 'mnist' });
    expect([train.X.shape, test.X.shape]).toEqual(['8000x784', '2000x784']);
    const options: TrainOptions = {
      hidden: [500], activation: 'relu', batchSize: 200, lr: 0.1, optimizer: 'sgd', init: 'xavier_uniform', epochs: 20,
    };
    const { params, history } = trainMLP(train, options, new Random(1));
    expect(history.loss[19]).toBeLessThan(history.loss[0] / 5);
    expect(accuracy(predict(params, test.X, options), test.y)).toBeGreaterThanOrEqual(0.92);
  }, 1_800_000);
});
