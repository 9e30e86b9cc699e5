/**
 * The frame bomb of issue 8: a frame under the size cap that decodes into tens
 * of millions of objects. With V8's deserializer the grader spent minutes and
 * gigabytes on it before any check ran. The channel's own format counts
 * objects as it decodes, so the bomb is refused after a few megabytes: the
 * call answers `crashed` within seconds, the grader's memory barely grows, and
 * the next call runs in a fresh child.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startedSubmission } from '../sandbox/fake-submission.js';

/** Objects in the V8 bomb: 3 bytes each on the wire, so 60 MB; V8 turned them into ~1.2 GB (kept below the 90 M of the issue so the old code's run stays within a test's memory). */
const V8_OBJECTS = 20_000_000;
/** Empty objects in the bomb in the channel's own format: 5 bytes each, 250 MB, just under the frame cap. */
const OWN_OBJECTS = 50_000_000;

const ACTIVATIONS = `const fs = (process as any).getBuiltinModule('fs');

/** Writes the frame whose header says \`length\` bytes, with \`body\` repeated after \`head\` until the length is reached (or the grader stops reading). */
function flood(length: number, head: number[], body: Buffer): void {
  const start = Buffer.alloc(4 + head.length);
  start.writeUInt32BE(length, 0);
  Buffer.from(head).copy(start, 4);
  fs.writeSync(3, start);
  let left = length - head.length;
  try {
    while (left > 0) left -= fs.writeSync(3, body, 0, Math.min(body.length, left));
  } catch {
    // the grader closed the channel
  }
}

/** A V8-serialized dense array of n empty objects. */
export function v8Bomb(n: number): number {
  const varint = (v: number) => { const out = []; while (v >= 0x80) { out.push((v & 0x7f) | 0x80); v = Math.floor(v / 128); } out.push(v); return out; };
  const head = [0xff, 0x0f, 0x41, ...varint(n)];
  const tail = [0x24, 0x00, ...varint(n)];
  const length = head.length + 3 * n + tail.length;
  const start = Buffer.alloc(4);
  start.writeUInt32BE(length, 0);
  const objects = Buffer.alloc(3 * n);
  for (let i = 0; i < objects.length; i += 3) { objects[i] = 0x6f; objects[i + 1] = 0x7b; }
  try {
    for (const part of [start, Buffer.from(head), objects, Buffer.from(tail)]) {
      for (let at = 0; at < part.length;) at += fs.writeSync(3, part, at);
    }
  } catch {
    // the grader closed the channel
  }
  return 1;
}

/** An array of n empty objects in the channel's own format (tag 5: array, tag 6: object, u32 LE counts). */
export function ownBomb(n: number): number {
  const head = [5, n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24];
  const body = Buffer.alloc(5 * 1_000_000);
  for (let i = 0; i < body.length; i += 5) body[i] = 6;
  flood(head.length + 5 * n, head, body);
  return 1;
}

export function ok(): number {
  return 7;
}
`;

const sub = startedSubmission({ 'activations.ts': ACTIVATIONS });

/** The grader's peak resident memory (VmHWM) in bytes since the last `resetPeak`. */
function peakRss(): number {
  const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return Number(kb![1]) * 1024;
}
/** Starts measuring the peak from now (Linux: 5 in clear_refs resets VmHWM). */
function resetPeak(): void {
  writeFileSync('/proc/self/clear_refs', '5');
}

/** Calls `fn(n)` and returns its outcome, its time and how far the grader's peak memory rose above what it used before. */
async function bomb(fn: string, n: number) {
  global.gc?.();
  const before = process.memoryUsage.rss();
  resetPeak();
  const started = performance.now();
  const outcome = await sub.runner.call(fn, [n], { timeoutMs: 120_000 });
  return { outcome, ms: performance.now() - started, growth: peakRss() - before };
}

describe('a frame that decodes into millions of objects', () => {
  it.each([['v8Bomb', V8_OBJECTS], ['ownBomb', OWN_OBJECTS]])('%s(%i) costs its call only, quickly and with little memory', async (fn, n) => {
    const { outcome, ms, growth } = await bomb(fn, n);
    expect(outcome.kind).toBe('crashed');
    expect((outcome as { message: string }).message).toMatch(/private channel \(fd 3\)/);
    expect(ms).toBeLessThan(5000);
    expect(growth).toBeLessThan(200 * 2 ** 20);
    expect(await sub.runner.call('ok', [])).toMatchObject({ kind: 'ok', value: 7 });
  });
});
