/**
 * `npm run release`: builds the student repository into a temp folder, installs
 * it from its own lock file (offline from the npm cache where it can), and
 * checks that its commands work there and that nothing of the solution ships:
 * one commit, no forbidden path in the tree or the history, the leak check.
 */
import { cp, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../grader/root.js';
import { copiedCode, dropInExports, gradedFunctions, leakCheck, readSources, solutionBlocks } from '../release/leak-check.js';
import { FORBIDDEN, forbiddenMatch } from '../release/files.js';
import { RELEASE_DEPENDENCIES, RELEASE_DEV_DEPENDENCIES } from '../release/package-json.js';
import { listFiles } from '../release/student.js';
import { removeTempDirs, solutionSubmission } from './grader/helpers.js';

const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
let tmp: string;
let repo: string;
const env = { NO_COLOR: '1', npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false' };
/** Runs a command in the release; never throws, the test reads the exit code. */
const inRepo = (cmd: string, args: string[]) => execa(cmd, args, { cwd: repo, reject: false, env });
const referenceFiles = async () => (await readdir(path.join(ROOT, 'reference'))).filter((f) => f.endsWith('.ts'));

let tree: string[];

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'release-test-'));
  repo = path.join(tmp, 'student');
  const built = await execa(TSX, ['cli/release.ts', '--out', repo, '--min-score', '60'], { cwd: ROOT, reject: false, env });
  expect(built.stderr).toBe('');
  expect(built.exitCode).toBe(0);
  const install = await inRepo('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund']);
  expect(install.exitCode, install.stderr).toBe(0);
  tree = (await inRepo('git', ['ls-tree', '-r', '--name-only', 'HEAD'])).stdout.split('\n');
}, 300_000);

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
  await removeTempDirs();
});

describe('the student repository', () => {
  it('is a git repository with exactly one commit and nothing forbidden in its tree or history', async () => {
    expect((await inRepo('git', ['rev-list', '--count', '--all'])).stdout.trim()).toBe('1');
    const history = (await inRepo('git', ['log', '--all', '--name-only', '--format='])).stdout.split('\n').filter(Boolean);
    expect(tree.filter((f) => forbiddenMatch(f))).toEqual([]);
    expect(history.filter((f) => forbiddenMatch(f))).toEqual([]);
    expect(tree).toEqual(expect.arrayContaining(['starter/train.ts', 'starter/provided/matrix.ts', 'grader/grade.ts', 'fixtures/manifest.json',
      'README.md', 'package.json', 'package-lock.json', '.github/workflows/grade.yml', '.gitlab-ci.yml']));
    expect(tree.some((f) => f.startsWith('reference/') || f.startsWith('instructor/') || f.startsWith('test/'))).toBe(false);
    expect((await inRepo('git', ['status', '--porcelain', '--untracked-files=no'])).stdout).toBe('');
  });

  it('the forbidden-path patterns catch what they must (the tree check can fail)', () => {
    for (const f of ['reference/train.ts', 'instructor/fixtures/build.ts', 'test/release.test.ts', 'fixtures-hidden/manifest.json', 'cli/fixtures.ts', 'tuning/reference-trainer.ts', 'release/leak-check.ts', 'cli/import-reference.ts']) {
      expect(forbiddenMatch(f), f).toBeDefined();
    }
    expect(FORBIDDEN.some((p) => p.test('starter/train.ts'))).toBe(false);
  });

  it('has a package.json with only the student commands and dependencies, and the project\'s lock pruned to them', async () => {
    const pkg = JSON.parse(await readFile(path.join(repo, 'package.json'), 'utf8'));
    expect(Object.keys(pkg.scripts).sort()).toEqual(['grade', 'train', 'tune', 'typecheck']);
    expect(Object.keys(pkg.dependencies).sort()).toEqual([...RELEASE_DEPENDENCIES].sort());
    expect(Object.keys(pkg.devDependencies).sort()).toEqual([...RELEASE_DEV_DEPENDENCIES].sort());
    const lock = JSON.parse(await readFile(path.join(repo, 'package-lock.json'), 'utf8'));
    const project = JSON.parse(await readFile(path.join(ROOT, 'package-lock.json'), 'utf8'));
    for (const gone of ['vitest', 'fast-xml-parser', 'wabt', 'json-schema-to-typescript']) expect(lock.packages[`node_modules/${gone}`]).toBeUndefined();
    for (const [at, entry] of Object.entries<{ version?: string; integrity?: string }>(lock.packages)) {
      if (at === '') continue;
      expect(project.packages[at], at).toBeDefined();
      expect([entry.version, entry.integrity]).toEqual([project.packages[at].version, project.packages[at].integrity]);
    }
    // npm itself finds the installed tree consistent with the lock and package.json,
    // and rewriting the lock from package.json gives the same bytes (flags, order and all)
    const ls = await inRepo('npm', ['ls', '--all']);
    expect(ls.exitCode, ls.stderr).toBe(0);
    const written = await readFile(path.join(repo, 'package-lock.json'), 'utf8');
    const relock = await inRepo('npm', ['install', '--package-lock-only', '--prefer-offline', '--no-audit', '--no-fund']);
    expect(relock.exitCode, relock.stderr).toBe(0);
    expect(await readFile(path.join(repo, 'package-lock.json'), 'utf8')).toBe(written);
  }, 120_000);

  it('has a README for students that names only folders and commands the repository has', async () => {
    const readme = await readFile(path.join(repo, 'README.md'), 'utf8');
    expect(readme).not.toMatch(/\{\{|reference\/|instructor\/|npm test\b|npm run (fixtures|starter|bench)/);
    const folders = [...readme.matchAll(/`((?:[a-z-]+\/)+)`/g)].map((m) => m[1]);
    expect(folders).toEqual(expect.arrayContaining(['starter/', 'starter/provided/']));
    for (const folder of folders) expect(tree, folder).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^${folder}`))]));
    const pkg = JSON.parse(await readFile(path.join(repo, 'package.json'), 'utf8'));
    for (const [, script] of readme.matchAll(/npm run ([a-z:-]+)/g)) expect(Object.keys(pkg.scripts), script).toContain(script);
    for (const id of ['activations', 'train_cifar10']) expect(readme).toContain(`| \`${id}\` |`);
  });

  it('typechecks clean', async () => {
    const r = await inRepo('npm', ['run', 'typecheck']);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
  }, 120_000);

  it('grades the starter (exit 1, every part not implemented) with reports that name no absolute path', async () => {
    const r = await inRepo('npm', ['run', 'grade', '--', '--json', 'out/r.json', '--junit', 'out/j.xml', '--markdown', 'out/s.md']);
    expect(r.exitCode).toBe(1);
    // CIFAR-10 has no data in the kit, so it is left out of the maximum (100 - 5)
    expect(r.stdout).toMatch(/^Total: 0 \/ 95/m);
    expect(r.stdout).toContain('NOT IMPLEMENTED');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    for (const report of ['out/r.json', 'out/j.xml', 'out/s.md', 'out/grade-report.html']) {
      const text = await readFile(path.join(repo, report), 'utf8');
      expect(text, report).not.toContain(tmp);
    }
    expect(JSON.parse(await readFile(path.join(repo, 'out/r.json'), 'utf8')).submission).toBe('starter');
    // it ran from the precompiled bundle (bin/run-command.mjs), not through the tsx loader
    const stamp = JSON.parse(await readFile(path.join(repo, 'dist', 'grade.json'), 'utf8')) as { file: string; inputs: Record<string, string> };
    expect(Object.keys(stamp.inputs)).toContain('cli/grade.ts');
    expect(Object.keys(stamp.inputs).filter((f) => /^(reference|instructor)\//.test(f))).toEqual([]);
  }, 180_000);

  it('grades a correct submission with full marks (exit 0)', async () => {
    const solution = await solutionSubmission();
    await cp(solution, path.join(repo, 'mine'), { recursive: true });
    const r = await inRepo('npm', ['run', 'grade', '--', '--submission', 'mine', '--part', 'activations', '--part', 'affine', '--part', 'train_moons', '--no-html']);
    expect(r.exitCode, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/^Total: 30 \/ 30/m);
  }, 180_000);

  it('trains the student\'s own network with npm run train (never the reference)', async () => {
    const starter = await inRepo('npm', ['run', 'train', '--', '--dataset', 'moons', '--epochs', '2']);
    expect(starter.exitCode).toBe(1);
    expect(starter.stderr).toMatch(/not implemented/i);
    const mine = await inRepo('npm', ['run', 'train', '--', '--dataset', 'moons', '--epochs', '20', '--submission', 'mine', '--out', 'out/train']);
    expect(mine.exitCode, mine.stderr).toBe(0);
    expect(mine.stdout).toMatch(/^test accuracy 0\.\d{4}$/m);
  }, 180_000);

  it('passes the leak check', async () => {
    expect(await leakCheck(path.join(ROOT, 'reference'), await referenceFiles(), repo, tree)).toEqual([]);
  });
});

describe('the leak check', () => {
  it('finds a solution block pasted into a shipped file, however it is laid out', async () => {
    const reference = await readSources(path.join(ROOT, 'reference'), await referenceFiles());
    const blocks = Object.entries(reference).flatMap(([f, s]) => solutionBlocks(`reference/${f}`, s));
    const train = blocks.find((b) => b.file === 'reference/train.ts' && b.tokens.length > 100)!;
    const pasted = `// a helper\nexport function helper() {\n${train.tokens.join('\n    ')}\n}\n`;
    const leaks = copiedCode(blocks, { 'grader/helper.ts': pasted, 'grader/clean.ts': 'export const x = 1;\n' });
    expect(leaks.map((l) => l.message)).toEqual([expect.stringMatching(/^grader\/helper\.ts contains solution code of reference\/train\.ts:\d+/)]);
  });

  it('finds a grader module exporting a graded function\'s name and arity, and leaves starter/ alone', async () => {
    const graded = gradedFunctions(await readSources(path.join(ROOT, 'reference'), await referenceFiles()));
    expect(graded.get('affineForward')).toBe(3);
    const leaks = dropInExports(graded, {
      'grader/evaluate-more.ts': 'export function affineForward(x: unknown, w: unknown, b: unknown) { return [x, w, b]; }\n',
      'grader/other.ts': 'export const affineForward2 = (x: unknown) => x;\n',
      'starter/layers.ts': 'export function affineForward(x: unknown, w: unknown, b: unknown) { return [x, w, b]; }\n',
    });
    expect(leaks.map((l) => l.message)).toEqual(['grader/evaluate-more.ts exports affineForward with 3 parameters, the signature of a graded function']);
  });
});

describe('npm run release', () => {
  it('refuses a folder that is not empty, in one line', async () => {
    const dir = path.join(tmp, 'full');
    await cp(path.join(ROOT, 'fixtures', 'schema'), dir, { recursive: true });
    const r = await execa(TSX, ['cli/release.ts', '--out', dir], { cwd: ROOT, reject: false, env });
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim()).toMatch(/^release: --out .*full: already exists and is not an empty folder; pass a new folder$/);
  });

  it('lists the files of a folder recursively, sorted', async () => {
    expect(await listFiles(path.join(ROOT, 'fixtures', 'schema'))).toEqual(['config.schema.json', 'manifest.schema.json', 'part.schema.json']);
  });
});
