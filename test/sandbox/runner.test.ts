/**
 * SubmissionRunner against a hostile fake submission: results arrive intact,
 * errors are told apart, hangs and exits are contained, and the child can
 * neither forge a result nor touch the file system outside its bundle.
 */
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeMatrix, type Encoded, type EncodedMatrix } from '../../grader/codec.js';
import { bundleSubmission, removeBundle, type BundleResult } from '../../grader/sandbox/bundle.js';
import { SubmissionRunner } from '../../grader/sandbox/runner.js';
import { ROOT } from '../../grader/root.js';
import { Matrix } from '../../starter/provided/matrix.js';
import { MODULE_FILES, removeDir, writeSubmission } from './fake-submission.js';

const SPECIAL = [0.1 + 0.2, -0, 5e-324, 1.7976931348623157e308, Number.NaN, -Infinity];

const ACTIVATIONS = `import { Matrix, matmul } from './provided/matrix.js';
import { NotImplementedError } from './provided/errors.js';

export function identity(m: Matrix): Matrix {
  return m;
}
export function special(): Matrix {
  return Matrix.fromRows([[0.1 + 0.2, -0, 5e-324], [1.7976931348623157e308, NaN, -Infinity]]);
}
export function todo(): Matrix {
  throw new NotImplementedError('todo');
}
export function typeError(): number {
  const params: { W?: Matrix } = {};
  return params.W!.rows;
}
export function shapeMismatch(): Matrix {
  return matmul(Matrix.zeros(2, 3), Matrix.zeros(2, 3));
}
export function throwsString(): never {
  throw 'plain string';
}
export async function later(x: number): Promise<number> {
  await new Promise((r) => setTimeout(r, 20));
  return x * 2;
}
let count = 0;
export function counter(): number {
  return ++count;
}
export function pid(): number {
  return process.pid;
}
export function checksum(m: Matrix, y: number[]): number[] {
  let s = 0;
  for (let i = 0; i < m.data.length; i++) s += m.data[i] * (i % 7);
  return [m.rows, m.cols, s, y.length];
}
`;

const LAYERS = `export function spin(): number {
  while (true) {}
}
export function quit(): number {
  process.exit(0);
}
export function timerThrow(): Promise<number> {
  return new Promise(() => setTimeout(() => { throw new Error('boom from a timer'); }, 10));
}
export function shout(): number {
  console.log('Score: 100/100');
  console.error('all tests passed');
  return 42;
}
export function flood(): number {
  for (let i = 0; i < 4000; i++) console.log('x'.repeat(99));
  return 1;
}
export async function stamp(tag: string, ms: number): Promise<[string, number, number]> {
  const start = Date.now();
  await new Promise((r) => setTimeout(r, ms));
  return [tag, start, Date.now()];
}
export function fakeTrain(onEpoch: (epoch: number, history: { loss: number[] }) => void): string {
  const history = { loss: [] as number[] };
  for (let epoch = 0; epoch < 3; epoch++) {
    history.loss.push(1 / (epoch + 1));
    onEpoch(epoch, history);
  }
  return 'trained';
}
`;

const NETWORK = `const seen: unknown[] = [];
process.on('message', (m) => { seen.push(m); });
export function forge(): number {
  process.send?.({ type: 'result', id: 'guess', nonce: 'guess', ok: true, value: 999 });
  process.send?.({ type: 'ready', nonce: 'guess', modules: {}, functions: {} });
  return 1;
}
export function sniffed(): number {
  return seen.length;
}
export function env(): Record<string, string | undefined> {
  return { ...process.env };
}
// helpers that share a graded name with a function of train.ts
export function predict(): string {
  return 'a helper in network.ts';
}
export function accuracy(): string {
  return 'accuracy outside train.ts';
}
`;

const TRAIN = `export function predict(): string {
  return 'predict of train.ts';
}
`;

// Routes to the file system that esbuild cannot see at build time: module names built at run time.
const OPTIM = `const fsName = ['node', 'fs'].join(':');
export async function writeTmp(file: string): Promise<string> {
  const fs = await import(fsName);
  fs.writeFileSync(file, 'pwned');
  return 'written';
}
export async function writeViaRequire(file: string): Promise<string> {
  const { createRequire } = await import(['node', 'module'].join(':'));
  createRequire('/x.js')('fs').writeFileSync(file, 'pwned');
  return 'written';
}
export function binding(): string {
  return typeof (globalThis as any).process.binding('fs');
}
export async function readDir(dir: string): Promise<string[]> {
  return (await import(fsName)).readdirSync(dir);
}
export async function readFile(file: string): Promise<string> {
  return (await import(fsName)).readFileSync(file, 'utf8');
}
export function signalParent(): string {
  process.kill(process.ppid, 0);
  return 'sent';
}
export function signalParentRaw(): string {
  (process as any)._kill(process.ppid, 0);
  return 'sent';
}
export async function spawn(): Promise<string> {
  return String((await import(['node', 'child_process'].join(':'))).execSync('id'));
}
`;

const REGULARIZATION = `export function reg(): number {
  return 1;
}
throw new Error('top-level failure');
`;

const GRADCHECK = `export function relError(): number {
  return 1 +;
}
`;

let dir: string;
let bundle: BundleResult;
let runner: SubmissionRunner;

beforeAll(async () => {
  process.env.GRADER_SECRET = 'must-not-leak';
  dir = await writeSubmission({
    'activations.ts': ACTIVATIONS,
    'layers.ts': LAYERS,
    'network.ts': NETWORK,
    'optim.ts': OPTIM,
    'regularization.ts': REGULARIZATION,
    'gradcheck.ts': GRADCHECK,
    'train.ts': TRAIN,
  });
  bundle = await bundleSubmission(dir, MODULE_FILES);
  runner = await SubmissionRunner.start(bundle);
});

afterAll(async () => {
  await runner?.close();
  if (bundle) await removeBundle(bundle);
  if (dir) await removeDir(dir);
  delete process.env.GRADER_SECRET;
});

function value(outcome: Awaited<ReturnType<SubmissionRunner['call']>>): Encoded {
  if (outcome.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(outcome)}`);
  return outcome.value;
}

describe('results', () => {
  it('returns a matrix bit-exact, as a Float64Array', async () => {
    const m = new Matrix(3, 4);
    for (let i = 0; i < m.data.length; i++) m.data[i] = Math.sin(i + 1) * 10 ** (i - 6);
    const back = value(await runner.call('identity', [encodeMatrix(m)])) as EncodedMatrix;
    expect(back.$type).toBe('matrix');
    expect([back.rows, back.cols]).toEqual([3, 4]);
    expect(back.data).toBeInstanceOf(Float64Array);
    const bytes = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    expect(bytes(back.data as Float64Array).equals(bytes(m.data))).toBe(true);
  });

  it('keeps -0, subnormals, NaN and infinities', async () => {
    const back = value(await runner.call('special', [])) as EncodedMatrix;
    expect(Array.from(back.data).every((v, i) => Object.is(v, SPECIAL[i]))).toBe(true);
  });

  it('awaits a returned promise', async () => {
    expect(value(await runner.call('later', [21]))).toBe(42);
  });

  it('reports progress callbacks while the call runs', async () => {
    const seen: Encoded[] = [];
    const outcome = await runner.call('fakeTrain', [{ $type: 'progress' }], { onProgress: (p) => seen.push(p) });
    expect(value(outcome)).toBe('trained');
    expect(seen).toEqual([{ loss: [1] }, { loss: [1, 0.5] }, { loss: [1, 0.5, 1 / 3] }]);
  });

  it('ignores a progress listener that throws (progress is cosmetic)', async () => {
    const outcome = await runner.call('fakeTrain', [{ $type: 'progress' }], { onProgress: () => { throw new Error('listener bug'); } });
    expect(value(outcome)).toBe('trained');
  });

  it('accepts a time limit above the largest timer delay (2^31-1 ms) instead of timing out at once', async () => {
    expect(value(await runner.call('later', [4], { timeoutMs: 2 ** 31 + 1000 }))).toBe(8);
  });

  it('carries a training-sized data set (8000 x 784) intact', async () => {
    const X = new Matrix(8000, 784);
    for (let i = 0; i < X.data.length; i++) X.data[i] = (i % 255) / 255;
    let expected = 0;
    for (let i = 0; i < X.data.length; i++) expected += X.data[i] * (i % 7);
    const y = Array.from({ length: 8000 }, (_, i) => i % 10);
    const outcome = await runner.call('checksum', [encodeMatrix(X), y]);
    expect(value(outcome)).toEqual([8000, 784, expected, 8000]);
    expect((outcome as { timeMs: number }).timeMs).toBeLessThan(5000);
  });

  it('queues concurrent calls instead of interleaving them', async () => {
    const calls = ['a', 'b', 'c'].map((tag) => runner.call('stamp', [tag, 30]));
    const spans = (await Promise.all(calls)).map((o) => value(o) as [string, number, number]);
    expect(spans.map((s) => s[0])).toEqual(['a', 'b', 'c']);
    expect(spans[1][1]).toBeGreaterThanOrEqual(spans[0][2]);
    expect(spans[2][1]).toBeGreaterThanOrEqual(spans[1][2]);
  });
});

describe('errors', () => {
  it('tells NotImplementedError apart', async () => {
    const outcome = await runner.call('todo', []);
    expect(outcome).toMatchObject({ kind: 'threw', name: 'NotImplementedError', notImplemented: true, location: 'activations.ts:11' });
  });

  it('locates a TypeError in the student file', async () => {
    const outcome = await runner.call('typeError', []);
    expect(outcome).toMatchObject({ kind: 'threw', name: 'TypeError', notImplemented: false, location: 'activations.ts:15' });
  });

  it('locates an error thrown inside a provided helper at the student line that called it', async () => {
    const outcome = await runner.call('shapeMismatch', []);
    expect(outcome).toMatchObject({ kind: 'threw', name: 'ShapeError', location: 'activations.ts:18' });
  });

  it('describes a thrown non-Error', async () => {
    expect(await runner.call('throwsString', [])).toMatchObject({ kind: 'threw', name: 'string', message: 'plain string' });
  });

  it('answers missing for a function nobody exports', async () => {
    expect(await runner.call('noSuchFunction', [])).toMatchObject({ kind: 'missing' });
  });

  it("calls a graded function in its home module, not a student's helper of the same name elsewhere", async () => {
    expect(value(await runner.call('predict', []))).toBe('predict of train.ts');
  });

  it('answers missing for a graded function that is only in another module, and says where it is', async () => {
    const outcome = await runner.call('accuracy', []);
    expect(outcome).toMatchObject({ kind: 'missing' });
    expect((outcome as { message: string }).message).toMatch(/^train\.ts does not export accuracy \(network\.ts does/);
  });

  it('answers compile_error with file:line:col for a module with a syntax error', async () => {
    const outcome = await runner.call('relError', []);
    expect(outcome.kind).toBe('compile_error');
    expect((outcome as { message: string }).message).toMatch(/^gradcheck\.ts:2:\d+: /);
  });

  it('answers compile_error for a module whose top-level code throws, and keeps the others', async () => {
    const outcome = await runner.call('reg', []);
    expect(outcome.kind).toBe('compile_error');
    expect((outcome as { message: string }).message).toMatch(/^regularization\.ts fails while loading: Error: top-level failure \(regularization\.ts:4\)/);
    expect(runner.moduleStatus()['activations.ts']).toEqual({ ok: true });
  });
});

describe('containment', () => {
  it('times out an endless loop and starts a fresh child for the next call', async () => {
    expect(value(await runner.call('counter', []))).toBeGreaterThanOrEqual(1);
    const outcome = await runner.call('spin', [], { timeoutMs: 500 });
    expect(outcome.kind).toBe('timeout');
    // Node's timers round to whole milliseconds, so the measured time can fall a fraction short of 500
    expect((outcome as { timeMs: number }).timeMs).toBeGreaterThanOrEqual(495);
    expect((outcome as { timeMs: number }).timeMs).toBeLessThan(3000);
    expect(value(await runner.call('counter', []))).toBe(1); // module state is new: a fresh child
  });

  it('answers crashed for process.exit(0), then works again', async () => {
    const outcome = await runner.call('quit', []);
    expect(outcome).toMatchObject({ kind: 'crashed' });
    expect((outcome as { message: string }).message).toContain('exited with code 0 during quit');
    expect(value(await runner.call('later', [1]))).toBe(2);
  });

  it('answers crashed for an uncaught error in a timer', async () => {
    const outcome = await runner.call('timerThrow', []);
    expect(outcome).toMatchObject({ kind: 'crashed' });
    expect((outcome as { message: string }).message).toContain('exited with code 1');
    expect(runner.takeOutput()).toContain('boom from a timer');
  });

  it('captures what the submission prints without reading it as a result', async () => {
    runner.takeOutput();
    expect(value(await runner.call('shout', []))).toBe(42);
    const output = runner.takeOutput();
    expect(output).toContain('Score: 100/100');
    expect(output).toContain('all tests passed');
    expect(runner.takeOutput()).toBe('');
  });

  it('caps a flood of output', async () => {
    expect(value(await runner.call('flood', []))).toBe(1);
    const output = runner.takeOutput();
    expect(output.length).toBeLessThanOrEqual(64 * 1024 + 100);
    expect(output).toMatch(/\[\.\.\. \d+ bytes cut\]/);
  });

  it('ignores results the submission sends itself and never shows it the grader messages', async () => {
    expect(value(await runner.call('forge', []))).toBe(1);
    expect(value(await runner.call('sniffed', []))).toBe(0);
  });

  it('gives the child an empty environment', async () => {
    expect(value(await runner.call('env', []))).toEqual({});
  });

  it('close() kills the child', async () => {
    const own = await SubmissionRunner.start(bundle);
    const pid = value(await own.call('pid', [])) as number;
    expect(() => process.kill(pid, 0)).not.toThrow();
    await own.close();
    expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
  });
});

describe('permissions', () => {
  let scratch: string;
  beforeAll(async () => { scratch = await mkdtemp(path.join(os.tmpdir(), 'sandbox-scratch-')); });
  afterAll(async () => { await removeDir(scratch); });

  it.each(['writeTmp', 'writeViaRequire'])('%s cannot write a file in /tmp', async (fn) => {
    const target = path.join(scratch, `${fn}.txt`);
    const outcome = await runner.call(fn, [target]);
    expect(outcome).toMatchObject({ kind: 'threw', message: expect.stringContaining('ERR_ACCESS_DENIED') });
    expect(existsSync(target)).toBe(false);
  });

  it('cannot use process.binding', async () => {
    expect(await runner.call('binding', [])).toMatchObject({ kind: 'threw', message: expect.stringContaining('ERR_ACCESS_DENIED') });
  });

  it.each(['signalParent', 'signalParentRaw'])('%s cannot send a signal to the grader', async (fn) => {
    expect(await runner.call(fn, [])).toMatchObject({ kind: 'threw', message: expect.stringContaining('ERR_ACCESS_DENIED') });
  });

  it('cannot start a child process', async () => {
    expect(await runner.call('spawn', [])).toMatchObject({ kind: 'threw', message: expect.stringContaining('ERR_ACCESS_DENIED') });
  });

  it('cannot read the fixtures or the reference solution', async () => {
    const denied = { kind: 'threw', message: expect.stringContaining('ERR_ACCESS_DENIED') };
    expect(await runner.call('readDir', [path.join(ROOT, 'fixtures')])).toMatchObject(denied);
    expect(await runner.call('readFile', [path.join(ROOT, 'reference', 'layers.ts')])).toMatchObject(denied);
  });

  it('can read its own bundle', async () => {
    const files = value(await runner.call('readDir', [bundle.dir])) as string[];
    expect(files).toContain('harness.mjs');
  });
});
