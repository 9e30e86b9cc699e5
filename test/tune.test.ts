/**
 * `npm run tune`: the default moons search must find a setting that clears the
 * grader's moons bar; the search space, ranking, reports and config writing
 * must do what they say; the student's trainMLP in the sandbox must tune
 * exactly like the reference; bad command lines exit 2 with one line.
 */
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSyntheticCifar10, writeCifar10TarGz } from '../starter/provided/data/index.js';
import { Random } from '../starter/provided/random.js';
import { readStudentConfig } from '../grader/config.js';
import { loadFixtures } from '../grader/fixtures/load.js';
import { STUDENT_MODULES } from '../grader/modules.js';
import { bundleSubmission, removeBundle } from '../grader/sandbox/bundle.js';
import { SubmissionRunner } from '../grader/sandbox/runner.js';
import { gradeTrainingPart } from '../grader/training.js';
import { ROOT } from '../grader/root.js';
import { writeFromReference } from '../instructor/starter.js';
import { UsageError } from '../common/usage-error.js';
import { parseTuneArgs, type TuneRun } from '../tuning/args.js';
import { formatConfig, writeConfigSetting } from '../tuning/config-file.js';
import { formatTable, limitWarning, resultsCsv, tunePlot } from '../tuning/report.js';
import { rankTrials, tune, type TrialResult } from '../tuning/search.js';
import { DEFAULT_SPACES, gridRates, gridSettings, randomSettings, searchSettings, type SearchSpace, type Setting } from '../tuning/space.js';

const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const MOONS = DEFAULT_SPACES.moons.space;

/** Runs the tune CLI in the project root; never throws on a non-zero exit. */
function cli(...args: string[]) {
  return execa(TSX, ['cli/tune.ts', ...args], { cwd: ROOT, reject: false, env: { NO_COLOR: '1' } });
}

async function moonsThreshold(): Promise<number> {
  const part = JSON.parse(await readFile(path.join(ROOT, 'fixtures', 'train_moons.json'), 'utf8')) as { training: { threshold: number } };
  return part.training.threshold;
}

let tmp: string;
beforeAll(async () => { tmp = await mkdtemp(path.join(tmpdir(), 'tune-')); });
afterAll(async () => { await rm(tmp, { recursive: true, force: true }); });

function parsed(...argv: string[]): TuneRun {
  const run = parseTuneArgs(argv);
  if (run === 'help') throw new Error('unexpected help');
  return run;
}

const setting = (over: Partial<Setting> = {}): Setting => ({
  hidden: [20, 20], activation: 'relu', init: 'he_normal', optimizer: 'adam', lr: 0.003, batchSize: 50, epochs: 100, reg: 0.0001, ...over,
});

describe('npm run tune (moons, default budget)', () => {
  it('finds a setting whose test accuracy clears the grader bar, and writes it into a copy of config.json', async () => {
    const threshold = await moonsThreshold();
    const config = path.join(tmp, 'default-config.json');
    await copyFile(path.join(ROOT, 'reference', 'config.json'), config);
    const out = path.join(tmp, 'default-out');
    const started = performance.now();
    const result = await cli('--dataset', 'moons', '--out', out, '--write-config', config);
    const seconds = (performance.now() - started) / 1000;
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.exitCode).toBe(0);
    // one progress line per trial on stderr
    expect(result.stderr.match(/^trial +\d+\/12 {2}.+ {2}val 0\.\d{3} {2}\d+\.\ds$/gm)).toHaveLength(12);
    const test = Number(/^test accuracy (0\.\d{4}) /m.exec(result.stdout)?.[1]);
    expect(test).toBeGreaterThanOrEqual(threshold);
    expect(result.stdout).toContain(`the grader's bar for moons is ${threshold}: met`);
    expect(seconds).toBeLessThan(90); // about 15 s on an idle 2-core machine

    const csv = (await readFile(path.join(out, 'results.csv'), 'utf8')).trimEnd().split('\r\n');
    expect(csv).toHaveLength(13);
    const vals = csv.slice(1).map((line) => Number(line.split(',')[11]));
    expect(vals).toEqual([...vals].sort((a, b) => b - a));
    const best = /^best: .*validation accuracy (0\.\d{4})$/m.exec(result.stdout);
    expect(Number(best?.[1])).toBeCloseTo(vals[0], 4);
    expect(XMLValidator.validate(await readFile(path.join(out, 'tune.svg'), 'utf8'))).toBe(true);

    // the best setting is in the copy, the other keys and $schema unchanged, and the grader accepts the file
    const original = JSON.parse(await readFile(path.join(ROOT, 'reference', 'config.json'), 'utf8'));
    const written = JSON.parse(await readFile(config, 'utf8'));
    expect(Object.keys(written)).toEqual(Object.keys(original));
    expect(written.$schema).toBe(original.$schema);
    expect(written.mnist).toEqual(original.mnist);
    expect(written.cifar10).toEqual(original.cifar10);
    const [, rank1] = csv;
    const [, , hidden, activation, init, optimizer, lr, reg, batch, epochs] = rank1.split(',');
    expect(written.moons).toEqual({
      hidden: hidden.split(' ').map(Number), activation, init, optimizer, lr: Number(lr), reg: Number(reg), batchSize: Number(batch), epochs: Number(epochs),
    });
    await copyFile(config, path.join(tmp, 'config.json'));
    await expect(readStudentConfig(tmp)).resolves.toMatchObject({ moons: written.moons });
  });
});

describe('tune()', () => {
  it('scores trials on a validation split of the training set, ranks them, and tests only the best', async () => {
    const events: string[] = [];
    const result = await tune({ dataset: 'moons', search: 'random', trials: 3, space: { ...MOONS, epochs: 30 }, seed: 'unit', val: 0.25 }, (e) => events.push(e.type));
    expect(result.examples).toEqual({ train: 600, validation: 200, test: 200 });
    expect(result.trials.map((t) => t.trial)).toEqual([1, 2, 3]);
    expect(result.ranked).toEqual(rankTrials(result.trials));
    expect(result.best).toBe(result.ranked[0]);
    for (const t of result.trials) {
      // accuracies on 200 validation examples are multiples of 1/200
      expect(Math.round(t.valAccuracy * 200) / 200).toBeCloseTo(t.valAccuracy, 12);
      expect(t.setting.epochs).toBe(30);
    }
    expect(result.final && 'testAccuracy' in result.final).toBe(true);
    expect(events.filter((e) => e === 'epoch')).toHaveLength(4 * 30);
    expect(events.filter((e) => e === 'trial-end')).toHaveLength(3);
    expect(events.at(-1)).toBe('final-end');
  });

  it('reads CIFAR-10 from a .tar.gz and carries trainSize into the best setting', async () => {
    const dir = path.join(tmp, 'cifar-files');
    makeSyntheticCifar10(dir, { trainPerBatch: 40, test: 30, batches: 2 });
    const archive = path.join(tmp, 'cifar-10-binary.tar.gz');
    writeCifar10TarGz(dir, archive);
    const space = { ...DEFAULT_SPACES.cifar10.space, sizes: [16], depth: [1], epochs: 2, trainSize: 60 };
    const result = await tune({ dataset: 'cifar10', data: archive, search: 'random', trials: 2, space, seed: 'c', val: 0.2 });
    expect(result.examples).toEqual({ train: 48, validation: 12, test: 30 });
    expect(result.spec).toMatchObject({ name: 'cifar10', path: archive, subtractMean: true, trainSize: 60 });
    expect(result.best?.setting).toMatchObject({ hidden: [16], epochs: 2, trainSize: 60 });
    expect(result.timeLimitSec).toBeGreaterThan(0);
  });

  it('starts no trial once the budget is used up, and still tests the best', async () => {
    const budgetSec = 4;
    const started = performance.now();
    const events: string[] = [];
    const result = await tune({ dataset: 'moons', search: 'random', trials: 5, space: { ...MOONS, sizes: [5], depth: [1], epochs: 10 }, seed: 'b', val: 0.2, budgetSec }, (e) => {
      events.push(e.type);
      // after the second trial, sleep until the budget is gone
      if (e.type === 'trial-end' && e.result.trial === 2) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, budgetSec * 1000 - (performance.now() - started) + 50);
    });
    expect(result.stoppedByBudget).toBe(true);
    expect(result.trials).toHaveLength(2);
    expect(events).toContain('budget');
    expect(result.final).toHaveProperty('testAccuracy');
  });

  it('trains through the sandbox with the student\'s trainMLP exactly as the reference does in-process', async () => {
    const dir = path.join(tmp, 'solution');
    await writeFromReference(dir, 'solution');
    const request = { dataset: 'moons' as const, search: 'random' as const, trials: 2, space: { ...MOONS, epochs: 20 }, seed: 'sandbox', val: 0.2 };
    const own = await tune({ ...request, submission: dir });
    const reference = await tune(request);
    expect(own.trainer).toBe(dir);
    expect(own.trials.map((t) => t.status)).toEqual(['ok', 'ok']);
    expect(own.trials.map((t) => t.valAccuracy)).toEqual(reference.trials.map((t) => t.valAccuracy));
    expect(own.final).toMatchObject({ testAccuracy: (reference.final as { testAccuracy: number }).testAccuracy });
    // both measure the final run on the clock of the grader's limit: the child's CPU time, this process's
    for (const r of [own, reference]) {
      expect(r.final!.limitTime.clock).toBe('cpu');
      expect(r.final!.limitTime.usedSec).toBeGreaterThan(0);
    }
  });

  it('says in one line that a submission\'s train.ts does not build, or that the folder is missing', async () => {
    const dir = path.join(tmp, 'broken');
    await writeFromReference(dir, 'solution', (file, source) => (file === 'train.ts' ? `${source}\nexport function oops( {\n` : source));
    const request = { dataset: 'moons' as const, search: 'random' as const, trials: 1, space: MOONS, seed: '1', val: 0.2 };
    await expect(tune({ ...request, submission: dir })).rejects.toThrow(/broken\/train\.ts does not build: .*train\.ts:\d+/);
    await expect(tune({ ...request, submission: path.join(tmp, 'nowhere') })).rejects.toThrow(UsageError);
  });
});

describe('search space', () => {
  const small: SearchSpace = { ...MOONS, sizes: [5, 10], depth: [1, 2], activation: ['tanh', 'relu'], optimizer: ['sgd', 'adam'], reg: [0], batchSize: [50] };

  it('the grid is every combination, with three learning rates per range', () => {
    expect(gridRates({ min: 0.01, max: 1 })).toEqual([0.01, 0.1, 1]);
    expect(gridRates({ values: [0.5] })).toEqual([0.5]);
    const grid = gridSettings(small);
    expect(grid).toHaveLength(2 * 2 * 2 * 2 * 3);
    expect(new Set(grid.map((s) => JSON.stringify(s))).size).toBe(grid.length);
    expect(grid[0]).toEqual({ hidden: [5], activation: 'tanh', init: 'xavier_uniform', optimizer: 'sgd', lr: 0.01, batchSize: 50, epochs: 100, reg: 0 });
    expect(grid.filter((s) => s.optimizer === 'adam').map((s) => s.lr)).toContain(0.03);
    expect(grid.find((s) => s.activation === 'relu')?.init).toBe('he_normal');
    // depth 0 (no hidden layer) appears once, not once per size
    expect(gridSettings({ ...small, depth: [0] })).toHaveLength(2 * 2 * 3);
  });

  it('a grid larger than the trial count runs a seeded subset of it, in grid order', () => {
    const whole = searchSettings(small, 'grid', 100, new Random('g'));
    expect(whole.settings).toEqual(gridSettings(small));
    const part = searchSettings(small, 'grid', 5, new Random('g'));
    expect(part.gridSize).toBe(48);
    expect(part.settings).toHaveLength(5);
    const positions = part.settings.map((s) => whole.settings.findIndex((w) => JSON.stringify(w) === JSON.stringify(s)));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(searchSettings(small, 'grid', 5, new Random('g')).settings).toEqual(part.settings);
  });

  it('random draws are seeded, distinct, inside the space, with log-uniform rates rounded to 2 digits', () => {
    const a = randomSettings(MOONS, 40, new Random('r'));
    expect(randomSettings(MOONS, 40, new Random('r'))).toEqual(a);
    expect(randomSettings(MOONS, 40, new Random('other'))).not.toEqual(a);
    expect(new Set(a.map((s) => JSON.stringify(s))).size).toBe(40);
    for (const s of a) {
      const range = MOONS.lr[s.optimizer] as { min: number; max: number };
      expect(s.lr).toBeGreaterThanOrEqual(range.min);
      expect(s.lr).toBeLessThanOrEqual(range.max);
      expect(Number(s.lr.toPrecision(2))).toBe(s.lr);
      expect(MOONS.sizes).toContain(s.hidden[0]);
      expect(MOONS.depth).toContain(s.hidden.length);
      expect(MOONS.batchSize).toContain(s.batchSize);
      expect(s.epochs).toBe(100);
    }
    // adam's range sits lower than sgd's
    expect(Math.max(...a.filter((s) => s.optimizer === 'adam').map((s) => s.lr))).toBeLessThanOrEqual(0.03);
    // a space with 2 settings gives 2, not 40 repeats
    expect(randomSettings({ ...small, sizes: [5], depth: [1], activation: ['tanh'], optimizer: ['sgd'], lr: { ...small.lr, sgd: { values: [0.1, 0.5] } } }, 40, new Random('r'))).toHaveLength(2);
  });
});

describe('ranking and reports', () => {
  const trial = (n: number, valAccuracy: number, seconds: number, status = 'ok', over: Partial<Setting> = {}): TrialResult => ({ trial: n, setting: setting(over), status, valAccuracy, seconds });
  const trials = [
    trial(1, 0.9, 3), trial(2, 0.95, 5), trial(3, NaN, 60, 'timeout'), trial(4, 0.95, 2, 'ok', { hidden: [5] }), trial(5, 0.99, 1, 'diverged'),
  ];

  it('ranks by validation accuracy, then time; diverged and failed trials last', () => {
    expect(rankTrials(trials).map((t) => t.trial)).toEqual([4, 2, 1, 5, 3]);
  });

  it('prints an aligned table, a CSV a spreadsheet reads, and a plot', () => {
    const ranked = rankTrials(trials);
    const lines = formatTable(ranked).split('\n');
    expect(lines[0]).toMatch(/^rank {2}trial {2}hidden {2}activation/);
    expect(lines[1]).toMatch(/^ {3}1 {6}4 {2}5 {7}relu {8}he_normal {2}adam {7}0\.003 {2}0\.0001 {5}50 {5}100 {3}0\.9500 {6}2\.0 {2}ok$/);
    expect(lines[5]).toMatch(/- +60\.0 {2}timeout$/);

    const csv = resultsCsv([{ ...ranked[0], problem: 'said "no", then, stopped' }, ...ranked.slice(1)]).split('\r\n');
    expect(csv[0]).toBe('rank,trial,hidden,activation,init,optimizer,lr,reg,batch_size,epochs,train_size,val_accuracy,seconds,status,problem');
    expect(csv[1]).toBe('1,4,5,relu,he_normal,adam,0.003,0.0001,50,100,,0.95,2.000,ok,"said ""no"", then, stopped"');
    expect(csv[2]).toContain(',20 20,');
    expect(csv[5]).toBe('5,3,20 20,relu,he_normal,adam,0.003,0.0001,50,100,,,60.000,timeout,');
    expect(csv).toHaveLength(7); // header, 5 rows, and the final line break

    const svg = tunePlot(ranked, 'moons', 0.93);
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).toContain('validation accuracy of 4 trials, best first');
    expect(svg).toContain('grader threshold 0.93');
  });
});

describe('the final run against the grader\'s time limit', () => {
  it('is compared on the limit\'s clock: CPU seconds over the limit, over half of it, or nothing', () => {
    expect(limitWarning({ clock: 'cpu', usedSec: 320.4 }, 300)).toBe('warning: that training used 320.4 s of CPU time, more than the 300 s of CPU time the grader allows: pick a faster setting (fewer epochs, a smaller network or trainSize)');
    expect(limitWarning({ clock: 'cpu', usedSec: 170 }, 300)).toMatch(/^warning: that training used 170\.0 s of CPU time, more than half the 300 s the grader allows: on a slower grading machine/);
    expect(limitWarning({ clock: 'wall', usedSec: 149 }, 300)).toBeUndefined();
  });
});

describe('--write-config', () => {
  it('keeps the starter file\'s layout byte for byte when nothing changes', async () => {
    const text = await readFile(path.join(ROOT, 'reference', 'config.json'), 'utf8');
    expect(formatConfig(JSON.parse(text))).toBe(text);
  });

  it('replaces only the data set\'s key and keeps the rest, valid against the schema', async () => {
    const file = path.join(tmp, 'write', 'config.json');
    await writeFromReference(path.dirname(file), 'stub');
    const before = await readFile(file, 'utf8');
    const text = await writeConfigSetting(file, 'moons', setting());
    expect(await readFile(file, 'utf8')).toBe(text);
    // everything before and after the moons entry is the same text
    expect(text.slice(0, text.indexOf('"moons"'))).toBe(before.slice(0, before.indexOf('"moons"')));
    expect(text.slice(text.indexOf('"mnist"'))).toBe(before.slice(before.indexOf('"mnist"')));
    expect(text).toContain('"hidden": [20, 20]');
    const config = await readStudentConfig(path.dirname(file));
    expect(config.moons).toEqual(setting());
    expect(config.mnist).toEqual(JSON.parse(before).mnist);
  });

  it('leaves the file untouched when the result would break the schema or the file is not JSON', async () => {
    const file = path.join(tmp, 'bad-config.json');
    await copyFile(path.join(ROOT, 'reference', 'config.json'), file);
    const before = await readFile(file, 'utf8');
    await expect(writeConfigSetting(file, 'moons', setting({ lr: 20 }))).rejects.toThrow(/bad-config\.json would not match the config schema at moons\.lr: must be <= 10; .*nothing was written/);
    await expect(writeConfigSetting(file, 'moons', { ...setting(), momentum: 0.9 } as Setting)).rejects.toThrow(/at moons: must NOT have additional properties \("momentum" is not a known key\)/);
    expect(await readFile(file, 'utf8')).toBe(before);
    await writeFile(file, '{ "moons": ');
    await expect(writeConfigSetting(file, 'moons', setting())).rejects.toThrow(/bad-config\.json is not valid JSON .*nothing was written/);
    expect(await readFile(file, 'utf8')).toBe('{ "moons": ');
  });

  it('creates a missing file with a $schema line pointing at the schema', async () => {
    const file = path.join(tmp, 'fresh', 'config.json');
    await writeFromReference(path.dirname(file), 'stub');
    await rm(file);
    await writeConfigSetting(file, 'mnist', setting({ trainSize: 5000 }));
    const written = JSON.parse(await readFile(file, 'utf8'));
    expect(Object.keys(written)).toEqual(['$schema', 'mnist']);
    expect(path.resolve(path.dirname(file), written.$schema)).toBe(path.join(ROOT, 'fixtures', 'schema', 'config.schema.json'));
    await expect(readStudentConfig(path.dirname(file))).resolves.toMatchObject({ mnist: { trainSize: 5000 } });
  });
});

describe('command line', () => {
  it('has per-data-set defaults', () => {
    const moons = parsed('--dataset', 'moons');
    expect(moons.request).toMatchObject({ dataset: 'moons', search: 'random', trials: 12, seed: '1', val: 0.2, space: MOONS });
    expect(moons.request.budgetSec).toBeUndefined();
    expect(moons.out).toBe(path.join('out', 'tune-moons'));
    expect(moons.writeConfig).toBeUndefined();
    expect(parsed('--dataset', 'mnist').request.trials).toBeLessThan(12);
    expect(parsed('--dataset', 'cifar10', '--data', 'x.tar.gz').request.space.trainSize).toBe(10000);
  });

  it('narrows the space from flags', () => {
    const { request } = parsed('--search', 'grid', '--sizes', '10,20', '--depth', '1', '--activation', 'tanh,relu', '--optimizer', 'sgd',
      '--lr', '0.1,0.5', '--reg', '0', '--batch', '50', '--epochs', '20', '--trials', '100', '--budget', '30', '--val', '0.3', '--seed', 's');
    expect(request).toMatchObject({ search: 'grid', trials: 100, budgetSec: 30, val: 0.3, seed: 's' });
    expect(request.space).toMatchObject({ sizes: [10, 20], depth: [1], activation: ['tanh', 'relu'], optimizer: ['sgd'], reg: [0], batchSize: [50], epochs: 20 });
    expect(request.space.lr.adam).toEqual({ values: [0.1, 0.5] });
    expect(gridSettings(request.space)).toHaveLength(8);
    expect(parsed('--lr', '0.001:0.1').request.space.lr.sgd).toEqual({ min: 0.001, max: 0.1 });
  });

  it('--write-config defaults to starter/config.json, or the submission\'s config.json', () => {
    expect(parsed('--write-config').writeConfig).toBe(path.join(ROOT, 'starter', 'config.json'));
    expect(parsed('--write-config', '--trials', '2').writeConfig).toBe(path.join(ROOT, 'starter', 'config.json'));
    expect(parsed('--submission', 'sub', '--write-config').writeConfig).toBe(path.join('sub', 'config.json'));
    expect(parsed('--write-config', 'my.json', '--submission', 'sub').writeConfig).toBe('my.json');
  });

  it.each([
    [['--dataset', 'iris'], /--dataset: expected one of moons, mnist, cifar10, got "iris"/],
    [['--search', 'bayes'], /--search: expected one of random, grid/],
    [['--trials', '0'], /--trials: expected an integer >= 1, got "0"/],
    [['--val', '1'], /--val: expected a number > 0 < 1, got "1"/],
    [['--budget=-5'], /--budget: expected a number > 0, got "-5"/],
    [['--lr', '1:0.1'], /--lr: the range 1:0\.1 runs backwards/],
    [['--lr', '0.1:20'], /--lr: expected a rate <= 10/],
    [['--depth', '7'], /--depth: expected an integer <= 6/],
    [['--sizes', '10,,20'], /--sizes: expected a comma-separated list/],
    [['--activation', 'tanh,swish'], /--activation: expected one of .*got "swish"/],
    [['--data', 'x'], /--data does not apply to --dataset moons/],
    [['--dataset', 'cifar10'], /cifar10 needs --data PATH: download .*cifar-10-binary\.tar\.gz/],
    [['--bogus'], /unknown option --bogus/],
  ])('rejects %j with a UsageError', (argv, message) => {
    expect(() => parseTuneArgs(argv)).toThrow(UsageError);
    expect(() => parseTuneArgs(argv)).toThrow(message);
  });

  it('exits 2 with one line for a bad command line, and 0 with --help', async () => {
    for (const argv of [['--dataset', 'cifar10'], ['--trials', 'many']]) {
      const result = await cli(...argv);
      expect(result.exitCode).toBe(2);
      const lines = result.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^tune: (cifar10 needs --data PATH|--trials: expected an integer)/);
    }
    const help = await cli('--help');
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npm run tune -- --dataset moons\|mnist\|cifar10/);
    expect(help.stdout).toContain('--write-config [FILE]');
  });

  it('tunes with --submission, writes the submission\'s own config.json, and predicts the grader\'s accuracy', async () => {
    const dir = path.join(tmp, 'cli-solution');
    await writeFromReference(dir, 'solution');
    const result = await cli('--submission', dir, '--trials', '2', '--epochs', '20', '--out', path.join(tmp, 'cli-out'), '--write-config');
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain(`2 trials, trained by ${dir}`);
    const printed = Number(/^test accuracy (0\.\d{4}) /m.exec(result.stdout)?.[1]);
    const config = await readStudentConfig(dir);
    expect(config.moons?.epochs).toBe(20);
    expect(config.mnist?.hidden).toEqual([500]);

    // the test accuracy tune printed is what the grader measures for the written setting
    const bundle = await bundleSubmission(dir, [...STUDENT_MODULES]);
    const runner = await SubmissionRunner.start(bundle);
    try {
      const [part] = (await loadFixtures(undefined, ['train_moons'])).parts;
      const graded = await gradeTrainingPart(runner, part, { data: {}, submission: dir });
      expect(graded.artifacts?.accuracy).toBeCloseTo(printed, 4);
    } finally {
      await runner.close();
      await removeBundle(bundle);
    }
  });
});
