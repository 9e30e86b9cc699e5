/**
 * `npm run train`: it must run end to end, write its plots and summary, and
 * answer every bad command line with one line and exit code 2 (never a stack trace).
 * The argument and progress helpers are shared with `npm run tune`, so they are tested directly too.
 */
import { cp, mkdtemp, readFile, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSyntheticCifar10, writeCifar10TarGz } from '../starter/provided/data/index.js';
import { parseHidden, readHyperparameters, type Hyperparameters } from '../cli/args.js';
import { createProgress, formatEpoch } from '../cli/progress.js';
import { parseNumber } from '../common/flags.js';
import { progressBar } from '../common/progress-bar.js';
import { UsageError } from '../common/usage-error.js';
import { DEFAULTS, parseTrainArgs } from '../cli/train-args.js';
import { removeTempDirs, solutionSubmission } from './grader/helpers.js';
import { EXCLUDED, SHIPPED_FILES, SHIPPED_FOLDERS } from '../release/files.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// tsx itself rather than `npx tsx`: npx may add its own warnings to stderr.
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

/** Runs the train CLI in the project root; never throws on a non-zero exit. */
function train(...args: string[]) {
  return execa(TSX, ['cli/train.ts', ...args], { cwd: ROOT, reject: false, env: { NO_COLOR: '1' } });
}

let tmp: string;
beforeAll(async () => { tmp = await mkdtemp(path.join(tmpdir(), 'cli-train-')); });
afterAll(async () => { await rm(tmp, { recursive: true, force: true }); await removeTempDirs(); });

/** Asserts a failure reported as exactly one line on stderr, with no stack trace. */
function expectOneLineFailure(result: { exitCode?: number; stderr: string }, code: number, pattern: RegExp): void {
  expect(result.exitCode).toBe(code);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^train: /);
  expect(lines[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

describe('npm run train', () => {
  it('trains on the moons for 5 epochs and writes the plots and summary', async () => {
    const out = path.join(tmp, 'moons');
    const result = await train('--dataset', 'moons', '--epochs', '5', '--val', '0.25', '--out', out);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^train accuracy 0\.\d{4}\nvalidation accuracy 0\.\d{4}\ntest accuracy 0\.\d{4}$/);
    // not a terminal: one plain line per epoch, with the validation accuracy
    expect(result.stderr.match(/^epoch \d\/5 {2}loss \d\.\d{4} {2}train \d\.\d{3} {2}val \d\.\d{3} {2}\d+\.\ds$/gm)).toHaveLength(5);
    expect((await readdir(out)).sort()).toEqual(['accuracy.svg', 'boundary.svg', 'confusion.svg', 'loss.svg', 'summary.json']);
    for (const svg of ['accuracy.svg', 'boundary.svg', 'confusion.svg', 'loss.svg']) {
      expect(XMLValidator.validate(await readFile(path.join(out, svg), 'utf8'))).toBe(true);
    }
    expect(await readFile(path.join(out, 'loss.svg'), 'utf8')).toContain('batch loss');
    const summary = JSON.parse(await readFile(path.join(out, 'summary.json'), 'utf8'));
    expect(summary.dataset).toMatchObject({ name: 'moons', samples: 1000, noise: 0.2 });
    expect(summary.options).toMatchObject({ hidden: [10], activation: 'tanh', lr: 0.5, batchSize: 50, epochs: 5, val: 0.25 });
    expect(summary.examples).toEqual({ train: 600, validation: 200, test: 200 });
    expect(summary.history.loss).toHaveLength(5);
    expect(summary.history.valAccuracy).toHaveLength(5);
    const printedTest = Number(/test accuracy (\S+)/.exec(result.stdout)![1]);
    expect(summary.accuracy.test).toBeCloseTo(printedTest, 4);
    expect(summary.accuracy.test).toBeGreaterThan(0.75); // 5 epochs already beat chance by far
    expect(summary.seconds.total).toBeGreaterThan(0);
  });

  it('--threads applies to the reference alone: a trainMLP of --submission is refused it in one line', async () => {
    const result = await train('--dataset', 'moons', '--epochs', '1', '--submission', path.join(tmp, 'nowhere'), '--threads', '2');
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim()).toMatch(/^train: --threads applies to the reference solution only: your trainMLP \(.*nowhere\) runs in the grader's sandbox, on one thread$/);
  });

  it('trains a submission\'s own trainMLP in the sandbox with --submission and measures it with the grader\'s forward pass', async () => {
    const out = path.join(tmp, 'moons-submission');
    const submission = await solutionSubmission(); // the reference written as a submission: its trainMLP runs in the child like a student's
    const result = await train('--dataset', 'moons', '--epochs', '5', '--val', '0.25', '--submission', submission, '--out', out);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain('training your trainMLP (');
    expect(result.stderr.match(/^epoch \d\/5 {2}loss \d\.\d{4} {2}/gm)).toHaveLength(5);
    const summary = JSON.parse(await readFile(path.join(out, 'summary.json'), 'utf8'));
    expect(summary.history.loss).toHaveLength(5);
    // the held-out split reaches the sandboxed trainMLP as hooks.validation: a validation curve per epoch
    expect(summary.history.valAccuracy).toHaveLength(5);
    expect(summary.history.valAccuracy.every((a: number) => a > 0.5 && a <= 1)).toBe(true);
    expect(await readFile(path.join(out, 'accuracy.svg'), 'utf8')).toContain('validation');
    expect(summary.accuracy.test).toBeGreaterThan(0.75);
  });

  it('reads a CIFAR-10 binary .tar.gz and labels the confusion matrix with class names', async () => {
    const dir = path.join(tmp, 'cifar-files');
    makeSyntheticCifar10(dir, { trainPerBatch: 40, test: 30, batches: 2 });
    const archive = path.join(tmp, 'cifar-10-binary.tar.gz');
    writeCifar10TarGz(dir, archive);
    const out = path.join(tmp, 'cifar');
    const result = await train('--dataset', 'cifar10', '--data', archive, '--hidden', '16', '--epochs', '2', '--out', out);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain('80 train, 30 test examples of 3072 features, 10 classes');
    expect((await readdir(out)).sort()).toEqual(['accuracy.svg', 'confusion.svg', 'loss.svg', 'summary.json']);
    expect(await readFile(path.join(out, 'confusion.svg'), 'utf8')).toContain('>airplane<');
  });

  it('exits 2 with one line for an unknown flag', async () => {
    expectOneLineFailure(await train('--bogus'), 2, /unknown option --bogus.*--help/);
  });

  it('says how to get CIFAR-10 when --data is missing', async () => {
    expectOneLineFailure(await train('--dataset', 'cifar10'), 2, /needs --data PATH.*binary version/);
  });

  it('names the missing MNIST folder and exits 1 (a data problem, not a usage one)', async () => {
    const missing = path.join(tmp, 'no-such-mnist');
    expectOneLineFailure(await train('--dataset', 'mnist', '--data', missing), 1, new RegExp(`${missing}: no such directory`));
  });

  it('prints its options with --help', async () => {
    const result = await train('--help');
    expect(result.exitCode).toBe(0);
    for (const flag of ['--dataset', '--data', '--hidden', '--activation', '--alpha', '--lr', '--batch', '--epochs', '--reg', '--reg-type', '--optimizer', '--init', '--seed', '--val', '--out']) {
      expect(result.stdout).toContain(`  ${flag} `);
    }
  });
});

/** A copy of the student kit with the release's own file list (release/files.ts), without building a whole release. */
async function studentKit(): Promise<string> {
  const kit = path.join(tmp, 'kit');
  for (const dir of SHIPPED_FOLDERS) await cp(path.join(ROOT, dir), path.join(kit, dir), { recursive: true });
  for (const file of SHIPPED_FILES) await cp(path.join(ROOT, file), path.join(kit, file));
  for (const file of EXCLUDED) await rm(path.join(kit, file), { recursive: true, force: true });
  await cp(path.join(ROOT, 'package.json'), path.join(kit, 'package.json'));
  await symlink(path.join(ROOT, 'node_modules'), path.join(kit, 'node_modules'));
  return kit;
}

describe('npm run train and npm run tune in the student kit (no reference/)', () => {
  let kit: string;
  beforeAll(async () => { kit = await studentKit(); });
  const run = (cmd: string, ...args: string[]) => execa(TSX, [cmd, ...args], { cwd: kit, reject: false, env: { NO_COLOR: '1' } });

  it('train trains the student\'s starter/ (here: not implemented, said in one line), and --help still works', async () => {
    const result = await run('cli/train.ts', '--dataset', 'moons');
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/training your trainMLP \(starter\)/);
    expect(result.stderr.trim().split('\n').at(-1)).toMatch(/^train: your trainMLP \(.*starter\/train\.ts\): .*not implemented/i);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    const help = await run('cli/train.ts', '--help');
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain('--dataset');
  });

  it('tune without --submission tunes starter/ (every trial not implemented), and --help still works', async () => {
    const result = await run('cli/tune.ts', '--dataset', 'moons', '--trials', '2');
    expect(result.exitCode).toBe(1);
    expect(result.stderr.trim().split('\n').at(-1)).toMatch(/^tune: no trial finished with a usable network: .*not implemented/i);
    const help = await run('cli/tune.ts', '--help');
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain('--submission');
  });
});

describe('train command line', () => {
  it('fills in the per-data-set defaults', () => {
    const moons = parseTrainArgs([]);
    expect(moons).toEqual({
      spec: { name: 'moons', samples: 1000, noise: 0.2, seed: 'moons', testFraction: 0.2 },
      hyper: DEFAULTS.moons, val: 0, out: path.join('out', 'train-moons'),
    });
    const mnist = parseTrainArgs(['--dataset', 'mnist', '--epochs', '20', '--hidden', 'none', '--out', 'x']);
    expect(mnist).toMatchObject({ spec: { name: 'mnist' }, hyper: { ...DEFAULTS.mnist, epochs: 20, hidden: [] }, out: 'x' });
    expect(DEFAULTS.mnist).toMatchObject({ hidden: [500], activation: 'relu', batchSize: 200, lr: 0.1, optimizer: 'sgd' });
    expect(parseTrainArgs(['--dataset', 'cifar10', '--data', 'c.tar.gz', '--train-size', '1000']))
      .toMatchObject({ spec: { name: 'cifar10', path: 'c.tar.gz', subtractMean: true, trainSize: 1000 } });
    expect(parseTrainArgs(['--help'])).toBe('help');
    expect(parseTrainArgs(['--threads', '1'])).toMatchObject({ threads: 1 });
    expect(parseTrainArgs(['--threads', '2'])).toMatchObject({ threads: 2 });
    expect(parseTrainArgs([])).not.toHaveProperty('threads');
  });

  it.each([
    [['--lr', 'abc'], /^--lr: expected a number > 0, got "abc"$/],
    [['--epochs', '2.5'], /^--epochs: expected an integer >= 1, got "2.5"$/],
    [['--dataset', 'svhn'], /^--dataset: expected one of moons, mnist, cifar10, got "svhn"$/],
    [['--optimizer', 'adagrad'], /^--optimizer: expected one of sgd, momentum, rmsprop, adam/],
    [['--activation', 'softplus'], /^--activation: expected one of sigmoid, tanh, relu, leaky_relu, elu/],
    [['--hidden', '10,x'], /^--hidden: expected an integer >= 1, got "x"$/],
    [['--data', 'somewhere'], /^--data does not apply to --dataset moons/],
    [['--dataset', 'mnist', '--noise', '0.1'], /^--noise does not apply to --dataset mnist/],
    [['--val', '1'], /^--val: expected a number >= 0 < 1, got "1"$/],
    [['--threads', '3'], /^--threads: expected one of 1, 2, got "3"$/],
    [['--reg', '-1'], /^--reg: a value starting with "-" must be written --reg=VALUE/],
    [['--reg=-1'], /^--reg: expected a number >= 0, got "-1"$/],
    [['--lr'], /--lr.*argument missing/],
    [['extra'], /^unexpected argument "extra"/],
  ])('rejects %j with a one-line UsageError', (args, pattern) => {
    let error: unknown;
    try {
      parseTrainArgs(args as string[]);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(pattern);
    expect((error as Error).message).not.toContain('\n');
  });
});

describe('cli/args', () => {
  it('reads hidden sizes from repeated flags and comma lists', () => {
    expect(parseHidden(['500'])).toEqual([500]);
    expect(parseHidden(['500,200'])).toEqual([500, 200]);
    expect(parseHidden(['500', '200', '10'])).toEqual([500, 200, 10]);
    expect(parseHidden(['0'])).toEqual([]);
    expect(parseHidden(['none'])).toEqual([]);
    expect(() => parseHidden(['none', '5'])).toThrow(UsageError);
    expect(() => parseHidden(['-3'])).toThrow(/--hidden: expected an integer >= 1, got "-3"/);
  });

  it('caps hidden sizes like config.json: at most 6 layers of at most 4096 units', () => {
    expect(parseHidden(['4096,1,2,3,4,5'])).toEqual([4096, 1, 2, 3, 4, 5]);
    expect(() => parseHidden(['5000000'])).toThrow(/^--hidden: a layer has at most 4096 units \(as in config.json\), got 5000000$/);
    expect(() => parseHidden(['1,2,3,4,5,6,7'])).toThrow(/^--hidden: at most 6 hidden layers \(as in config.json\), got 7$/);
  });

  it('checks numbers against their bounds', () => {
    expect(parseNumber('lr', '1e-3', { above: 0 })).toBe(0.001);
    expect(() => parseNumber('lr', '0', { above: 0 })).toThrow(/--lr: expected a number > 0, got "0"/);
    expect(() => parseNumber('lr', '', { above: 0 })).toThrow(UsageError);
    expect(() => parseNumber('batch', 'Infinity', { integer: true, min: 1 })).toThrow(UsageError);
  });

  it('overrides only the given hyperparameters', () => {
    const defaults: Hyperparameters = {
      hidden: [10], activation: 'tanh', lr: 0.5, batchSize: 50, epochs: 200, reg: 0, regType: 'l2', optimizer: 'sgd', init: 'xavier_uniform', seed: '1',
    };
    expect(readHyperparameters({}, defaults)).toEqual(defaults);
    expect(readHyperparameters({ hidden: ['5', '3'], activation: 'leaky_relu', alpha: '0.1', 'reg-type': 'l1', reg: '0.001', batch: '20', seed: 'x' }, defaults))
      .toEqual({ ...defaults, hidden: [5, 3], activation: 'leaky_relu', alpha: 0.1, regType: 'l1', reg: 0.001, batchSize: 20, seed: 'x' });
  });
});

describe('cli/progress', () => {
  const status = { epoch: 3, epochs: 10, loss: 0.36254, trainAccuracy: 0.917, valAccuracy: 0.8946, seconds: 12.34 };

  it('formats an epoch with fixed widths', () => {
    expect(formatEpoch(status)).toBe('epoch  3/10  loss 0.3625  train 0.917  val 0.895  12.3s');
    expect(formatEpoch({ ...status, valAccuracy: undefined, loss: NaN })).toBe('epoch  3/10  loss NaN  train 0.917  12.3s');
    expect(progressBar(3, 10, 10)).toBe('[###-------]');
  });

  it('writes plain lines when not a terminal, at most about maxLines of them', () => {
    let text = '';
    const progress = createProgress({ write: (t: string) => { text += t; }, isTTY: false }, 5);
    for (let e = 1; e <= 100; e++) progress.update({ ...status, epoch: e, epochs: 100 });
    progress.done();
    expect(text.trim().split('\n').map((l) => /epoch +(\d+)/.exec(l)![1])).toEqual(['1', '20', '40', '60', '80', '100']);
  });

  it('redraws one line with a bar on a terminal and ends it once', () => {
    let text = '';
    const progress = createProgress({ write: (t: string) => { text += t; }, isTTY: true, columns: 200 });
    progress.update({ ...status, epoch: 1, epochs: 2, seconds: 5 });
    progress.update({ ...status, epoch: 2, epochs: 2, seconds: 5 });
    progress.done();
    expect(text.split('\r\x1b[2K')).toHaveLength(3);
    expect(text).toContain('[##########----------] epoch 1/2');
    expect(text).toContain('~5s left');
    expect(text.endsWith('\n')).toBe(true);
    expect(text.match(/\n/g)).toHaveLength(1);
  });
});
