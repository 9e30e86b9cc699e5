/**
 * Gradescope end to end: the autograder zip is built, unpacked as
 * /autograder/source under a temporary root, set up by its own setup.sh
 * (Node from the npm registry, cached between runs in the system temp folder),
 * then run_autograder grades submissions the way Gradescope lays them out, and
 * every results.json is checked against Gradescope's published specification.
 */
import { chmod, cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFromReference } from '../instructor/starter.js';
import { buildGradescopeZip } from '../release/gradescope.js';
import { ROOT } from '../grader/root.js';

const SECRET = 'e2e-course-secret-0123456789abcdef';
/** Downloads of setup.sh kept between runs (Node and npm tarballs, checked against their pinned sha512). */
const NODE_CACHE = path.join(os.tmpdir(), 'bp-autograder-node-cache');
const FAST = ['--part', 'affine', '--part', 'softmax'];

interface Results {
  score?: number; output?: string; visibility?: string;
  tests?: { name: string; score: number; max_score: number; status: string; visibility: string; tags: string[] }[];
  leaderboard?: { name: string; value: number }[];
}

let base: string;
let source: string;
let nodeDir: string;
const validate = new Ajv({ allErrors: true, allowUnionTypes: true }).compile(JSON.parse(await readFile(path.join(ROOT, 'test/gradescope/results.schema.json'), 'utf8')) as object);

beforeAll(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), 'gradescope-e2e-'));
  await chmod(base, 0o755); // the sandbox's uid must reach Node and the grader, as under /
  const zip = path.join(base, 'autograder.zip');
  await buildGradescopeZip(zip, { secret: SECRET });
  source = path.join(base, 'source');
  await execa('unzip', ['-q', zip, '-d', source]);
  nodeDir = path.join(base, 'node');
  const setup = await execa('bash', [path.join(source, 'setup.sh')], {
    cwd: source, env: { BP_NODE_DIR: nodeDir, BP_NODE_CACHE: NODE_CACHE }, reject: false, all: true,
  });
  if (setup.exitCode !== 0) throw new Error(`setup.sh failed:\n${setup.all}`);
}, 600_000);
afterAll(async () => rm(base, { recursive: true, force: true }));

/** A Gradescope root for one submission: source linked in, the submission filled, metadata written. */
async function autograderRoot(name: string, fill: (submission: string) => Promise<void>, emails = ['student@example.edu']): Promise<string> {
  const root = path.join(base, name);
  await mkdir(path.join(root, 'submission'), { recursive: true });
  await symlink(source, path.join(root, 'source'));
  await fill(path.join(root, 'submission'));
  await writeFile(path.join(root, 'submission_metadata.json'), JSON.stringify({
    id: 1, created_at: '2026-11-25T10:00:00Z', assignment: { id: 2, title: 'Backprop' }, submission_method: 'upload',
    users: emails.map((email, i) => ({ email, id: i + 1, name: `Student ${i + 1}` })), previous_submissions: [],
  }));
  return root;
}

/** Runs run_autograder as Gradescope does (its copy at ROOT/run_autograder, from the working directory /). */
async function runAutograder(root: string, args: string[] = [], env: Record<string, string> = {}) {
  await cp(path.join(source, 'run_autograder'), path.join(root, 'run_autograder'));
  const r = await execa(path.join(root, 'run_autograder'), args, {
    cwd: '/', env: { AUTOGRADER_ROOT: root, BP_NODE_DIR: nodeDir, ...env }, reject: false, all: true,
  });
  const file = path.join(root, 'results', 'results.json');
  const results = existsSync(file) ? JSON.parse(await readFile(file, 'utf8')) as Results : undefined;
  return { r, results };
}

function expectValid(results: Results | undefined): asserts results is Results {
  expect(results).toBeDefined();
  expect(validate(results), JSON.stringify(validate.errors)).toBe(true);
}

const total = (r: Results) => r.tests!.reduce((s, t) => s + t.max_score, 0);

describe('Gradescope autograder, end to end', () => {
  it('gives the reference full marks, hidden tests after the due date, and a leaderboard', async () => {
    const root = await autograderRoot('reference', (dir) => writeFromReference(dir, 'solution'), ['zoe@example.edu', 'amy@example.edu']);
    const { r, results } = await runAutograder(root);
    expect(r.exitCode, r.all).toBe(0);
    expectValid(results);
    expect(r.all).toContain('hidden tests: built for amy@example.edu ('); // a group: the smallest email
    expect(results.score).toBeCloseTo(total(results), 9);
    expect(results.score).toBeCloseTo(95, 9); // CIFAR-10 (5 points) has no data on Gradescope: left out
    expect(results.tests!.every((t) => t.status === 'passed')).toBe(true);
    const hidden = results.tests!.filter((t) => t.name.includes('(hidden tests)'));
    expect(hidden.length).toBeGreaterThan(0);
    expect(hidden.every((t) => t.visibility === 'after_due_date')).toBe(true);
    expect(results.tests!.filter((t) => !t.name.includes('(hidden tests)')).every((t) => t.visibility === 'visible')).toBe(true);
    // half of each part's points are hidden: the student-visible output gives only the visible total
    expect(results.output).toMatch(/^Visible tests: 47\.5 \/ 47\.5\nHidden tests: 47\.5 more points, results shown after the due date/);
    expect(results.output).not.toMatch(/Total/);
    expect(results.leaderboard!.map((e) => e.name)).toEqual(['Training: two half-moons accuracy', 'Training: MNIST 784-500-10 accuracy']);
    expect(results.leaderboard!.every((e) => e.value > 0.8 && e.value <= 1)).toBe(true);
  }, 600_000);

  it('gives the starter 0 with a failed test per case', async () => {
    const root = await autograderRoot('starter', (dir) => writeFromReference(dir, 'stub'));
    const { r, results } = await runAutograder(root);
    expect(r.exitCode, r.all).toBe(0);
    expectValid(results);
    expect(results.score).toBe(0);
    expect(total(results)).toBeCloseTo(95, 9);
    expect(results.tests!.every((t) => t.status === 'failed')).toBe(true);
  }, 600_000);

  it('grades a submission that does not compile, says which file, and scores the rest', async () => {
    const root = await autograderRoot('broken', async (dir) => {
      await writeFromReference(dir, 'solution');
      await writeFile(path.join(dir, 'layers.ts'), 'export function affineForward( {\n');
    });
    const { r, results } = await runAutograder(root, ['--part', 'affine', '--part', 'activations']);
    expect(r.exitCode, r.all).toBe(0);
    expectValid(results);
    expect(results.score).toBeCloseTo(10, 9); // activations full, affine none
    expect(results.output).toMatch(/Warnings:\n- layers\.ts: /);
  }, 600_000);

  const layouts: [string, (dir: string) => Promise<void>][] = [
    ['files at the top level', (dir) => writeFromReference(dir, 'solution')],
    ['a whole repository', async (dir) => {
      await writeFromReference(path.join(dir, 'starter'), 'solution');
      await mkdir(path.join(dir, 'grader'));
      await writeFile(path.join(dir, 'grader', 'grade.ts'), 'export {};\n');
      await writeFile(path.join(dir, 'README.md'), '# my homework\n');
    }],
    ['a zip with one extra top folder', async (dir) => {
      await writeFromReference(path.join(dir, 'backprop-main', 'starter'), 'solution');
      await mkdir(path.join(dir, '__MACOSX', 'backprop-main', 'starter'), { recursive: true });
      await writeFile(path.join(dir, '__MACOSX', 'backprop-main', 'starter', 'layers.ts'), 'not code');
    }],
  ];
  for (const [i, [name, fill]] of layouts.entries()) {
    it(`grades ${name}`, async () => {
      const root = await autograderRoot(`layout-${i}`, fill);
      const { r, results } = await runAutograder(root, FAST);
      expect(r.exitCode, r.all).toBe(0);
      expectValid(results);
      expect(results.score).toBeCloseTo(20, 9);
      expect(total(results)).toBeCloseTo(20, 9);
    }, 300_000);
  }

  it('builds each student their own hidden tests, and a TA reproduces a grade offline from the export', async () => {
    const fingerprint = (log: string | undefined) => /hidden tests: built for (\S+) \((sha256:[0-9a-f]+)\)/.exec(log ?? '')!.slice(1);
    const amy = await runAutograder(await autograderRoot('amy', (dir) => writeFromReference(dir, 'solution'), ['amy@example.edu']), FAST);
    const bo = await runAutograder(await autograderRoot('bo', (dir) => writeFromReference(dir, 'solution'), ['bo@example.edu']), FAST);
    expect(fingerprint(amy.r.all)[0]).toBe('amy@example.edu');
    expect(fingerprint(bo.r.all)[1]).not.toBe(fingerprint(amy.r.all)[1]);

    // the export: one folder per submission and one submission_metadata.yml for all of them
    const exported = path.join(base, 'export');
    await writeFromReference(path.join(exported, 'submission_700', 'backprop-main', 'starter'), 'solution');
    await writeFile(path.join(exported, 'submission_metadata.yml'), [
      'submission_700:', '  :submitters:', '  - :name: Amy', '    :sid: \'7\'', '    :email: amy@example.edu', '  :score: 20.0', '',
    ].join('\n'));
    const out = path.join(base, 'reproduced.json');
    const r = await execa(path.join(source, 'bin', 'autograder'), [
      '--submission', path.join(exported, 'submission_700'), '--metadata', path.join(exported, 'submission_metadata.yml'),
      '--submission-id', 'submission_700', '--results', out, ...FAST,
    ], { env: { PATH: `${path.join(nodeDir, 'bin')}:${process.env.PATH}` }, reject: false, all: true });
    expect(r.exitCode, r.all).toBe(0);
    expect(fingerprint(r.all)).toEqual(fingerprint(amy.r.all));
    const reproduced = JSON.parse(await readFile(out, 'utf8')) as Results;
    expectValid(reproduced);
    const scores = (x: Results) => x.tests!.map((t) => [t.name, t.score]);
    expect(scores(reproduced)).toEqual(scores(amy.results!));
  }, 300_000);

  it('gives an upload without the assignment files 0 and tells the student what to upload', async () => {
    const root = await autograderRoot('empty', (dir) => writeFile(path.join(dir, 'notes.txt'), 'hello'));
    const { r, results } = await runAutograder(root);
    expect(r.exitCode, r.all).toBe(0);
    expectValid(results);
    expect(results.score).toBe(0);
    expect(results.output).toMatch(/^Your submission could not be graded: none of the assignment files .* Upload those files/);
  }, 120_000);

  /** A fault of the autograder: exit non-zero, and the results.json written has no score at all. */
  function expectAutograderError(run: { r: { exitCode?: number; all?: string }; results?: Results }, why: RegExp) {
    expect(run.r.exitCode).not.toBe(0);
    expect(run.r.all).toMatch(why);
    expect(run.results?.score).toBeUndefined();
    expect(run.results?.tests).toBeUndefined();
    expect(validate(run.results)).toBe(false); // Gradescope rejects it: an autograder error, never a 0
  }

  it('fails as an autograder error, never a 0, when the fixtures are corrupt', async () => {
    const file = path.join(source, 'fixtures', 'affine.json');
    const good = await readFile(file, 'utf8');
    await writeFile(file, good.replace('"points": 10', '"points": 100'));
    try {
      const root = await autograderRoot('corrupt', (dir) => writeFromReference(dir, 'solution'));
      expectAutograderError(await runAutograder(root, FAST), /affine\.json/);
    } finally {
      await writeFile(file, good);
    }
  }, 120_000);

  it('fails as an autograder error when it cannot tell who submitted (per-student tests)', async () => {
    const root = await autograderRoot('no-metadata', (dir) => writeFromReference(dir, 'solution'));
    await rm(path.join(root, 'submission_metadata.json'));
    expectAutograderError(await runAutograder(root, FAST), /cannot tell who submitted/);
  }, 120_000);

  it('fails as an autograder error when the sandbox check refuses (a required isolation layer missing)', async () => {
    // bin/grade as the strict grader answers on a machine without the uid drop: --check-sandbox exits 3
    const grade = path.join(source, 'bin', 'grade');
    const real = await readFile(grade);
    await writeFile(grade, [
      '#!/usr/bin/env bash',
      'case "$1" in',
      '  --help) echo "  --check-sandbox    probe every isolation layer";;',
      '  --check-sandbox) echo "uid drop   missing (required)"; exit 3;;',
      'esac',
    ].join('\n') + '\n');
    try {
      const root = await autograderRoot('refused', (dir) => writeFromReference(dir, 'solution'));
      const run = await runAutograder(root, FAST);
      expectAutograderError(run, /uid drop {3}missing[\s\S]*the sandbox check failed: a required isolation layer is missing/);
      expect(run.r.all).not.toMatch(/grading \. of the upload/); // refused before any grading
    } finally {
      await writeFile(grade, real);
    }
  }, 120_000);

  it('fails as an autograder error when Node is not installed', async () => {
    const root = await autograderRoot('no-node', (dir) => writeFromReference(dir, 'solution'));
    // a PATH with the shell tools the script uses and no node
    const tools = path.join(base, 'tools-without-node');
    await mkdir(tools, { recursive: true });
    for (const tool of ['bash', 'mktemp', 'rm', 'mkdir', 'dirname', 'readlink', 'tr', 'cut', 'grep', 'env']) {
      if (!existsSync(path.join(tools, tool))) await symlink((await execa('bash', ['-c', `command -v ${tool}`])).stdout, path.join(tools, tool));
    }
    expectAutograderError(await runAutograder(root, FAST, { BP_NODE_DIR: path.join(base, 'nowhere'), PATH: tools }), /Node\.js is not installed/);
  }, 120_000);
});
