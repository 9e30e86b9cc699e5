/**
 * The copy-and-compare behind "Do not modify the inputs" (grader/unchanged-inputs.ts),
 * on its own: what counts as a change (bit for bit, keys, lengths, shapes), what is
 * not looked at (functions, the Random), and the line it gives.
 */
import { describe, expect, it } from 'vitest';
import { inputChange, snapshotInputs } from '../../grader/unchanged-inputs.js';
import { Matrix } from '../../starter/provided/matrix.js';
import { Random } from '../../starter/provided/random.js';

/** The line for a call of `fn` whose arguments `change` alters after the snapshot. */
function lineAfter<T extends unknown[]>(args: T, change: (args: T) => void, names?: string[], fn = 'f'): string | null {
  const before = snapshotInputs(args);
  change(args);
  return inputChange(fn, before, args, names);
}

const m = (rows: number[][]) => Matrix.fromRows(rows);

describe('inputChange', () => {
  it('says nothing when every argument is as it was, NaN included', () => {
    const args = [m([[1, NaN], [-0, 4]]), [1, 2], { lr: 0.1, velocity: m([[1]]) }, 'relu', null];
    expect(lineAfter(args, () => undefined)).toBeNull();
  });

  it('names the argument, the element, both values and the way out', () => {
    const line = lineAfter([m([[1, 2]]), m([[0.0123, 5], [6, 7]])], (a) => { a[1].data[0] = 0; }, ['x', 'W']);
    expect(line).toBe('modified its input: argument 2 (W, a 2x2 Matrix) changed at W[0][0]: 0.0123 -> 0; work on a copy (W.clone())');
  });

  it('tells -0 from 0 and NaN from a number', () => {
    expect(lineAfter([m([[0]])], (a) => { a[0].data[0] = -0; }, ['z'])).toMatch(/changed at z\[0\]\[0\]: 0 -> -0;/);
    expect(lineAfter([[1, 2]], (a) => { a[0][1] = NaN; }, ['y'])).toBe('modified its input: argument 1 (y, 2 numbers) changed at y[1]: 2 -> NaN; work on a copy ([...y])');
  });

  it('sees a key added to a config, and a nested matrix changed', () => {
    const config: Record<string, unknown> = { lr: 0.1 };
    expect(lineAfter([config], (a) => { a[0].velocity = 1; }, ['config'])).toBe('modified its input: argument 1 (config, an object) gained the key velocity; return a new object ({ ...config, ... })');
    expect(lineAfter([{ lr: 0.1, t: 1 }], (a) => { a[0].t = 2; }, ['config'])).toBe('modified its input: argument 1 (config.t, a number) changed: 1 -> 2; return a new object ({ ...config, ... })');
    const params = { W: [m([[1, 2]]), m([[3], [4]])], b: [m([[0, 0]]), m([[0]])] };
    expect(lineAfter([params], (a) => { a[0].W[1].data[1] = 5; }, ['params'])).toMatch(/^modified its input: argument 1 \(params\.W\[1\], a 2x1 Matrix\) changed at params\.W\[1\]\[1\]\[0\]: 4 -> 5;/);
  });

  it('sees a shape, a length and a data array replaced', () => {
    expect(lineAfter([[1, 2, 3]], (a) => { a[0].pop(); }, ['y'])).toMatch(/\(y, 3 numbers\) changed length: 3 -> 2;/);
    expect(lineAfter([m([[1, 2]])], (a) => { (a[0] as { rows: number; cols: number }).rows = 2; (a[0] as { cols: number }).cols = 1; }, ['x'])).toMatch(/changed shape: 1x2 -> 2x1/);
    expect(lineAfter([m([[1, 2]])], (a) => { (a[0] as { data: Float64Array }).data = Float64Array.of(1, 3); }, ['x'])).toMatch(/changed at x\[0\]\[1\]: 2 -> 3;/);
  });

  it('does not look at functions or the Random, which are there to be called and drawn from', () => {
    const rng = new Random('seed');
    const f = () => 1;
    expect(lineAfter([f, rng], () => { rng.uniform(); (f as unknown as { extra: number }).extra = 1; })).toBeNull();
  });

  it('numbers the argument when no name is known, and gives the restore advice where a contract perturbs', () => {
    expect(lineAfter<[number, Matrix]>([1, m([[1]])], (a) => { a[1].data[0] = 2; })).toBe('modified its input: argument 2 (a 1x1 Matrix) changed at arg2[0][0]: 1 -> 2; work on a copy (arg2.clone())');
    // x += eps, -= 2 eps, += eps does not always come back to x: rounding is tolerated where the contract perturbs, not more
    const x = 0.06980568608908187;
    const rounded = x + 1e-5 - 2e-5 + 1e-5;
    expect(rounded).not.toBe(x);
    expect(lineAfter<[() => number, Matrix]>([() => 0, m([[x]])], (a) => { a[1].data[0] = rounded; }, ['f', 'x'], 'numericalGradient')).toBeNull();
    expect(lineAfter<[() => number, Matrix]>([() => 0, m([[x]])], (a) => { a[1].data[0] = x + 1e-9; }, ['f', 'x'], 'numericalGradient'))
      .toBe(`modified its input: argument 2 (x, a 1x1 Matrix) changed at x[0][0]: ${x} -> ${x + 1e-9}; put each element back as it was (const old = x.data[i]; ...; x.data[i] = old)`);
    // elsewhere the same rounding is a change
    expect(lineAfter<[Matrix]>([m([[x]])], (a) => { a[0].data[0] = rounded; }, ['z'], 'reluForward')).toMatch(/^modified its input: argument 1 \(z, a 1x1 Matrix\) changed at z\[0\]\[0\]/);
  });

  it('reports an argument that can no longer be read instead of throwing', () => {
    const config: Record<string, unknown> = { lr: 0.1 };
    const line = lineAfter([config], (a) => { Object.defineProperty(a[0], 'lr', { get() { throw new Error('gone'); } }); }, ['config']);
    expect(line).toMatch(/^modified its input: argument 1 \(config, an object\) can no longer be read \(gone\);/);
  });
});
