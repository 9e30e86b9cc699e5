/** `npm run grade:batch -- DIR`: grade every submission folder in DIR (TAs), write a gradebook CSV and one JSON per student. */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { callTimeoutOption, grade, GradingSetupError } from '../grader/grade.js';
import { loadFixtures } from '../grader/fixtures/load.js';
import { MAX_SLOTS } from '../grader/sandbox/jail.js';
import { probeIsolation, SandboxRefusal, strictProblem } from '../grader/sandbox/layers.js';
import { gradebookCsv, jsonReport, type GradebookRow } from '../grader/report/index.js';

const HELP = `Usage: npm run grade:batch -- DIR [options]

Grades every sub-folder of DIR as one student's submission (the folder name is
the student id), a few at a time, and writes out/batch/gradebook.csv (one row
per student, one column per part) and out/batch/<student>.json.
A submission that cannot be graded gets a row with the reason; the batch goes on.
Strict by default: it refuses to start (exit code 3) when an isolation layer it
requires is missing (README, Security model; npm run grade -- --check-sandbox).

Options:
  --out DIR        where to write (default: out/batch)
  --jobs N         submissions graded at once (default: number of cores, ${os.availableParallelism()})
  --part ID        grade only this part (repeatable)
  --call-timeout S seconds one unit-case call may take (default 10)
  --fixtures DIR   fixtures to grade against (e.g. hidden ones from npm run fixtures -- --hidden)
  --mnist DIR      full MNIST IDX files (env MNIST_PATH)
  --cifar10 PATH   CIFAR-10 binary version (env CIFAR10_PATH)
  --no-strict      grade even without the required isolation layers (trusted code only)
  --help           this text`;

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        out: { type: 'string' }, jobs: { type: 'string' }, part: { type: 'string', multiple: true }, fixtures: { type: 'string' },
        mnist: { type: 'string' }, cifar10: { type: 'string' }, 'call-timeout': { type: 'string' }, help: { type: 'boolean', short: 'h' },
        'no-strict': { type: 'boolean' },
      },
      allowPositionals: true,
    });
  } catch (err) {
    throw new GradingSetupError(`${(err as Error).message}. See: npm run grade:batch -- --help`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new GradingSetupError('give one folder holding the submissions, e.g. npm run grade:batch -- submissions/');
  const jobs = Number(values.jobs ?? Math.min(os.availableParallelism(), MAX_SLOTS));
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > MAX_SLOTS) throw new GradingSetupError(`--jobs takes a whole number from 1 to ${MAX_SLOTS}, got "${values.jobs}"`);
  const strict = !values['no-strict'];
  // refuse before grading anyone: every submission would be refused for the same reason
  const refusal = strict ? strictProblem((await probeIsolation()).layers) : undefined;
  if (refusal) throw new SandboxRefusal(refusal);
  const callTimeoutMs = callTimeoutOption(values['call-timeout']);
  const root = path.resolve(positionals[0]);
  const entries = await readdir(root, { withFileTypes: true }).catch((cause: unknown) => {
    throw new GradingSetupError(`${root}: cannot read the folder of submissions (${(cause as NodeJS.ErrnoException).code})`, { cause });
  });
  const students = entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort();
  if (students.length === 0) throw new GradingSetupError(`${root}: no sub-folders; put each submission in its own folder named after the student`);
  // fail fast on bad fixtures or part ids, before grading anyone
  await loadFixtures(values.fixtures, values.part).catch((cause: unknown) => {
    throw new GradingSetupError((cause as Error).message, { cause });
  });
  const out = path.resolve(values.out ?? 'out/batch');
  await mkdir(out, { recursive: true });

  const rows: GradebookRow[] = new Array(students.length);
  let next = 0, done = 0;
  const started = Date.now();
  // each worker is one job slot: its children run as the slot's own uid
  const worker = async (slot: number) => {
    while (next < students.length) {
      const i = next++;
      const student = students[i];
      try {
        const results = await grade({
          submission: path.join(root, student), fixturesDir: values.fixtures, parts: values.part,
          callTimeoutMs, strict, slot,
          data: { mnist: values.mnist ?? process.env.MNIST_PATH, cifar10: values.cifar10 ?? process.env.CIFAR10_PATH },
        });
        rows[i] = { student, results };
        await writeFile(path.join(out, `${student}.json`), jsonReport(results));
      } catch (err) {
        rows[i] = { student, results: null, error: (err as Error).message };
      }
      done++;
      const r = rows[i];
      const line = r.results ? `${r.results.score.toFixed(2)}/${r.results.maxScore}` : `not graded: ${r.error}`;
      process.stderr.write(`[${done}/${students.length}] ${student}: ${line}\n`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, students.length) }, (_, slot) => worker(slot)));
  const csv = path.join(out, 'gradebook.csv');
  await writeFile(csv, gradebookCsv(rows));
  const failed = rows.filter((r) => !r.results).length;
  console.log(`graded ${students.length - failed} of ${students.length} submissions in ${((Date.now() - started) / 1000).toFixed(1)} s; gradebook: ${csv}`);
  return 0;
}

main().then((code) => { process.exitCode = code; }, (err: unknown) => {
  console.error(`grade:batch: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = err instanceof SandboxRefusal ? 3 : 2;
});
