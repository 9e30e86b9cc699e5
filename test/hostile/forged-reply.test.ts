/**
 * Replies forged by hand on the private channel, with the right id and nonce:
 * the grader type-checks each one before it touches it. An ill-formed matrix,
 * a tag that only inputs carry or a Float64Array outside a matrix fails that
 * call as an error; a long string is cut; a `__proto__` key stays a key; a
 * string or an object count past the limits breaks the channel (that call
 * only, refused while the frame is still arriving).
 */
import { describe, expect, it } from 'vitest';
import { MAX_RESULT_OBJECTS, MAX_STRING_BYTES } from '../../grader/sandbox/limits.js';
import type { CallOutcome } from '../../grader/sandbox/runner.js';
import { startedSubmission } from '../sandbox/fake-submission.js';
import { WIRE_SOURCE } from './wire-source.js';

const ACTIVATIONS = `${WIRE_SOURCE}
/** Sends \`value\` as the answer of the current call, then returns something else (which must never count). */
export function forge(value: unknown): string {
  const { id, nonce } = lastCall!;
  writeAll(frame({ type: 'result', id, nonce, ok: true, value }));
  return 'the real answer';
}
/** forge() of a JSON text, so the grader's decoding of the call's arguments leaves tags as they are. */
export function forgeJson(text: string): string {
  return forge(JSON.parse(text));
}
export function forgeBlob(): string {
  return forge({ weights: new Float64Array([1, 2]) });
}
export function forgeLongString(): string {
  return forge({ note: 'x'.repeat(${MAX_STRING_BYTES}) });
}
export function forgeTooLongString(): string {
  return forge('y'.repeat(${MAX_STRING_BYTES + 1}));
}
export function forgeProto(): string {
  return forge(JSON.parse('{"__proto__": {"polluted": 1}, "ok": 2}'));
}
export function forgeManyObjects(): string {
  const { id, nonce } = lastCall!;
  const n = ${MAX_RESULT_OBJECTS + 10};
  const head = frame({ type: 'result', id, nonce, ok: true, value: null });
  // the same message with its null value replaced by an array of n empty arrays (tag 5, count 0)
  const array = Buffer.alloc(5 + 5 * n);
  array[0] = 5;
  array.writeUInt32LE(n, 1);
  for (let i = 5; i < array.length; i += 5) array[i] = 5;
  const body = Buffer.concat([head.subarray(4, head.length - 1), array]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  writeAll(Buffer.concat([length, body]));
  return 'the real answer';
}
`;

const sub = startedSubmission({ 'activations.ts': ACTIVATIONS });

function message(outcome: CallOutcome): string {
  return (outcome as { message?: string }).message ?? '';
}

describe('a forged reply that is not a well-formed Encoded value', () => {
  it.each([
    ['a matrix whose data does not match its shape', { $type: 'matrix', rows: 2, cols: 2, data: [1, 2, 3] }, /holds a 2x2 matrix with 3 numbers/],
    ['a matrix with a fractional shape', { $type: 'matrix', rows: 1.5, cols: 2, data: [1, 2, 3] }, /rows and cols are not whole numbers/],
    ['a matrix whose data holds text', { $type: 'matrix', rows: 1, cols: 2, data: [1, 'two'] }, /data is not a list of numbers/],
    ['a matrix with an extra field', { $type: 'matrix', rows: 1, cols: 1, data: [1], then: 'x' }, /fields other than rows, cols and data/],
    ['an input tag', { $type: 'random', seed: 'x' }, /'\$type' tag the grader does not accept/],
  ])('%s fails that call as an error', async (_name, value, why) => {
    const outcome = await sub.runner.call('forgeJson', [JSON.stringify(value)]);
    expect(outcome).toMatchObject({ kind: 'threw', name: 'TypeError' });
    expect(message(outcome)).toMatch(why);
    expect(await sub.runner.call('forge', [3])).toMatchObject({ kind: 'ok', value: 3 });
  });

  it('a Float64Array outside a matrix fails that call as an error', async () => {
    const outcome = await sub.runner.call('forgeBlob', []);
    expect(outcome).toMatchObject({ kind: 'threw', name: 'TypeError' });
    expect(message(outcome)).toMatch(/Float64Array outside a matrix/);
  });

  it('a long string is cut', async () => {
    const outcome = await sub.runner.call('forgeLongString', []);
    expect(outcome.kind).toBe('ok');
    const note = (outcome as unknown as { value: { note: string } }).value.note;
    expect(note).toMatch(/^x{960}… \[\d+ more characters cut\]$/);
  });

  it('a string past the limit breaks the channel: that call only', async () => {
    const outcome = await sub.runner.call('forgeTooLongString', [], { timeoutMs: 5000 });
    expect(outcome.kind).toBe('crashed');
    expect(message(outcome)).toMatch(/private channel \(fd 3\) during forgeTooLongString: a message holding a string of \d+ bytes/);
    expect(await sub.runner.call('forge', [3])).toMatchObject({ kind: 'ok', value: 3 });
  });

  it('a __proto__ key is an ordinary key and pollutes nothing', async () => {
    const outcome = await sub.runner.call('forgeProto', []);
    expect(outcome.kind).toBe('ok');
    const value = (outcome as unknown as { value: Record<string, unknown> }).value;
    expect(Object.keys(value)).toEqual(['__proto__', 'ok']);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('more objects than the limit break the channel: that call only', async () => {
    const outcome = await sub.runner.call('forgeManyObjects', [], { timeoutMs: 10_000 });
    expect(outcome.kind).toBe('crashed');
    expect(message(outcome)).toMatch(new RegExp(`during forgeManyObjects: a message of more than ${MAX_RESULT_OBJECTS} objects`));
    expect(await sub.runner.call('forge', [3])).toMatchObject({ kind: 'ok', value: 3 });
  });
});
