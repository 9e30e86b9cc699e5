import { describe, expect, it } from 'vitest';
import { makeMoons } from '../../starter/provided/data/moons.js';
import { Random } from '../../starter/provided/random.js';

describe('makeMoons', () => {
  it('gives samples x 2 points, two classes, class 0 taking the odd one', () => {
    const d = makeMoons(101, 0.1, new Random('a'));
    expect(d.X.rows).toBe(101);
    expect(d.X.cols).toBe(2);
    expect(d.classes).toBe(2);
    expect(d.y.filter((c) => c === 0)).toHaveLength(51);
    expect(d.y.filter((c) => c === 1)).toHaveLength(50);
  });

  it('interleaves the classes (shuffled, not 0s then 1s)', () => {
    const { y } = makeMoons(200, 0.1, new Random('b'));
    expect(y.slice(0, 100).filter((c) => c === 1).length).toBeGreaterThan(30);
    expect(y.slice(0, 100).filter((c) => c === 1).length).toBeLessThan(70);
  });

  it('is deterministic: the same seed gives identical X and y, another seed does not', () => {
    const a = makeMoons(300, 0.2, new Random('seed'));
    const b = makeMoons(300, 0.2, new Random('seed'));
    const c = makeMoons(300, 0.2, new Random('other'));
    expect(Array.from(a.X.data)).toEqual(Array.from(b.X.data));
    expect(a.y).toEqual(b.y);
    expect(Array.from(a.X.data)).not.toEqual(Array.from(c.X.data));
  });

  it('puts noise-free points exactly on the two half circles', () => {
    const d = makeMoons(400, 0, new Random('exact'));
    for (let n = 0; n < 400; n++) {
      const x = d.X.get(n, 0);
      const y = d.X.get(n, 1);
      if (d.y[n] === 0) {
        expect(Math.hypot(x, y)).toBeCloseTo(1, 12);
        expect(y).toBeGreaterThanOrEqual(0);
      } else {
        expect(Math.hypot(x - 1, y - 0.5)).toBeCloseTo(1, 12);
        expect(y).toBeLessThanOrEqual(0.5);
      }
    }
  });

  it('adds noise of about the requested size', () => {
    const d = makeMoons(2000, 0.3, new Random('noise'));
    let sq = 0;
    for (let n = 0; n < 2000; n++) {
      const x = d.X.get(n, 0);
      const y = d.X.get(n, 1);
      const r = d.y[n] === 0 ? Math.hypot(x, y) : Math.hypot(x - 1, y - 0.5);
      sq += (r - 1) ** 2;
    }
    // The radial error of 2-d noise of std 0.3 has an rms close to 0.3.
    expect(Math.sqrt(sq / 2000)).toBeGreaterThan(0.2);
    expect(Math.sqrt(sq / 2000)).toBeLessThan(0.4);
  });

  it('rejects a bad sample count', () => {
    expect(() => makeMoons(1.5, 0.1, new Random('x'))).toThrow(RangeError);
  });
});
