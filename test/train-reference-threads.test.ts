import { describe, expect, it } from 'vitest';
import { loadDataset, subset } from '../starter/provided/data/index.js';
import { referenceTraining } from '../cli/train-reference.js';
import { DEFAULTS } from '../cli/train-args.js';

describe('npm run train with the reference on two threads', () => {
  it('gives the same history and network, to the bit, as on one thread (MNIST, whose products take the sparse path)', async () => {
    const mnist = loadDataset({ name: 'mnist', trainSize: 600, testSize: 10 });
    const validation = subset(mnist.test, [0, 1, 2, 3, 4]);
    const hyper = { ...DEFAULTS.mnist, epochs: 2, hidden: [64], batchSize: 100, seed: 'threads' };
    const one = await referenceTraining(1)(mnist.train, validation, hyper, () => undefined);
    const two = await referenceTraining(2)(mnist.train, validation, hyper, () => undefined);
    expect(two.history).toEqual(one.history);
    const bits = (n: typeof one.network) => [...n.W, ...n.b].flatMap((m) => Array.from(new BigUint64Array(m.data.slice().buffer)));
    expect(bits(two.network)).toEqual(bits(one.network));
    expect(one.history.loss).toHaveLength(2);
  });
});
