/**
 * The batch figures of `npm run bench -- --batch N` (issue 10): N correct
 * submissions that differ (the reference with a comment of its own each),
 * graded with --force so no stored result helps, all parts but CIFAR-10, once
 * with one job on half of them and once with the default jobs on all; prints
 * the seconds per submission per job, the scaling from 1 to 2 jobs, and the
 * time 300 submissions would take against the 20-minute target.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runBatch } from '../batch/run.js';
import { findSubmissionLayout } from '../grader/layout.js';
import { probeIsolation } from '../grader/sandbox/layers.js';

/** One figure, as cli/bench.ts prints and checks it. */
export interface BatchMeasure { name: string; value: number; unit: string; target?: number; better?: 'lower' | 'higher'; note?: string }

/** The parts a class is graded on here: every part but CIFAR-10 (no data on this machine). */
const PARTS = ['activations', 'affine', 'softmax', 'regularization', 'network', 'gradcheck', 'init', 'optim', 'dropout', 'train_loop', 'train_moons', 'train_mnist'];
/** The class size and time of issue 10's target. */
const CLASS = 300;
const TARGET_MINUTES = 20;

/** Seconds a forced batch of `count` copies takes with `jobs` jobs. */
async function timeBatch(root: string, out: string, jobs: number, layers: string[]): Promise<number> {
  const started = performance.now();
  const summary = await runBatch({
    input: root, out, jobs, force: true, grading: { parts: PARTS, strict: false }, locate: findSubmissionLayout, similarity: false,
    progress: { write: () => true, isTTY: false }, layers,
  });
  if (summary.failed > 0 || summary.graded !== summary.students) throw new Error(`the batch bench graded ${summary.graded} of ${summary.students} copies of the reference`);
  return (performance.now() - started) / 1000;
}

/** Writes the reference as a submission into a folder, each file through `edit` (instructor/starter.ts's writeFromReference, passed in: bench loads the instructor's modules lazily). */
export type WriteReference = (dir: string, mode: 'solution', edit: (file: string, source: string) => string) => Promise<unknown>;

/** Writes `count` differing copies of the reference into `root/<id>/`. */
async function copies(root: string, count: number, writeFromReference: WriteReference): Promise<void> {
  for (let i = 0; i < count; i++) {
    const dir = path.join(root, `student${String(i).padStart(3, '0')}`);
    await writeFromReference(dir, 'solution', (file, source) => (file === 'layers.ts' ? `${source}\n// copy ${i}\n` : source));
  }
}

/** Measures batch throughput on `count` submissions (at least 2). */
export async function batchMeasures(count: number, jobs: number, writeFromReference: WriteReference): Promise<BatchMeasure[]> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'bench-batch-'));
  try {
    const layers = (await probeIsolation()).layers.filter((l) => l.active).map((l) => l.id);
    const all = path.join(tmp, 'all'), half = path.join(tmp, 'half');
    await copies(all, count, writeFromReference);
    await copies(half, Math.max(1, Math.floor(count / 2)), writeFromReference);
    await writeFile(path.join(tmp, 'README'), 'bench scratch\n');
    const oneJob = await timeBatch(half, path.join(tmp, 'out-1'), 1, layers);
    const perSubmission1 = oneJob / Math.max(1, Math.floor(count / 2));
    const manyJobs = await timeBatch(all, path.join(tmp, 'out-n'), jobs, layers);
    const perSubmissionN = manyJobs / count;
    const classMinutes = (perSubmissionN * CLASS) / 60;
    return [
      { name: 'batch: seconds per submission, 1 job', value: perSubmission1, unit: 's', note: `all parts but CIFAR-10, ${Math.floor(count / 2)} copies, --force` },
      { name: `batch: seconds per submission, ${jobs} jobs`, value: perSubmissionN, unit: 's', note: `${count} copies` },
      { name: `batch: speed-up from 1 to ${jobs} jobs`, value: perSubmission1 / perSubmissionN, unit: 'x', target: jobs * 0.8, better: 'higher' },
      { name: `batch: ${CLASS} submissions (extrapolated)`, value: classMinutes, unit: 'min', target: TARGET_MINUTES, better: 'lower' },
    ];
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
