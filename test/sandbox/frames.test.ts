/**
 * The channel's wire format: every kind of value survives a round trip
 * however the bytes are cut into chunks (strings as UTF-8), a Float64Array arrives as one, and a
 * malformed or oversized frame is a FrameError.
 */
import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameError, FrameReader, TAG, UNLIMITED, type FrameLimits } from '../../grader/sandbox/frames.js';

const VALUE = {
  type: 'result', n: -0, nan: NaN, inf: -Infinity, big: 1e308, t: true, f: false, z: null,
  text: 'héllo ✓ 𝔸 \u0000 \ud800', empty: '', list: [1, 'two', [3, [4]], {}, []],
  matrix: { $type: 'matrix', rows: 2, cols: 2, data: new Float64Array([1.5, -2, 3e-300, 4]) },
  none: new Float64Array(0), 'a key with spaces': 1,
};

/** The frame's bytes as one buffer. */
function bytes(value: unknown): Buffer {
  return Buffer.concat(encodeFrame(value));
}

/** Feeds `data` in chunks of `size` bytes and returns every value read. */
function read(data: Buffer, size: number, limits: FrameLimits = UNLIMITED): unknown[] {
  const reader = new FrameReader(limits);
  const values: unknown[] = [];
  for (let at = 0; at < data.length; at += size) values.push(...reader.push(data.subarray(at, at + size)));
  return values;
}

/** A frame holding exactly `payload`. */
function raw(payload: number[]): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(payload.length);
  return Buffer.concat([head, Buffer.from(payload)]);
}

const LIMITS: FrameLimits = { bytes: 1000, objects: 10, numbers: 10, depth: 3, stringBytes: 8 };

describe('frames', () => {
  it.each([1, 2, 3, 7, 64, 1 << 20])('round-trip every kind of value in chunks of %i bytes', (size) => {
    const data = Buffer.concat([bytes(VALUE), bytes(42), bytes([VALUE])]);
    const [a, b, c] = read(data, size);
    // strings cross as UTF-8: a lone surrogate arrives as U+FFFD
    expect(a).toEqual({ ...VALUE, text: VALUE.text.replace('\ud800', '\ufffd') });
    expect(Object.is((a as { n: number }).n, -0)).toBe(true);
    expect((a as typeof VALUE).matrix.data).toBeInstanceOf(Float64Array);
    expect(b).toBe(42);
    expect(c).toEqual([a]);
  });

  it('writes a Float64Array from its own memory, not a copy', () => {
    const data = new Float64Array([1, 2, 3]);
    expect(encodeFrame({ data }).some((part) => part.buffer === data.buffer)).toBe(true);
  });

  it('skips undefined object fields and refuses what it does not carry', () => {
    expect(read(bytes({ a: undefined, b: 1 }), 1 << 20)).toEqual([{ b: 1 }]);
    expect(() => encodeFrame({ x: 10n })).toThrow(/the message\.x is a bigint/);
    expect(() => encodeFrame([new Int32Array(1)])).toThrow(/the message\[0\] is a Int32Array/);
    expect(() => encodeFrame({ f: () => 1 })).toThrow(TypeError);
  });

  it.each([
    ['an unknown tag', raw([9]), /unknown kind \(tag 9\)/],
    ['bytes after the value', raw([TAG.null, TAG.null]), /1 bytes after its value/],
    ['an empty frame', raw([]), /runs past the length/],
    ['a count the frame cannot hold', raw([TAG.array, 0xff, 0xff, 0xff, 0x7f]), /runs past the length/],
    ['a blob longer than the frame', raw([TAG.float64Array, 2, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8]), /runs past the length/],
    ['an object key that is not a string', raw([TAG.object, 1, 0, 0, 0, TAG.number, 0, 0, 0, 0, 0, 0, 0, 0, TAG.null]), /key that is not a string/],
    ['too many bytes', raw(new Array(1001).fill(TAG.null)), /1001 bytes, more than the 1000/],
    ['too many objects', bytes(new Array(11).fill('')), /more than 10 objects/],
    ['too many numbers', bytes([new Float64Array(6), 1, 2, 3, 4, 5]), /more than 10 numbers/],
    ['too deep', bytes([[[[1]]]]), /nested more than 3 levels/],
    ['too long a string', bytes('123456789'), /string of 9 bytes, more than the 8/],
  ])('refuses %s with a FrameError', (_what, data, why) => {
    expect(() => read(data, 1, LIMITS)).toThrow(FrameError);
    expect(() => read(data, 1 << 20, LIMITS)).toThrow(why);
  });

  it('throws nothing but FrameError on random bytes', () => {
    let seed = 1;
    const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    for (let round = 0; round < 2000; round++) {
      const payload = Array.from({ length: 1 + Math.floor(random() * 40) }, () => (random() < 0.5 ? Math.floor(random() * 8) : Math.floor(random() * 256)));
      try {
        read(raw(payload), 1 + Math.floor(random() * 5), LIMITS);
      } catch (e) {
        expect(e).toBeInstanceOf(FrameError);
      }
    }
  });

  it('keeps a __proto__ key as an ordinary key', () => {
    const [value] = read(bytes(JSON.parse('{"__proto__": {"polluted": true}}')), 3) as [Record<string, unknown>];
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  });
});
