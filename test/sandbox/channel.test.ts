/**
 * The private channel between the grader and the child (fd 3) against a
 * submission that writes to it directly: garbage, an oversized frame, frames
 * that are not answers, and a forged answer carrying the right id and nonce
 * (sniffed from the data the child's socket receives). None may crash the grader, and
 * what the grader accepts stays within its size limits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleSubmission, removeBundle, type BundleResult } from '../../grader/sandbox/bundle.js';
import { SubmissionRunner, type CallOutcome } from '../../grader/sandbox/runner.js';
import { WIRE_SOURCE } from '../hostile/wire-source.js';
import { MODULE_FILES, removeDir, writeSubmission } from './fake-submission.js';

const ACTIVATIONS = `const builtin = (process as any).getBuiltinModule;
const fs = builtin('fs');
${WIRE_SOURCE}
export function ok(): number {
  return 7;
}
export function garbage(): number {
  const b = Buffer.alloc(12);
  b.writeUInt32BE(8, 0);
  b.fill(0xab, 4);
  fs.writeSync(3, b);
  return 1;
}
export function hugeHeader(): number {
  const b = Buffer.alloc(8);
  b.writeUInt32BE(0xfffffff0, 0);
  fs.writeSync(3, b);
  return 1;
}
export function stranger(): number {
  fs.writeSync(3, frame({ type: 'result', id: 'guess', nonce: 'guess', ok: true, value: 999 }));
  return 1;
}
export function forgedLongError(): number {
  const { id, nonce } = lastCall!;
  const error = { name: 'N'.repeat(5000), message: 'M'.repeat(5000), location: 'L'.repeat(5000), kind: 'ok', value: 1 };
  fs.writeSync(3, frame({ type: 'result', id, nonce, ok: false, error }));
  return 1;
}
export function forgedOddError(): number {
  const { id, nonce } = lastCall!;
  fs.writeSync(3, frame({ type: 'result', id, nonce, ok: false, error: { name: { toString: 1, valueOf: 1 }, message: 42 } }));
  return 1;
}
export function forgedDeep(): number {
  const { id, nonce } = lastCall!;
  let value: unknown = 1;
  for (let i = 0; i < 100; i++) value = [value];
  fs.writeSync(3, frame({ type: 'result', id, nonce, ok: true, value }));
  return 1;
}
export function closeChannel(): number {
  fs.closeSync(3);
  return 1;
}
`;

const LAYERS = `export function hugeResult(): unknown {
  return { rows: 1, cols: 3e7, data: new Float64Array(3e7) };
}
export function manyNumbers(): number[][] {
  return Array.from({ length: 2100 }, () => new Array(10000).fill(0.5));
}
export function longThrow(): never {
  const e = new Error('E'.repeat(2e6));
  e.name = 'X'.repeat(5000);
  throw e;
}
export function bigProgress(onEpoch: (epoch: number, history: unknown) => void): string {
  onEpoch(0, { loss: new Float64Array(2.1e7) });
  onEpoch(1, { loss: [1, 0.5] });
  return 'trained';
}
`;

let dir: string;
let bundle: BundleResult;
let runner: SubmissionRunner;

beforeAll(async () => {
  dir = await writeSubmission({ 'activations.ts': ACTIVATIONS, 'layers.ts': LAYERS });
  bundle = await bundleSubmission(dir, MODULE_FILES);
  runner = await SubmissionRunner.start(bundle);
});

afterAll(async () => {
  await runner?.close();
  if (bundle) await removeBundle(bundle);
  if (dir) await removeDir(dir);
});

function message(outcome: CallOutcome): string {
  return (outcome as { message?: string }).message ?? '';
}

describe('writes to the private channel', () => {
  it('garbage crashes only the child, and the next call works', async () => {
    const outcome = await runner.call('garbage', [], { timeoutMs: 5000 });
    expect(outcome.kind).toBe('crashed');
    expect(message(outcome)).toMatch(/^the submission wrote to the grader's private channel \(fd 3\) during garbage: /);
    expect(await runner.call('ok', [])).toMatchObject({ kind: 'ok', value: 7 });
  });

  it('a frame announcing more bytes than the grader accepts ends the child at once', async () => {
    const outcome = await runner.call('hugeHeader', [], { timeoutMs: 5000 });
    expect(outcome.kind).toBe('crashed');
    expect(message(outcome)).toMatch(/private channel .*4294967280 bytes/);
    expect(outcome.kind === 'crashed' && outcome.timeMs).toBeLessThan(2000);
  });

  it('a well-formed frame that answers no call is ignored', async () => {
    expect(await runner.call('stranger', [])).toMatchObject({ kind: 'ok', value: 1 });
  });

  it('closing the channel answers crashed instead of waiting for the time limit', async () => {
    const outcome = await runner.call('closeChannel', [], { timeoutMs: 5000 });
    expect(outcome.kind).toBe('crashed');
    expect(message(outcome)).toContain("private channel");
    expect(await runner.call('ok', [])).toMatchObject({ kind: 'ok', value: 7 });
  });
});

describe('what the grader accepts from a forged answer', () => {
  it('cuts name, message and location, and takes no other field', async () => {
    const outcome = await runner.call('forgedLongError', []);
    expect(outcome.kind).toBe('threw');
    const e = outcome as Extract<CallOutcome, { kind: 'threw' }>;
    expect(e.name.length).toBeLessThanOrEqual(1000);
    expect(e.message.length).toBeLessThanOrEqual(1000);
    expect(e.location?.length).toBeLessThanOrEqual(1000);
    expect(e.message).toMatch(/^M{960}… \[4040 more characters cut\]$/);
  });

  it('turns fields that are not strings into plain text', async () => {
    expect(await runner.call('forgedOddError', [])).toMatchObject({ kind: 'threw', name: 'Error', message: '42' });
  });

  it('refuses a value nested deeper than any encoded value, as a broken channel', async () => {
    const outcome = await runner.call('forgedDeep', [], { timeoutMs: 5000 });
    expect(outcome.kind).toBe('crashed');
    expect(message(outcome)).toMatch(/private channel \(fd 3\) during forgedDeep: a message nested more than 66 levels deep/);
  });
});

describe('size limits in the child', () => {
  it('refuses a result with more numbers than the grader accepts', async () => {
    const outcome = await runner.call('hugeResult', []);
    expect(outcome).toMatchObject({ kind: 'threw', name: 'RangeError' });
    // 3e7 data, plus rows and cols
    expect(message(outcome)).toBe('the return value holds 30000002 numbers, more than the grader accepts (20000000)');
  });

  it('counts the numbers of nested plain arrays too', async () => {
    const outcome = await runner.call('manyNumbers', [], { timeoutMs: 20_000 });
    expect(message(outcome)).toBe('the return value holds more than 20000000 values, more than the grader accepts');
  });

  it('cuts a long thrown name and message', async () => {
    const outcome = await runner.call('longThrow', []);
    expect(outcome.kind).toBe('threw');
    const e = outcome as Extract<CallOutcome, { kind: 'threw' }>;
    expect(e.name).toMatch(/^X{960}… \[4040 more characters cut\]$/);
    expect(e.message).toMatch(/^E{960}… \[1999040 more characters cut\]$/);
  });

  it('drops a progress report that is too large and keeps the next one', async () => {
    const seen: unknown[] = [];
    const outcome = await runner.call('bigProgress', [{ $type: 'progress' }], { onProgress: (p) => seen.push(p) });
    expect(outcome).toMatchObject({ kind: 'ok', value: 'trained' });
    expect(seen).toEqual([{ loss: [1, 0.5] }]);
  });
});

describe('a ready message rewritten by the submission', () => {
  // the harness's encoder lists the message's keys with Object.keys: the forger rewrites the ready message there
  const FORGER = `const keys = Object.keys;
Object.keys = function (value: any) {
  if (value && value.type === 'ready') {
    value.modules = { 'activations.ts': 'yes', 'train.ts': { ok: true } };
    value.exports = { 'activations.ts': 42, 'layers.ts': ['ok', 7] };
  }
  return keys(value);
};
`;

  it('is read as far as it makes sense, and calls still get an answer', async () => {
    const own = await writeSubmission({ 'activations.ts': 'export function ok(): number { return 7; }\n', 'layers.ts': FORGER });
    const ownBundle = await bundleSubmission(own, MODULE_FILES);
    const forged = await SubmissionRunner.start(ownBundle);
    try {
      expect(await forged.call('ok', [])).toMatchObject({ kind: 'threw', message: 'layers.ts does not export ok' });
      expect(await forged.call('sigmoidForward', [])).toMatchObject({ kind: 'missing' });
      expect(forged.moduleStatus()['train.ts']).toEqual({ ok: false, error: 'missing file' });
    } finally {
      await forged.close();
      await removeBundle(ownBundle);
      await removeDir(own);
    }
  });
});
