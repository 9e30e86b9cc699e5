/**
 * `npm run bench`: measures what users wait for and checks it against targets.
 * Timing lives here, not in unit tests, because these machines are noisy:
 * each figure is the median of several runs.
 */
import './inspector-guard.js';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadDataset } from '../starter/provided/data/index.js';
import { Matrix, matmul } from '../starter/provided/matrix.js';
import { Random } from '../starter/provided/random.js';
import { grade } from '../grader/grade.js';
import { STUDENT_MODULES } from '../grader/modules.js';
import { bundleSubmission, removeBundle } from '../grader/sandbox/bundle.js';
import { SubmissionRunner } from '../grader/sandbox/runner.js';
import { importReference, reportFailure } from './args.js';
import { startupMeasures } from './bench-startup.js';

interface Measure { name: string; value: number; unit: string; target: number; better: 'lower' | 'higher' }

const HELP = `Usage: npm run bench [-- --quick]

Measures the matrix kernel, the sandbox, grading the reference, and one MNIST epoch,
and compares each with its target. Exit 1 when a target is missed.
  --quick   fewer repetitions and no MNIST epoch`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function timeIt(reps: number, f: () => unknown | Promise<unknown>): Promise<number> {
  await f(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    await f();
    times.push(performance.now() - t);
  }
  return median(times);
}

function randomMatrix(rng: Random, rows: number, cols: number): Matrix {
  const m = new Matrix(rows, cols);
  for (let i = 0; i < m.data.length; i++) m.data[i] = rng.normal();
  return m;
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { quick: { type: 'boolean' }, help: { type: 'boolean' } } });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const missing = 'npm run bench measures the reference solution, which the student kit does not include';
  const { trainMLP } = await importReference(() => import('../reference/train.js'), missing);
  const { writeFromReference } = await importReference(() => import('../instructor/starter.js'), missing);
  const reps = values.quick ? 3 : 7;
  const out: Measure[] = [];
  const say = (m: Measure) => {
    out.push(m);
    const ok = m.better === 'lower' ? m.value <= m.target : m.value >= m.target;
    console.log(`${ok ? 'ok  ' : 'MISS'} ${m.name.padEnd(46)} ${m.value.toFixed(m.value < 10 ? 2 : 0).padStart(9)} ${m.unit.padEnd(8)} (target ${m.better === 'lower' ? '<=' : '>='} ${m.target})`);
  };
  const rng = new Random('bench');

  // the kernel students use for every forward and backward pass
  const X = randomMatrix(rng, 200, 784), W = randomMatrix(rng, 784, 500), D = randomMatrix(rng, 200, 500);
  const flops = 2 * 200 * 784 * 500;
  for (const [name, f] of [
    ['matmul 200x784 * 784x500', () => matmul(X, W)],
    ['matmul (200x784)^T * 200x500', () => matmul(X, D, true, false)],
    ['matmul 200x500 * (784x500)^T', () => matmul(D, W, false, true)],
  ] as const) {
    const ms = await timeIt(reps, f);
    say({ name, value: flops / ms / 1e6, unit: 'GFLOP/s', target: 1.0, better: 'higher' });
  }
  const mnist = loadDataset({ name: 'mnist' });
  const digits = mnist.train.X.pickRows(Array.from({ length: 200 }, (_, i) => i));
  say({ name: 'matmul of 200 MNIST digits (sparse path)', value: flops / (await timeIt(reps, () => matmul(digits, W))) / 1e6, unit: 'GFLOP/s', target: 1.5, better: 'higher' });

  // the sandbox: what every npm run grade pays before the first case
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'bench-'));
  try {
    const submission = path.join(tmp, 'reference');
    await writeFromReference(submission, 'solution');
    say({ name: 'bundle a submission (esbuild)', value: await timeIt(reps, async () => removeBundle(await bundleSubmission(submission, [...STUDENT_MODULES]))), unit: 'ms', target: 500, better: 'lower' });
    const bundle = await bundleSubmission(submission, [...STUDENT_MODULES]);
    say({ name: 'start the child process', value: await timeIt(reps, async () => (await SubmissionRunner.start(bundle)).close()), unit: 'ms', target: 1000, better: 'lower' });
    const runner = await SubmissionRunner.start(bundle);
    const tiny = { $type: 'matrix' as const, rows: 1, cols: 1, data: [0.5] };
    say({ name: 'one call round trip (sigmoidForward 1x1)', value: await timeIt(50, () => runner.call('sigmoidForward', [tiny])), unit: 'ms', target: 5, better: 'lower' });
    await runner.close();
    await removeBundle(bundle);

    // grading the reference: what a student waits for
    const unitParts = ['activations', 'affine', 'softmax', 'regularization', 'network', 'gradcheck', 'init', 'optim', 'dropout'];
    // a fast grade is worth nothing if it is wrong: the reference must keep full marks
    const fullMarks = (parts: string[]) => async () => {
      const r = await grade({ submission, parts });
      if (r.score < r.maxScore - r.notAttempted - 1e-9) throw new Error(`the reference scored ${r.score}/${r.maxScore} on ${parts.join(', ')}: grading is broken`);
    };
    say({ name: 'grade every unit part (reference)', value: (await timeIt(values.quick ? 1 : 3, fullMarks(unitParts))) / 1000, unit: 's', target: 5, better: 'lower' });
    say({ name: 'grade train_moons (reference)', value: (await timeIt(values.quick ? 1 : 3, fullMarks(['train_moons']))) / 1000, unit: 's', target: 10, better: 'lower' });
    // start-up: the commands from the shell (cli/bench-startup.ts)
    for (const m of await startupMeasures(submission, reps, values.quick ?? false)) say(m);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }

  if (!values.quick) {
    const started = performance.now();
    trainMLP(mnist.train, { hidden: [500], activation: 'relu', init: 'xavier_uniform', optimizer: 'sgd', lr: 0.1, batchSize: 200, epochs: 1, reg: 0 }, new Random(1));
    say({ name: 'one MNIST epoch, 784-500-10, 8,000 digits', value: (performance.now() - started) / 1000, unit: 's', target: 15, better: 'lower' });
  }
  say({ name: 'peak memory (resident)', value: process.resourceUsage().maxRSS / 1024, unit: 'MiB', target: 1536, better: 'lower' });

  const missed = out.filter((m) => (m.better === 'lower' ? m.value > m.target : m.value < m.target));
  console.log(missed.length ? `\n${missed.length} target(s) missed (the machine may be busy: run again before concluding)` : '\nall targets met');
  return missed.length ? 1 : 0;
}

main().then((code) => { process.exitCode = code; }, (err: unknown) => {
  process.exitCode = Math.max(2, reportFailure('bench', err));
});
