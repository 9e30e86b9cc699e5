/**
 * PROVIDED HELPER: do not edit. The grader always uses its own copy of this file.
 *
 * The two half-moons data set from the lecture: two interleaving half circles
 * that no straight line separates, so it shows what a hidden layer buys.
 */
import { Matrix } from '../matrix.js';
import type { Random } from '../random.js';
import type { Dataset } from './types.js';

/**
 * Class 0 on (cos t, sin t), class 1 on (1 - cos t, 1 - sin t - 0.5), t uniform
 * in [0, pi], plus Gaussian noise of std `noise` on both coordinates; then
 * shuffled so the classes are interleaved. Class 0 gets the extra point when
 * `samples` is odd. Returns X (samples x 2), y, classes 2.
 */
export function makeMoons(samples: number, noise: number, rng: Random): Dataset {
  if (!Number.isInteger(samples) || samples < 2) {
    throw new RangeError(`makeMoons: samples must be an integer >= 2, got ${samples}`);
  }
  if (!(noise >= 0) || !Number.isFinite(noise)) {
    throw new RangeError(`makeMoons: noise must be a finite number >= 0, got ${noise}`);
  }
  const n0 = Math.ceil(samples / 2);
  const points = new Float64Array(samples * 2);
  const labels: number[] = new Array(samples);
  for (let n = 0; n < samples; n++) {
    const t = rng.uniformRange(0, Math.PI);
    const cls = n < n0 ? 0 : 1;
    // Draw the noise even when it is 0, so the random stream does not depend on it.
    const ex = rng.normal() * noise;
    const ey = rng.normal() * noise;
    points[2 * n] = (cls === 0 ? Math.cos(t) : 1 - Math.cos(t)) + ex;
    points[2 * n + 1] = (cls === 0 ? Math.sin(t) : 1 - Math.sin(t) - 0.5) + ey;
    labels[n] = cls;
  }
  const order = rng.permutation(samples);
  const X = new Matrix(samples, 2, points).pickRows(order);
  return { X, y: order.map((i) => labels[i]), classes: 2 };
}
