/**
 * Issue 10: per-student results are written atomically and keyed by everything
 * that can change a grade, so a re-run knows what is fresh.
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { graderFingerprint, hashFolder, resultKey, ResultStore, type KeyContext, type StoredResult } from '../../batch/store.js';

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));
async function scratch(): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), 'store-test-'));
  dirs.push(d);
  return d;
}

const context: KeyContext = { grader: 'g', fixtures: 'f', options: { parts: ['affine'], callTimeoutMs: 10000 }, nodeMajor: 20, layers: ['uid', 'netns'] };

function result(id: string, key: string): StoredResult {
  return { version: 1, student: { id, notes: [] }, key, results: null, error: 'x', timeMs: 1, finishedAt: '2026-01-01T00:00:00Z' };
}

describe('resultKey', () => {
  it('changes with the upload, the grader, the fixtures, a score option, the Node major and the layers, and not with option order', () => {
    const base = resultKey('u', context);
    expect(resultKey('u', { ...context, options: { callTimeoutMs: 10000, parts: ['affine'] } })).toBe(base);
    expect(resultKey('u', { ...context, layers: ['netns', 'uid'] })).toBe(base);
    for (const other of [
      resultKey('u2', context), resultKey('u', { ...context, grader: 'g2' }), resultKey('u', { ...context, fixtures: 'f2' }),
      resultKey('u', { ...context, options: { parts: ['softmax'], callTimeoutMs: 10000 } }), resultKey('u', { ...context, nodeMajor: 22 }),
      resultKey('u', { ...context, layers: ['uid'] }), resultKey('u', context, 'per-student-fixtures'),
    ]) expect(other).not.toBe(base);
  });
});

describe('hashFolder', () => {
  it('depends on names and contents only, not on the folder itself', async () => {
    const a = await scratch(), b = await scratch();
    for (const d of [a, b]) {
      await mkdir(path.join(d, 'starter'));
      await writeFile(path.join(d, 'starter', 'layers.ts'), 'x');
    }
    expect(await hashFolder(a)).toBe(await hashFolder(b));
    await writeFile(path.join(b, 'starter', 'layers.ts'), 'y');
    expect(await hashFolder(a)).not.toBe(await hashFolder(b));
    await mkdir(path.join(a, 'node_modules'));
    await writeFile(path.join(a, 'node_modules', 'big.js'), 'ignored');
    await writeFile(path.join(b, 'starter', 'layers.ts'), 'x');
    expect(await hashFolder(a)).toBe(await hashFolder(b));
  });

  it('fingerprints the grader', async () => {
    expect(await graderFingerprint()).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('ResultStore', () => {
  it('keeps a result fresh only under its key, ignores temp files and rebuilds the list', async () => {
    const store = new ResultStore(path.join(await scratch(), 'results'));
    await store.write(result('alice', 'k1'));
    await store.write(result('bob', 'k2'));
    await writeFile(path.join(store.dir, 'carol.json.123.tmp'), '{"version":1,'); // a batch killed mid-write
    await writeFile(path.join(store.dir, 'dave.json'), 'not json');
    expect(await store.fresh('alice', 'k1')).toMatchObject({ key: 'k1' });
    expect(await store.fresh('alice', 'k2')).toBeUndefined();
    expect(await store.fresh('carol', 'k1')).toBeUndefined();
    expect((await store.all()).map((r) => r.student.id)).toEqual(['alice', 'bob']);
    await store.sweep();
    expect((await readdir(store.dir)).sort()).toEqual(['alice.json', 'bob.json', 'dave.json']);
  });
});
