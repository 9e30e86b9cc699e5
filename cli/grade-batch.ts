/** `bin/grade-batch DIR|ZIP`: grade a class's submissions (any LMS export), incrementally, and write the gradebook, LMS files, feedback and a class report. */
import './inspector-guard.js';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runBatch } from '../batch/run.js';
import { loadFixtures } from '../grader/fixtures/load.js';
import { callTimeoutOption, GradingSetupError } from '../grader/grade.js';
import { findSubmissionLayout } from '../grader/layout.js';

const HELP = `Usage: bin/grade-batch INPUT [options]      (npm run grade:batch -- INPUT also works)

Grades a class's submissions and writes, under --out (default out/batch):
  gradebook.csv         one row per student, one column per part, total, status
                        (rewritten after every student, so it is current even if the batch is killed)
  results/<id>.json     each student's result, written the moment it is graded
  feedback/<id>.txt|html  what to hand back (parts the fixtures hide are left out)
  class-report.html     score histogram, per-part means, common hints, slowest, ungraded, similar pairs
  canvas-import.csv     with --canvas-gradebook; moodle-worksheet.csv for a Moodle export

INPUT is a folder or a .zip of any of:
  a folder per student (the folder name is the id); Canvas's "Download submissions"
  (flat files name_[late_]userid_subid_file, re-uploads file-1.ts); Moodle's
  "Download all submissions" (Name_ID_assignsubmission_file_ folders); Gradescope's
  "Export submissions" (submission_metadata.yml). Each student's files are found by
  their names, also inside a whole repository (starter/) or the student's own zip.

A re-run grades only students whose files (or the grader, fixtures, options,
Node version or isolation) changed since their stored result; --force regrades all.

Options:
  --out DIR                 where to write (default: out/batch)
  --jobs N                  submissions graded at once (default: ${os.availableParallelism()}, the number of cores)
  --force                   regrade everyone
  --rebuild                 grade nobody: rebuild every output from the stored results
  --similarity              compare every pair of students' code (renamed copies are flagged)
  --canvas-gradebook FILE   a gradebook export from Canvas: write canvas-import.csv from it
  --canvas-assignment NAME  the assignment column to fill (when the export has several)
  --part ID                 grade only this part (repeatable)
  --call-timeout S          seconds one unit-case call may take (default 10)
  --fixtures DIR            fixtures to grade against (e.g. hidden ones)
  --mnist DIR               full MNIST IDX files (env MNIST_PATH)
  --cifar10 PATH            CIFAR-10 binary version (env CIFAR10_PATH)
  --help                    this text`;

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        out: { type: 'string' }, jobs: { type: 'string' }, force: { type: 'boolean' }, rebuild: { type: 'boolean' },
        similarity: { type: 'boolean' }, 'canvas-gradebook': { type: 'string' }, 'canvas-assignment': { type: 'string' },
        part: { type: 'string', multiple: true }, fixtures: { type: 'string' }, mnist: { type: 'string' }, cifar10: { type: 'string' },
        'call-timeout': { type: 'string' }, help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
    });
  } catch (err) {
    throw new GradingSetupError(`${(err as Error).message}. See: bin/grade-batch --help`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new GradingSetupError('give one folder or zip of submissions, e.g. bin/grade-batch submissions.zip');
  const jobs = Number(values.jobs ?? os.availableParallelism());
  if (!Number.isInteger(jobs) || jobs < 1) throw new GradingSetupError(`--jobs takes a whole number of at least 1, got "${values.jobs}"`);
  // fail fast on bad fixtures or part ids, before grading anyone
  await loadFixtures(values.fixtures, values.part).catch((cause: unknown) => {
    throw new GradingSetupError((cause as Error).message, { cause });
  });
  const started = Date.now();
  const summary = await runBatch({
    input: path.resolve(positionals[0]),
    out: path.resolve(values.out ?? 'out/batch'),
    jobs, force: values.force ?? false, rebuildOnly: values.rebuild ?? false,
    grading: {
      fixturesDir: values.fixtures, parts: values.part, callTimeoutMs: callTimeoutOption(values['call-timeout']),
      data: { mnist: values.mnist ?? process.env.MNIST_PATH, cifar10: values.cifar10 ?? process.env.CIFAR10_PATH },
    },
    locate: findSubmissionLayout,
    similarity: values.similarity ?? false,
    canvasGradebook: values['canvas-gradebook'], canvasAssignment: values['canvas-assignment'],
    progress: process.stderr,
    layers: [],
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`${summary.students} submissions (${summary.kind} export): ${summary.graded} graded, ${summary.cached} unchanged, ${summary.failed} not graded, in ${seconds} s`);
  for (const [what, file] of Object.entries(summary.outputs)) console.log(`  ${what}: ${path.relative(process.cwd(), file) || file}`);
  return 0;
}

main().then((code) => { process.exitCode = code; }, (err: unknown) => {
  console.error(`grade:batch: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 2;
});
