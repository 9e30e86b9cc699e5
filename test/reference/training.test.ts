/**
 * The lecture's point on the two half-moons: a hidden layer of a few tanh units
 * bends the decision boundary and separates the moons; without one (softmax
 * regression) the boundary is a straight line and cannot.
 */
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../starter/provided/data/index.js';
import { Random } from '../../starter/provided/random.js';
import { accuracy, predict, trainMLP, type TrainOptions } from '../../reference/train.js';

// 1,000 points, noise 0.2, 80/20 split; with this seed a good boundary scores 0.97-0.98.
const { train, test } = loadDataset({ name: 'moons', samples: 1000, noise: 0.2, seed: 'moons', testFraction: 0.2 });

/** Test accuracy of the reference trained with `options` from the given seed. */
function testAccuracy(options: TrainOptions, seed: number): number {
  const { params } = trainMLP(train, options, new Random(seed));
  return accuracy(predict(params, test.X, options), test.y);
}

const base = { activation: 'tanh', init: 'xavier_uniform', lr: 0.5, batchSize: 50, epochs: 300 } as const;
const seeds = [1, 2, 3];

describe('two half-moons (1,000 points, noise 0.2)', () => {
  it('has 800 training and 200 test points of two classes', () => {
    expect([train.X.shape, test.X.shape, train.classes]).toEqual(['800x2', '200x2', 2]);
  });

  it.each(seeds)('5 tanh hidden units with momentum reach >= 0.95 test accuracy (seed %i)', (seed) => {
    expect(testAccuracy({ ...base, hidden: [5], optimizer: 'momentum' }, seed)).toBeGreaterThanOrEqual(0.95);
  });

  it.each(seeds)('10 tanh hidden units with plain SGD reach >= 0.95 test accuracy (seed %i)', (seed) => {
    expect(testAccuracy({ ...base, hidden: [10], optimizer: 'sgd' }, seed)).toBeGreaterThanOrEqual(0.95);
  });

  it.each(seeds)('no hidden layer (a straight boundary) stays below 0.90 (seed %i)', (seed) => {
    const linear = testAccuracy({ ...base, hidden: [], optimizer: 'sgd' }, seed);
    expect(linear).toBeLessThan(0.9);
    expect(linear).toBeGreaterThan(0.8); // it did train: a line still gets most points right
  });
});
