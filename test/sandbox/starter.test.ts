/**
 * The real kits through the sandbox: the generated starter answers
 * notImplemented everywhere, the reference solution answers correctly, and a
 * sabotaged provided/matrix.ts changes nothing.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decode, encodeMatrix, type Encoded } from '../../grader/codec.js';
import { bundleSubmission, removeBundle, type BundleResult } from '../../grader/sandbox/bundle.js';
import { SubmissionRunner } from '../../grader/sandbox/runner.js';
import { referenceModules, STARTER_DIR, writeFromReference } from '../../instructor/starter.js';
import { dropoutForward } from '../../reference/dropout.js';
import { affineForward } from '../../reference/layers.js';
import { Matrix } from '../../starter/provided/matrix.js';
import { Random } from '../../starter/provided/random.js';
import { removeDir } from './fake-submission.js';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';

const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const f of cleanup.reverse()) await f();
});

async function start(dir: string): Promise<{ bundle: BundleResult; runner: SubmissionRunner }> {
  const bundle = await bundleSubmission(dir, await referenceModules());
  const runner = await SubmissionRunner.start(bundle);
  cleanup.push(() => removeBundle(bundle), () => runner.close());
  return { bundle, runner };
}

async function solutionDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'fake-sub-'));
  cleanup.push(() => removeDir(dir));
  await writeFromReference(dir, 'solution');
  return dir;
}

function randomMatrix(rows: number, cols: number, rng: Random): Matrix {
  const m = new Matrix(rows, cols);
  for (let i = 0; i < m.data.length; i++) m.data[i] = rng.normal();
  return m;
}

const asMatrix = (v: Encoded) => decode(v, { random: (seed) => new Random(seed) }) as Matrix;

describe('the generated starter', () => {
  it('bundles, and every stub answers notImplemented at its own line', async () => {
    const { bundle, runner } = await start(STARTER_DIR);
    expect(Object.values(bundle.modules).every((s) => s.ok)).toBe(true);
    const stubs: { file: string; fn: string; line: number }[] = [];
    for (const file of await referenceModules()) {
      const lines = (await readFile(path.join(STARTER_DIR, file), 'utf8')).split('\n');
      lines.forEach((text, i) => {
        const m = /throw new NotImplementedError\('(\w+)'\)/.exec(text);
        if (m) stubs.push({ file, fn: m[1], line: i + 1 });
      });
    }
    expect(stubs.length).toBeGreaterThan(25);
    for (const { file, fn, line } of stubs) {
      const outcome = await runner.call(fn, []);
      expect(outcome, fn).toMatchObject({ kind: 'threw', name: 'NotImplementedError', notImplemented: true, location: `${file}:${line}` });
    }
  });
});

describe('the reference solution', () => {
  const rng = new Random('sandbox-test');
  const x = randomMatrix(5, 4, rng);
  const W = randomMatrix(4, 3, rng);
  const b = randomMatrix(1, 3, rng);
  const args = [encodeMatrix(x), encodeMatrix(W), encodeMatrix(b)];

  it('answers affineForward exactly as the reference does in-process', async () => {
    const { runner } = await start(await solutionDir());
    const outcome = await runner.call('affineForward', args);
    if (outcome.kind !== 'ok') throw new Error(JSON.stringify(outcome));
    expect(Array.from(asMatrix(outcome.value).data)).toEqual(Array.from(affineForward(x, W, b).data));
  });

  it('builds a seeded Random in the child that draws what the parent draws', async () => {
    const { runner } = await start(await solutionDir());
    const outcome = await runner.call('dropoutForward', [encodeMatrix(x), 0.5, { $type: 'random', seed: 'drop' }]);
    if (outcome.kind !== 'ok') throw new Error(JSON.stringify(outcome));
    const expected = dropoutForward(x, 0.5, new Random('drop'));
    expect(Array.from(asMatrix((outcome.value as { mask: Encoded }).mask).data)).toEqual(Array.from(expected.mask.data));
  });

  it('still uses the trusted matmul when the submission sabotages provided/matrix.ts', async () => {
    const dir = await solutionDir();
    const file = path.join(dir, 'provided', 'matrix.ts');
    const header = 'export function matmul(a: Matrix, b: Matrix, transA = false, transB = false): Matrix {';
    const original = await readFile(file, 'utf8');
    expect(original).toContain(header);
    await writeFile(file, original.replace(header, `${header}\n  return new Matrix(transA ? a.cols : a.rows, transB ? b.rows : b.cols);`));
    const sabotaged = await import(file) as { matmul: (a: Matrix, b: Matrix) => Matrix };
    expect(Array.from(sabotaged.matmul(x, W).data).every((v) => v === 0)).toBe(true);

    const { runner } = await start(dir);
    const outcome = await runner.call('affineForward', args);
    if (outcome.kind !== 'ok') throw new Error(JSON.stringify(outcome));
    expect(Array.from(asMatrix(outcome.value).data)).toEqual(Array.from(affineForward(x, W, b).data));
  });
});
