/**
 * Gradescope's grading run (started by gradescope/run_autograder through
 * bin/autograder): finds the assignment files in the upload, grades them
 * against the public fixtures and the hidden ones (this student's own, from
 * the course secret and their email), and writes results.json. A submission
 * at fault gets a score of 0 and a reason the student can act on; a fault of
 * the autograder exits 2 and writes no results, so Gradescope shows an
 * autograder error to staff instead of a grade.
 */
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { writeAtomic } from '../common/write-atomic.js';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_FIXTURES_DIR } from '../grader/fixtures/load.js';
import { grade, SubmissionError, type GradeOptions } from '../grader/grade.js';
import { findSubmissionLayout } from '../grader/layout.js';
import { loneGradeChildren } from '../grader/lanes.js';
import { submitterEmails, submitterId } from '../grader/gradescope/metadata.js';
import { readSettings, SETTINGS_FILE, type AutograderSettings } from '../grader/gradescope/settings.js';
import { splitPoints } from '../grader/gradescope/split.js';
import { gradescopeRefusal, gradescopeReport } from '../grader/report/gradescope.js';
import { terminalReport } from '../grader/report/terminal.js';
import type { GradingResults } from '../grader/results.js';
import { ROOT } from '../grader/root.js';

const HELP = `Usage: bin/autograder [options]

Grades one Gradescope submission into results.json (what gradescope/run_autograder runs).
Exit code 0: results.json written (a submission that cannot be graded gets 0 and the reason);
2: the autograder itself is broken (nothing written: Gradescope shows an autograder error).

Options:
  --root DIR            Gradescope's folder (default: $AUTOGRADER_ROOT or /autograder)
  --submission DIR      the upload (default: ROOT/submission)
  --metadata FILE       submission_metadata.json, or an export's submission_metadata.yml
                        (default: ROOT/submission_metadata.json)
  --submission-id KEY   with a .yml export: the submission's folder name (e.g. submission_123456)
  --results FILE        where to write (default: ROOT/results/results.json)
  --settings FILE       the instructor's settings (default: ${SETTINGS_FILE} beside the grader)
  --part ID             grade only this part (repeatable; for trying the autograder quickly)
  --help                this text`;

/** A fault of the autograder or its set-up, never of the submission. */
class AutograderFault extends Error {
  override name = 'AutograderFault';
}

interface Args {
  root: string; submission: string; metadata: string; submissionId?: string; results: string; settings: string; parts?: string[];
}

function parse(argv: string[]): Args | 'help' {
  let values;
  try {
    values = parseArgs({
      args: argv,
      options: {
        root: { type: 'string' }, submission: { type: 'string' }, metadata: { type: 'string' }, 'submission-id': { type: 'string' },
        results: { type: 'string' }, settings: { type: 'string' }, part: { type: 'string', multiple: true }, help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
    }).values;
  } catch (cause) {
    throw new AutograderFault(`${(cause as Error).message}. See: bin/autograder --help`, { cause });
  }
  if (values.help) return 'help';
  const root = path.resolve(values.root ?? process.env.AUTOGRADER_ROOT ?? '/autograder');
  return {
    root,
    submission: path.resolve(values.submission ?? path.join(root, 'submission')),
    metadata: path.resolve(values.metadata ?? path.join(root, 'submission_metadata.json')),
    submissionId: values['submission-id'],
    results: path.resolve(values.results ?? path.join(root, 'results', 'results.json')),
    settings: path.resolve(values.settings ?? path.join(ROOT, SETTINGS_FILE)),
    parts: values.part,
  };
}

/** Writes the file whole or not at all (a rename), so a half-written results.json never counts. */
async function writeAtomically(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeAtomic(file, text);
}

/**
 * The hidden fixtures to grade against, in a folder only root can read:
 * built for this submission's members when the tests are per student,
 * otherwise the ones packed in the zip. Returns the folder and how to clean up.
 */
async function hiddenFixtures(settings: AutograderSettings, args: Args): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  if (!settings.perStudent) {
    const dir = path.join(ROOT, 'fixtures-hidden');
    if (!(await stat(path.join(dir, 'manifest.json')).catch(() => null))) {
      throw new AutograderFault(`${dir} has no hidden fixtures: rebuild the autograder zip with npm run release -- --gradescope FILE.zip`);
    }
    return { dir, cleanup: async () => {} };
  }
  let student: string;
  try {
    student = submitterId(await submitterEmails(args.metadata, args.submissionId));
  } catch (cause) {
    throw new AutograderFault(`cannot tell who submitted: ${(cause as Error).message}`, { cause });
  }
  const { buildFixtures, studentSeed, writeFixtures } = await import('../instructor/fixtures/build.js');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hidden-fixtures-'));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  let fingerprint: string;
  try {
    const built = await buildFixtures({ seed: studentSeed(settings.secret!, student), hidden: true, parts: args.parts });
    await writeFixtures(dir, built);
    fingerprint = built.manifest.seed;
  } catch (cause) {
    await cleanup();
    throw new AutograderFault(`cannot build the hidden fixtures: ${(cause as Error).message}`, { cause });
  }
  // for staff (stdout): which student's set was used, by a fingerprint that does not reveal the seed
  console.log(`hidden tests: built for ${student} (${fingerprint})`);
  return { dir, cleanup };
}

/**
 * Grades the submission's folder: public run, then hidden run, combined. The
 * hidden fixtures come first, so a fault of the set-up shows before any grading.
 */
async function gradeBoth(submission: string, settings: AutograderSettings, args: Args): Promise<GradingResults> {
  // strict: a missing isolation layer is a SandboxRefusal, an autograder fault, never a grade
  // one submission per container: the heaviest training part in a child of its own where there are two cores (grader/lanes.ts)
  const base: GradeOptions = { submission, requiredParts: settings.requiredParts, parts: args.parts, strict: true, children: loneGradeChildren() };
  if (settings.hiddenFraction === 0) return grade({ ...base, fixturesDir: DEFAULT_FIXTURES_DIR });
  const hidden = await hiddenFixtures(settings, args);
  try {
    const pub = await grade({ ...base, fixturesDir: DEFAULT_FIXTURES_DIR });
    return splitPoints(pub, await grade({ ...base, fixturesDir: hidden.dir }), settings);
  } finally {
    await hidden.cleanup();
  }
}

async function main(): Promise<number> {
  const started = performance.now();
  const args = parse(process.argv.slice(2));
  if (args === 'help') {
    console.log(HELP);
    return 0;
  }
  const seconds = () => (performance.now() - started) / 1000;
  const settings = await readSettings(args.settings).catch((cause: unknown) => {
    throw new AutograderFault((cause as Error).message, { cause });
  });
  const layout = await findSubmissionLayout(args.submission);
  if (!layout.ok) {
    console.log(`not graded (the submission's fault): ${layout.reason}`);
    await writeAtomically(args.results, gradescopeRefusal(layout.reason, seconds()));
    return 0;
  }
  console.log(`grading ${layout.relative} of the upload (${layout.files.length} assignment files)`);
  let results: GradingResults;
  try {
    results = await gradeBoth(layout.dir, settings, args);
  } catch (err) {
    if (!(err instanceof SubmissionError)) throw err;
    console.log(`not graded (the submission's fault): ${err.message}`);
    const reason = err.message.split(layout.dir).join(layout.relative === '.' ? 'your upload' : layout.relative);
    await writeAtomically(args.results, gradescopeRefusal(reason, seconds()));
    return 0;
  }
  console.log(terminalReport(results, { color: false, verbose: false }));
  await writeAtomically(args.results, gradescopeReport(results));
  return 0;
}

// whatever escapes is an autograder fault too: one line, exit 2, no grade
process.on('uncaughtException', (err) => {
  console.error(`autograder: ${err.message} (an autograder fault: no grade was written)`);
  process.exit(2);
});

main().then((code) => { process.exitCode = code; }, (err: unknown) => {
  console.error(`autograder: ${err instanceof Error ? err.message : String(err)} (an autograder fault: no grade was written)`);
  process.exitCode = 2;
});
