import { mkdtemp, mkdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFromReference } from '../instructor/starter.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'autograder-'));
});
afterAll(async () => rm(root, { recursive: true, force: true }));

async function run(name: string, fill: (submission: string) => Promise<void>) {
  const dir = path.join(root, name);
  await mkdir(path.join(dir, 'submission'), { recursive: true });
  await fill(path.join(dir, 'submission'));
  const r = await execa('bash', ['gradescope/run_autograder'], {
    env: { AUTOGRADER_ROOT: dir, GRADER_ARGS: '--part affine --part softmax' }, reject: false,
  });
  const results = JSON.parse(await readFile(path.join(dir, 'results', 'results.json'), 'utf8')) as { score: number; tests: unknown[]; output?: string };
  return { r, results };
}

describe('gradescope/run_autograder', () => {
  it('grades the uploaded folder (or the starter/ inside it) into results.json', async () => {
    for (const layout of ['flat', 'nested'] as const) {
      const { r, results } = await run(layout, (dir) => writeFromReference(layout === 'flat' ? dir : path.join(dir, 'starter'), 'solution'));
      expect(r.exitCode).toBe(0);
      expect(results.score).toBe(20);
      expect(results.tests.length).toBeGreaterThan(5);
    }
  });

  it('still writes a results.json when the submission cannot be graded', async () => {
    const { r, results } = await run('empty', async () => {});
    expect(r.exitCode).toBe(0);
    expect(results.score).toBe(0);
    expect(results.output).toMatch(/could not grade/);
  });
});
