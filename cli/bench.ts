/**
 * `npm run bench`: measures what users wait for and checks it against the
 * targets of issue 12. Timing lives here, not in unit tests, because these
 * machines are noisy: rates are the best of several interleaved turns, times
 * the median of several runs, and comparisons are made side by side in one run.
 */
import './inspector-guard.js';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadDataset } from '../starter/provided/data/index.js';
import { Random } from '../starter/provided/random.js';
import { grade } from '../grader/grade.js';
import { ROOT } from '../grader/root.js';
import { STUDENT_MODULES } from '../grader/modules.js';
import { bundleSubmission, removeBundle } from '../grader/sandbox/bundle.js';
import { SubmissionRunner } from '../grader/sandbox/runner.js';
import { reportFailure } from '../common/flags.js';
import { UsageError } from '../common/usage-error.js';
import { importReference } from './import-reference.js';
import { measureKernel } from './bench-kernel.js';
import { startKernelThread } from './kernel-threads.js';
import { numpyMissing, runNumpy } from './bench-numpy.js';
import { HOMEWORK, epochTimes, writeFullSizeMnist, type Reference } from './bench-training.js';
import { startupMeasures } from './bench-startup.js';
import { batchMeasures } from './bench-batch.js';

const HELP = `Usage: npm run bench -- [--quick] [--compare-numpy] [--full-homework [--homework-epochs N]] [--batch N]

Measures the matmul kernel against its own ceiling, one MNIST epoch of the
reference (training steps only), grading the reference, and the sandbox, and
compares each with its target (issue 12). Exit 1 when a target is missed.
  --quick           fewer repetitions; no grading of the plain-loop solution
                    (test/submissions/loops)
  --compare-numpy   also run the same epoch in numpy float64 on one thread
                    (python3 with numpy) and print the ratio
  --full-homework   also time the full homework (60,000 digits, 20 epochs) on
                    generated IDX files of the real size, here (on two threads
                    where a second one runs) and (with --compare-numpy) in
                    numpy: takes minutes
  --homework-epochs N  epochs of that run (default 20, the homework's)
  --batch N         also grade N differing copies of the reference as a class
                    (bin/grade-batch's pipeline, --force, all parts but CIFAR-10):
                    seconds per submission per job, the scaling from 1 job to
                    the default jobs, and 300 submissions extrapolated (target 20 min)`;

interface Measure { name: string; value: number; unit: string; target?: number; better?: 'lower' | 'higher'; note?: string }

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

/** Wall seconds of a command run from the shell in the project root, as a user types it. */
function shellSeconds(command: string, args: string[]): number {
  const t = performance.now();
  const run = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8' });
  if (run.error || (run.status ?? 1) > 1) throw new Error(`${command} ${args.join(' ')} failed: ${(run.stderr || run.error?.message || '').trim().split('\n').pop()}`, { cause: run.error });
  return (performance.now() - t) / 1000;
}

/** Milliseconds spent waiting for calls into the submission while f runs (the rest is the grader's own work). */
async function timeInCalls(f: () => Promise<void>): Promise<{ wallMs: number; callMs: number }> {
  const call = SubmissionRunner.prototype.call;
  let callMs = 0;
  SubmissionRunner.prototype.call = async function (this: SubmissionRunner, ...args: Parameters<typeof call>) {
    const t = performance.now();
    try {
      return await call.apply(this, args);
    } finally {
      callMs += performance.now() - t;
    }
  };
  const t = performance.now();
  try {
    await f();
  } finally {
    SubmissionRunner.prototype.call = call;
  }
  return { wallMs: performance.now() - t, callMs };
}

function report(m: Measure, out: Measure[]): void {
  out.push(m);
  const judged = m.target !== undefined;
  const ok = !judged || (m.better === 'lower' ? m.value <= m.target! : m.value >= m.target!);
  const tag = !judged ? '    ' : ok ? 'met ' : 'MISS';
  const value = m.value.toFixed(m.value < 10 ? 2 : 0).padStart(9);
  const target = judged ? ` (target ${m.better === 'lower' ? '<=' : '>='} ${m.target})` : '';
  console.log(`${tag} ${m.name.padEnd(52)} ${value} ${m.unit.padEnd(9)}${target}${m.note ? `  ${m.note}` : ''}`);
}

const missedOf = (out: Measure[]) => out.filter((m) => m.target !== undefined && (m.better === 'lower' ? m.value > m.target : m.value < m.target));

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean' }, 'compare-numpy': { type: 'boolean' }, 'full-homework': { type: 'boolean' },
      'homework-epochs': { type: 'string', default: '20' }, batch: { type: 'string' }, help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const epochs = Number(values['homework-epochs']);
  if (!Number.isInteger(epochs) || epochs < 1) throw new UsageError(`--homework-epochs takes a whole number of epochs, got "${values['homework-epochs']}"`);
  const missing = 'npm run bench measures the reference solution, which the student kit does not include';
  const { accuracy, predict, trainMLP, optimizerStep } = await importReference(() => import('../reference/train.js'), missing);
  const { initMLP } = await importReference(() => import('../reference/init.js'), missing);
  const { mlpLoss } = await importReference(() => import('../reference/network.js'), missing);
  const { writeFromReference } = await importReference(() => import('../instructor/starter.js'), missing);
  const ref: Reference = { initMLP, mlpLoss, optimizerStep };
  const quick = values.quick ?? false;
  const out: Measure[] = [];
  const say = (m: Measure) => report(m, out);
  const numpyWhyNot = values['compare-numpy'] ? numpyMissing() : 'not asked for (--compare-numpy)';
  console.log(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} on ${os.cpus().length} cores: compare ratios, not absolute figures\n`);

  console.log('matmul: share of the kernel\'s own ceiling (L1-resident operands), median of side-by-side turns');
  const kernel = measureKernel(new Random('bench'), quick ? 3 : 7);
  say({ name: 'kernel ceiling (packed operands in L1)', value: kernel.ceiling, unit: 'GFLOP/s' });
  for (const { shape, gflops, share } of kernel.shapes) {
    say({
      name: `${shape.name} (share of ceiling)`, value: share, unit: 'x', target: shape.target, better: 'higher',
      note: `best ${gflops.toFixed(1)} GFLOP/s`,
    });
  }

  console.log('\none MNIST epoch: 784-500-10 ReLU, batch 200, lr 0.1, 8,000 digits, training steps only');
  const mnist = loadDataset({ name: 'mnist' });
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'bench-'));
  try {
    // Each mode in a phase of its own, as a training run keeps one mode throughout: two
    // threads first (then the full homework, still on them), then one. Within a phase, turns
    // of (our epoch, numpy's epoch): the machine's load drifts within seconds, so each turn's
    // ratio compares epochs run next to each other, and the verdict is the median of those ratios.
    const reps = quick ? 4 : 7;
    let xFile = '', yFile = '';
    if (!numpyWhyNot) {
      xFile = path.join(tmp, 'x.f64');
      yFile = path.join(tmp, 'y.u8');
      await writeFile(xFile, new Uint8Array(mnist.train.X.data.buffer, mnist.train.X.data.byteOffset, mnist.train.X.data.byteLength));
      await writeFile(yFile, Uint8Array.from(mnist.train.y));
    }
    /** reps turns of (one epoch here, one in numpy), after one epoch of warm-up. */
    const turns = () => {
      const ours = { wall: [] as number[], cpu: [] as number[] }, theirs = { wall: [] as number[], cpu: [] as number[] };
      epochTimes(ref, mnist.train, 1);
      for (let r = 0; r < reps; r++) {
        const one = epochTimes(ref, mnist.train, 1);
        ours.wall.push(...one.wall);
        ours.cpu.push(...one.cpu);
        if (!numpyWhyNot) {
          const np = runNumpy<{ seconds: number[]; cpuSeconds: number[] }>(['epoch', xFile, yFile, String(mnist.train.X.rows), '2']);
          theirs.wall.push(median(np.seconds));
          theirs.cpu.push(median(np.cpuSeconds));
        }
      }
      return { ours, theirs };
    };
    const started = startKernelThread();
    const thread = started && (await started.ready) ? started : undefined;
    if (started && !thread) await started.stop();
    const twoPhase = thread ? turns() : undefined;
    const chunks = { ...thread?.chunks };
    // the full homework runs here, on two threads where the second one runs, so that no one-thread epoch comes before it
    let full: { seconds: number; testAccuracy: number; dir: string } | undefined;
    if (values['full-homework']) {
      const dir = path.join(tmp, 'mnist-idx');
      writeFullSizeMnist(dir, mnist.train, mnist.test);
      const t = performance.now();
      const data = loadDataset({ name: 'mnist', path: dir });
      const { params } = trainMLP(data.train, { ...HOMEWORK, hidden: [...HOMEWORK.hidden], epochs }, new Random(1));
      full = { testAccuracy: accuracy(predict(params, data.test.X, HOMEWORK), data.test.y), seconds: (performance.now() - t) / 1000, dir };
    }
    await thread?.stop();
    const onePhase = turns();

    const samples = (seconds: number) => `${Math.round(mnist.train.X.rows / seconds)} samples/s`;
    const epoch = median(onePhase.ours.wall);
    say({ name: 'reference epoch, one thread', value: epoch, unit: 's', note: samples(epoch) });
    if (!twoPhase) console.log('     two kernel threads skipped: no shared WebAssembly memory or worker thread here');
    else {
      const epoch2 = median(twoPhase.ours.wall);
      const share = `the worker ran ${chunks.worker ?? 0} of ${(chunks.worker ?? 0) + (chunks.caller ?? 0)} chunks`;
      say({ name: 'reference epoch, kernel on two threads', value: epoch2, unit: 's', note: `${samples(epoch2)}; ${share}` });
    }
    if (numpyWhyNot) {
      console.log(`     numpy comparison skipped: ${numpyWhyNot}`);
    } else {
      const np = median([...onePhase.theirs.wall, ...(twoPhase?.theirs.wall ?? [])]);
      say({ name: 'numpy float64 epoch, one thread', value: np, unit: 's', note: samples(np) });
      const perTurn = (phase: { ours: { wall: number[] }; theirs: { wall: number[] } }) => phase.ours.wall.map((t, r) => phase.theirs.wall[r] / t);
      const spread = (ratios: number[]) => `turns ${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}`;
      const one = perTurn(onePhase);
      say({ name: 'reference speed / numpy speed (epoch, one thread)', value: median(one), unit: 'x', note: `median of ${reps} turns; ${spread(one)}` });
      // CPU time, which other jobs on the machine change far less than wall time (one thread each side)
      const [ourCpu, theirCpu] = [median(onePhase.ours.cpu), median(onePhase.theirs.cpu)];
      say({ name: 'the same by CPU time (user + system)', value: theirCpu / ourCpu, unit: 'x', note: `${ourCpu.toFixed(2)} s against ${theirCpu.toFixed(2)} s` });
      const two = twoPhase ? perTurn(twoPhase) : [];
      if (two.length) say({ name: 'reference speed / numpy speed (epoch, two threads)', value: median(two), unit: 'x', note: `median of ${reps} turns; ${spread(two)}` });
      say({ name: `reference speed / numpy speed (epoch, best of 1-2 threads)`, value: Math.max(median(one), two.length ? median(two) : 0), unit: 'x', target: 1, better: 'higher' });
    }

    if (full) {
      console.log(`\nfull homework: 60,000 digits, ${epochs} epochs, generated IDX files of the real size`);
      say({ name: `full homework, reference, ${thread ? 'two threads' : 'one thread'}`, value: full.seconds, unit: 's', note: `test accuracy ${full.testAccuracy.toFixed(3)}` });
      if (!numpyWhyNot) {
        const { seconds: np, testAccuracy: npAccuracy } = runNumpy<{ seconds: number; testAccuracy: number }>(['full', full.dir, String(epochs)]);
        say({ name: 'full homework, numpy float64, one thread', value: np, unit: 's', note: `test accuracy ${npAccuracy.toFixed(3)}` });
        say({ name: 'reference time / numpy time (full homework)', value: full.seconds / np, unit: 'x', target: 1.5, better: 'lower' });
      }
    }

    console.log('\ngrading the reference written as a submission');
    const submission = path.join(tmp, 'reference');
    await writeFromReference(submission, 'solution');
    const allButCifar = ['activations', 'affine', 'softmax', 'regularization', 'network', 'gradcheck', 'init', 'optim', 'dropout', 'train_loop', 'train_moons', 'train_mnist'];
    // a fast grade is worth nothing if it is wrong: the reference must keep full marks
    const fullMarks = (dir: string, parts: string[]) => async () => {
      const r = await grade({ submission: dir, parts });
      if (r.score < r.maxScore - r.notAttempted - 1e-9) throw new Error(`the reference scored ${r.score}/${r.maxScore} on ${parts.join(', ')}: grading is broken`);
    };
    const inProcess = await timeInCalls(fullMarks(submission, allButCifar));
    const gradeArgs = ['run', '--silent', 'grade', '--', '--submission', submission, '--no-html'];
    const shellGrade = median(Array.from({ length: quick ? 1 : 3 }, () => shellSeconds('npm', gradeArgs)));
    say({
      name: 'npm run grade, all parts but CIFAR-10', value: shellGrade, unit: 's', target: 4, better: 'lower',
      note: `grader's own share ${Math.round((100 * (inProcess.wallMs - inProcess.callMs)) / inProcess.wallMs)}% (time outside calls into the submission)`,
    });
    const activations = median(Array.from({ length: 5 }, () => shellSeconds('npm', [...gradeArgs, '--part', 'activations'])));
    say({ name: 'npm run grade -- --part activations', value: activations, unit: 's', target: 0.5, better: 'lower' });
    // an independent solution written with plain loops over Matrix.data, as many students write it
    const loops = path.join(ROOT, 'test', 'submissions', 'loops');
    if (!quick && existsSync(loops)) {
      let score = '';
      const slow = await timeInCalls(async () => {
        const r = await grade({ submission: loops, parts: allButCifar });
        score = `${r.score.toFixed(1)}/${(r.maxScore - r.notAttempted).toFixed(1)} points`;
      });
      say({ name: 'grade (in process), plain-loop solution', value: slow.wallMs / 1000, unit: 's', note: `${score}; the reference in process: ${(inProcess.wallMs / 1000).toFixed(1)} s` });
    }

    console.log('\nthe sandbox');
    say({ name: 'bundle a submission (esbuild)', value: await timeIt(quick ? 3 : 7, async () => removeBundle(await bundleSubmission(submission, [...STUDENT_MODULES]))), unit: 'ms', target: 500, better: 'lower' });
    const bundle = await bundleSubmission(submission, [...STUDENT_MODULES]);
    say({ name: 'start the child process', value: await timeIt(quick ? 3 : 7, async () => (await SubmissionRunner.start(bundle)).close()), unit: 'ms', target: 1000, better: 'lower' });
    const runner = await SubmissionRunner.start(bundle);
    const tiny = { $type: 'matrix' as const, rows: 1, cols: 1, data: [0.5] };
    say({ name: 'one call round trip (sigmoidForward 1x1)', value: await timeIt(50, () => runner.call('sigmoidForward', [tiny])), unit: 'ms', target: 5, better: 'lower' });
    await runner.close();
    await removeBundle(bundle);
    // start-up: the commands from the shell (cli/bench-startup.ts)
    for (const m of await startupMeasures(submission, reps, values.quick ?? false)) say(m);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  if (values.batch !== undefined) {
    const count = Number(values.batch);
    if (!Number.isInteger(count) || count < 2) throw new UsageError(`--batch takes a whole number of submissions, at least 2, got "${values.batch}"`);
    console.log('\ngrading a class (bin/grade-batch pipeline)');
    for (const m of await batchMeasures(count, os.availableParallelism(), writeFromReference)) say(m);
  }
  say({ name: 'peak memory (resident)', value: process.resourceUsage().maxRSS / 1024, unit: 'MiB', target: 1536, better: 'lower' });

  const missed = missedOf(out);
  console.log(missed.length ? `\n${missed.length} target(s) missed (the machine may be busy: run again before concluding)` : '\nall targets met');
  return missed.length ? 1 : 0;
}

main().then((code) => { process.exitCode = code; }, (err: unknown) => {
  process.exitCode = Math.max(2, reportFailure('bench', err));
});
