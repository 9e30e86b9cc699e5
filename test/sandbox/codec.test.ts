/**
 * The codec's copies: a Float64Array is sent and received as it is (the
 * channel writes it from its own memory and reads it into a fresh one), and
 * only what must be converted or is shared is copied.
 */
import { describe, expect, it } from 'vitest';
import { decode, decodeMatrix, encode, encodeMatrix, type EncodedMatrix } from '../../grader/codec.js';
import { Matrix } from '../../starter/provided/matrix.js';

const noRandom = { random: () => undefined };

describe('encodeMatrix', () => {
  it('keeps a Float64Array as it is for the channel', () => {
    const m = Matrix.fromRows([[1, 2], [3, 4]]);
    expect(encodeMatrix(m).data).toBe(m.data);
    expect((encode({ m }) as { m: EncodedMatrix }).m.data).toBe(m.data);
  });

  it('converts other number arrays to a Float64Array, and to a plain array for JSON', () => {
    const f32 = { rows: 1, cols: 2, data: new Float32Array([0.5, 2]) };
    const sent = encodeMatrix(f32);
    expect(sent.data).toBeInstanceOf(Float64Array);
    expect(Array.from(sent.data)).toEqual([0.5, 2]);
    expect(encodeMatrix(Matrix.fromRows([[1, 2]]), true).data).toEqual([1, 2]);
  });
});

describe('decodeMatrix', () => {
  it('wraps a received Float64Array of the right length without copying', () => {
    const data = new Float64Array([1, 2, 3, 4, 5, 6]);
    expect(decodeMatrix({ $type: 'matrix', rows: 2, cols: 3, data }).data).toBe(data);
  });

  it('copies plain arrays', () => {
    const m = decodeMatrix({ $type: 'matrix', rows: 1, cols: 3, data: [1, 2, 3] });
    expect(m.data).toBeInstanceOf(Float64Array);
    expect(Array.from(m.data)).toEqual([1, 2, 3]);
  });

  it('still refuses data whose length does not match the shape', () => {
    expect(() => decodeMatrix({ $type: 'matrix', rows: 2, cols: 2, data: new Float64Array(3) })).toThrow(/2x2 needs 4 numbers, got 3/);
  });
});

describe('decode', () => {
  it('gives two matrices that arrived on one Float64Array their own copies, so changing one leaves the other alone', () => {
    const shared = new Float64Array([1, 2]);
    const [a, b] = decode([
      { $type: 'matrix', rows: 1, cols: 2, data: shared },
      { $type: 'matrix', rows: 2, cols: 1, data: shared },
    ], noRandom) as [Matrix, Matrix];
    a.data[0] = 99;
    expect(Array.from(b.data)).toEqual([1, 2]);
    expect(a.data).toBe(shared);
  });
});
