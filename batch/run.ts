/**
 * A batch of submissions from start to finish: read the export, find each
 * student's files, grade only what changed since the last run (a few at a
 * time), write each result the moment it is done, and rebuild every output
 * (gradebook, LMS files, feedback, class report) from the stored results, so
 * a batch killed at any point is resumed by running it again.
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_FIXTURES_DIR } from '../grader/fixtures/load.js';
import { grade, type GradeOptions } from '../grader/grade.js';
import { SandboxRefusal } from '../grader/sandbox/layers.js';
import { STUDENT_MODULES } from '../grader/modules.js';
import { csvTable, gradebookCsv, type GradebookRow } from '../grader/report/csv.js';
import { formatNumber } from '../grader/report/text.js';
import type { GradingResults } from '../grader/results.js';
import { ROOT } from '../grader/root.js';
import { classReport, type PairView } from './class-report.js';
import { readExport, type ExportKind, type StudentUpload } from './exports.js';
import { fixturesFingerprint, studentFixtures, type StudentFixtures } from './student-fixtures.js';
import { studentFeedback } from './feedback.js';
import { canvasImportCsv, moodleWorksheetCsv, type LmsGrade } from './lms-csv.js';
import { createBatchProgress } from './progress.js';
import type { ProgressStream } from '../common/progress-bar.js';
import { writeAtomic } from '../common/write-atomic.js';
import { fingerprint, matchedLines, rankPairs, SIMILARITY_THRESHOLD, starterPrints, type Fingerprints } from './similarity.js';
import { graderFingerprint, hashFolder, resultKey, ResultStore, storedStudent, type KeyContext, type StoredResult } from './store.js';

/** Where an upload's assignment files are: a folder, or why none can be graded (the layout step). */
export type Locate = (upload: string) => Promise<{ ok: true; dir: string; relative: string } | { ok: false; reason: string }>;

export interface BatchOptions {
  /** A folder or zip of submissions (any export readExport knows). */
  input: string;
  /** Where results and outputs go. */
  out: string;
  jobs: number;
  /** Regrade every student, fresh results or not. */
  force: boolean;
  /** Grade nobody: rebuild every output from the stored results (of any age). */
  rebuildOnly?: boolean;
  /** Options of grade() that apply to every student (parts, fixtures, limits, data sets). */
  grading: Omit<GradeOptions, 'submission'>;
  /** Finds each upload's folder to grade. */
  locate: Locate;
  similarity: boolean;
  /** A Canvas gradebook export, to write the import file from. */
  canvasGradebook?: string;
  canvasAssignment?: string;
  /** Where progress goes (process.stderr). */
  progress: ProgressStream;
  /** Isolation layers active for this batch (part of every result's key). */
  layers: string[];
  /** Each student graded against fixtures of their own, from this course secret and their id (`--per-student`). */
  perStudentSecret?: string;
}

export interface BatchSummary {
  kind: ExportKind;
  students: number;
  graded: number;
  cached: number;
  failed: number;
  outputs: Record<string, string>;
}

/** The options that change a score, as they go into each result's key. */
function scoreOptions(g: BatchOptions['grading']): Record<string, unknown> {
  return { parts: g.parts ?? null, callTimeoutMs: g.callTimeoutMs ?? null, mnist: g.data?.mnist ?? null, cifar10: g.data?.cifar10 ?? null, timeLimits: g.timeLimits ?? null };
}

/** One line for the progress and the summary: the score, or why not graded. */
function scoreLine(r: StoredResult): string {
  return r.results ? `${formatNumber(r.results.score)}/${formatNumber(r.results.maxScore)}` : `not graded: ${r.error}`;
}

/** Grades (or takes the fresh stored result of) one student and stores it. */
async function gradeStudent(upload: StudentUpload, options: BatchOptions, store: ResultStore, context: KeyContext, slot: number): Promise<{ result: StoredResult; cached: boolean }> {
  const started = Date.now();
  const base = { version: 1 as const, student: storedStudent(upload), fixtures: context.fixtures };
  const finish = async (rest: Pick<StoredResult, 'key' | 'results' | 'error' | 'graded'>) => {
    const result: StoredResult = { ...base, ...rest, timeMs: Date.now() - started, finishedAt: new Date().toISOString() };
    await store.write(result);
    return { result, cached: false };
  };
  if (upload.problem) return finish({ key: resultKey(`problem:${upload.problem}`, context), results: null, error: upload.problem });
  const found = await options.locate(upload.dir);
  if (!found.ok) return finish({ key: resultKey(`missing:${await hashFolder(upload.dir)}`, context), results: null, error: found.reason });
  let fixtures: StudentFixtures | undefined;
  if (options.perStudentSecret) {
    // a Gradescope export's student is known by email there, so the inputs match run_autograder's
    fixtures = await studentFixtures(path.join(path.resolve(options.out), 'fixtures'), options.perStudentSecret, upload.email ?? upload.id, options.grading.parts);
    base.fixtures = fixtures.fingerprint;
  }
  const key = resultKey(await hashFolder(found.dir), context, fixtures?.fingerprint);
  const fresh = options.force ? undefined : await store.fresh(upload.id, key);
  if (fresh) return { result: fresh, cached: true };
  try {
    const results = await grade({ ...options.grading, ...(fixtures ? { fixturesDir: fixtures.dir } : {}), submission: found.dir, slot });
    return finish({ key, results: { ...results, submission: upload.id }, graded: found.relative });
  } catch (err) {
    // a missing isolation layer is the grader's fault: it stops the batch, it is never a student's grade
    if (err instanceof SandboxRefusal) throw err;
    return finish({ key, results: null, error: (err as Error).message, graded: found.relative });
  }
}

/** The graded files of a student, for the similarity check (missing ones are skipped). */
async function gradedFiles(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const f of STUDENT_MODULES) {
    const text = await readFile(path.join(dir, f), 'utf8').catch(() => undefined);
    if (text !== undefined) files.set(f, text);
  }
  return files;
}

/** The gradebook rows of `results`, in the export's order; a student without a result yet gets an empty row. */
function gradebookRows(uploads: StudentUpload[], results: ReadonlyMap<string, StoredResult>): GradebookRow[] {
  return uploads.map((u): GradebookRow => {
    const r = results.get(u.id);
    if (!r) return { student: u.id, results: null, error: 'not graded yet', extra: { name: u.name ?? '' } };
    return {
      student: r.student.id, results: r.results, error: r.error,
      extra: { name: r.student.name ?? '', late: r.student.late ? 'late' : '', graded: r.graded ?? '', fixtures: r.fixtures ?? '', notes: r.student.notes.join('; ') },
    };
  });
}

/** Writes the gradebook of what is known so far (after every student, so a killed batch leaves a current one). */
async function writeGradebook(out: string, uploads: StudentUpload[], results: ReadonlyMap<string, StoredResult>): Promise<string> {
  const file = path.join(out, 'gradebook.csv');
  await writeAtomic(file, gradebookCsv(gradebookRows(uploads, results), ['name', 'late', 'graded', 'fixtures', 'notes']));
  return file;
}

/** Writes every output from the stored results of the students in this export. */
async function writeOutputs(options: BatchOptions, kind: ExportKind, uploads: StudentUpload[], byId: ReadonlyMap<string, StoredResult>): Promise<Record<string, string>> {
  const out = path.resolve(options.out);
  const outputs: Record<string, string> = { gradebook: await writeGradebook(out, uploads, byId) };
  const results = uploads.map((u) => byId.get(u.id)).filter((r): r is StoredResult => r !== undefined);

  const feedbackDir = path.join(out, 'feedback');
  await mkdir(feedbackDir, { recursive: true });
  for (const r of results.filter((x) => x.results)) {
    const { text, html } = studentFeedback(r.results as GradingResults, r.student.id);
    await writeAtomic(path.join(feedbackDir, `${r.student.id}.txt`), text);
    await writeAtomic(path.join(feedbackDir, `${r.student.id}.html`), html);
  }
  outputs.feedback = feedbackDir;

  const grades: LmsGrade[] = results.map((r) => ({
    id: r.student.id, name: r.student.name, email: r.student.email, score: r.results?.score, maxScore: r.results?.maxScore,
    comment: r.results ? `see the feedback file ${r.student.id}.html` : `not graded: ${r.error}`,
  }));
  if (options.canvasGradebook) {
    const made = canvasImportCsv(await readFile(options.canvasGradebook, 'utf8'), grades, options.canvasAssignment);
    outputs.canvas = path.join(out, 'canvas-import.csv');
    await writeAtomic(outputs.canvas, made.csv);
    if (made.unknown.length > 0) options.progress.write(`canvas: ${made.unknown.length} graded student(s) not in the gradebook export: ${made.unknown.join(', ')}\n`);
  }
  if (kind === 'moodle') {
    outputs.moodle = path.join(out, 'moodle-worksheet.csv');
    await writeAtomic(outputs.moodle, moodleWorksheetCsv(grades));
  }

  let pairs: ReturnType<typeof rankPairs> = [];
  const views: PairView[] = [];
  if (options.similarity) {
    const starter = starterPrints(await gradedFiles(path.join(ROOT, 'starter')));
    const sources = new Map<string, Map<string, string>>();
    const prints = new Map<string, Fingerprints>();
    for (const r of results) {
      const upload = uploads.find((u) => u.id === r.student.id);
      if (!upload || r.graded === undefined) continue;
      const files = await gradedFiles(path.join(upload.dir, r.graded));
      sources.set(r.student.id, files);
      prints.set(r.student.id, fingerprint(files, starter));
    }
    pairs = rankPairs(prints);
    for (const pair of pairs.filter((p) => p.score >= SIMILARITY_THRESHOLD)) {
      const a = sources.get(pair.a)!, b = sources.get(pair.b)!;
      views.push({
        pair, files: STUDENT_MODULES.filter((f) => a.has(f) && b.has(f)).map((f) => {
          const lines = matchedLines(prints.get(pair.a)!, prints.get(pair.b)!, f);
          return { file: f, a: a.get(f)!, b: b.get(f)!, matchedA: lines.a, matchedB: lines.b };
        }),
      });
    }
    outputs.similarity = path.join(out, 'similarity.csv');
    await writeAtomic(outputs.similarity, csvTable([['student_a', 'student_b', 'score', 'shared', 'flagged'], ...pairs.map((p) => [p.a, p.b, p.score.toFixed(3), String(p.shared), p.score >= SIMILARITY_THRESHOLD ? 'yes' : ''])]));
  }
  outputs.classReport = path.join(out, 'class-report.html');
  await writeAtomic(outputs.classReport, classReport({
    title: `Class report: ${path.basename(options.input)}`, results, pairs, threshold: SIMILARITY_THRESHOLD, views, madeAt: new Date().toISOString(),
  }));
  return outputs;
}

/** Runs a batch; throws one line (ExportError, ZipRefusedError, a fixture error) only when nobody can be graded. */
export async function runBatch(options: BatchOptions): Promise<BatchSummary> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'grade-batch-'));
  try {
    const { kind, students } = await readExport(options.input, work, undefined, [options.out]);
    const out = path.resolve(options.out);
    await mkdir(out, { recursive: true });
    const store = new ResultStore(path.join(out, 'results'));
    await store.sweep();
    const context: KeyContext = {
      grader: await graderFingerprint(), fixtures: await fixturesFingerprint(options.grading.fixturesDir ?? DEFAULT_FIXTURES_DIR),
      options: scoreOptions(options.grading), nodeMajor: Number(process.versions.node.split('.')[0]), layers: options.layers,
    };
    const results = new Map<string, StoredResult>();
    let next = 0, cached = 0;
    if (options.rebuildOnly) {
      for (const s of students) {
        const stored = await store.latest(s.id);
        if (stored) results.set(s.id, stored);
      }
      cached = results.size;
      next = students.length;
    }
    const progress = createBatchProgress(options.progress, students.length);
    const ticker = setInterval(() => progress.tick(), 1000);
    // gradebook writes one at a time, in order, so the newest always lands last
    let gradebookWrites = Promise.resolve('');
    // each worker is a job slot: its children run as the slot's own uid
    const worker = async (slot: number) => {
      while (next < students.length) {
        const upload = students[next++];
        progress.started(upload.id);
        const done = await gradeStudent(upload, options, store, context, slot);
        results.set(upload.id, done.result);
        if (done.cached) cached++;
        progress.finished(upload.id, scoreLine(done.result), !done.result.results, done.cached);
        gradebookWrites = gradebookWrites.then(() => writeGradebook(out, students, results));
        await gradebookWrites;
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(options.jobs, students.length) }, (_, slot) => worker(slot)));
    } finally {
      clearInterval(ticker);
      progress.done();
    }
    const outputs = await writeOutputs(options, kind, students, results);
    const failed = students.filter((s) => !results.get(s.id)?.results).length;
    return { kind, students: students.length, graded: students.length - cached - failed, cached, failed, outputs };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
