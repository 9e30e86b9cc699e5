/** `npm run grade`: grade a submission against the fixtures and report a score per part. */
import './inspector-guard.js';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { callTimeoutOption, grade, GradingSetupError } from '../grader/grade.js';
import { loneGradeChildren } from '../grader/lanes.js';
import { layerTable, probeIsolation, SandboxRefusal, strictProblem } from '../grader/sandbox/layers.js';
import { reporters, terminalReport, type ReporterName } from '../grader/report/index.js';
import type { GradingResults } from '../grader/results.js';
import { ROOT } from '../grader/root.js';

const HELP = `Usage: npm run grade -- [options]

Grades a submission (default: ./starter) against the fixtures and prints a
score per part. Exit code 0: full marks on every part that could run (or
--min-score reached); 1: points were lost; 2: grading could not run; 3: --strict
(or --check-sandbox) found an isolation layer missing.

Options:
  --submission DIR   folder laid out like starter/ (default: starter)
  --part ID          grade only this part (repeatable): ${'activations, affine, softmax, ...'}
  --fixtures DIR     fixtures to grade against (default: fixtures/; hidden ones from npm run fixtures -- --hidden)
  --mnist DIR        full MNIST IDX files for the MNIST part (default: the embedded 10,000 digits; env MNIST_PATH)
  --cifar10 PATH     CIFAR-10 binary version, folder or .tar.gz (env CIFAR10_PATH); without it that part is not run
  --json FILE        write the results as JSON (format: grader/report/json-report.schema.json)
  --junit FILE       write JUnit XML (for CI)
  --gradescope FILE  write Gradescope results.json
  --markdown FILE    write a Markdown summary (for CI job pages, e.g. $GITHUB_STEP_SUMMARY)
  --html FILE        write the visual report here (default: out/grade-report.html; --no-html to skip)
  --no-html          do not write the HTML report
  --min-score N      exit 0 when the total reaches N even if points were lost
  --call-timeout S   seconds one unit-case call may take before it counts as a hang (default 10)
  --strict           untrusted code (Gradescope, TAs): refuse to grade unless every required
                     isolation layer is active (README, Security model)
  --serial           grade in one sandbox child (default: two where the machine has
                     2 or more cores, the heaviest training part in its own)
  --check-sandbox    probe every isolation layer, print the table and exit (0: strict mode can grade, 3: it cannot)
  --verbose          every failing case and what the submission printed
  --no-color         plain text (also when NO_COLOR is set or stdout is not a terminal)
  --help             this text`;

interface Args {
  submission: string; parts?: string[]; fixtures?: string; mnist?: string; cifar10?: string;
  json?: string; junit?: string; gradescope?: string; markdown?: string; html?: string; noHtml: boolean;
  minScore?: number; callTimeoutMs?: number; verbose: boolean; color: boolean; strict: boolean; serial: boolean;
}

/** Parses argv; throws a GradingSetupError with a one-line reason. */
function parse(argv: string[]): Args | 'help' | 'check-sandbox' {
  let values;
  try {
    values = parseArgs({
      args: argv,
      options: {
        submission: { type: 'string' }, part: { type: 'string', multiple: true }, fixtures: { type: 'string' },
        mnist: { type: 'string' }, cifar10: { type: 'string' }, json: { type: 'string' }, junit: { type: 'string' },
        gradescope: { type: 'string' }, markdown: { type: 'string' }, html: { type: 'string' }, 'no-html': { type: 'boolean' }, 'min-score': { type: 'string' }, 'call-timeout': { type: 'string' },
        verbose: { type: 'boolean', short: 'v' }, 'no-color': { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
        strict: { type: 'boolean' }, serial: { type: 'boolean' }, 'check-sandbox': { type: 'boolean' },
      },
      allowPositionals: false,
    }).values;
  } catch (err) {
    throw new GradingSetupError(`${(err as Error).message}. See: npm run grade -- --help`);
  }
  if (values.help) return 'help';
  if (values['check-sandbox']) return 'check-sandbox';
  let minScore: number | undefined;
  if (values['min-score'] !== undefined) {
    minScore = Number(values['min-score']);
    if (!Number.isFinite(minScore) || minScore < 0) throw new GradingSetupError(`--min-score takes a number of points, got "${values['min-score']}"`);
  }
  return {
    submission: values.submission ?? path.join(ROOT, 'starter'),
    parts: values.part, fixtures: values.fixtures,
    mnist: values.mnist ?? process.env.MNIST_PATH, cifar10: values.cifar10 ?? process.env.CIFAR10_PATH,
    json: values.json, junit: values.junit, gradescope: values.gradescope, markdown: values.markdown, html: values.html, noHtml: values['no-html'] ?? false,
    minScore, callTimeoutMs: callTimeoutOption(values['call-timeout']), verbose: values.verbose ?? false,
    color: !values['no-color'] && !process.env.NO_COLOR && process.stdout.isTTY === true,
    strict: values.strict ?? false, serial: values.serial ?? false,
  };
}

async function writeReport(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await writeFile(file, text);
}

/**
 * Exit code from the results: 0 when every part that could run has full marks (a part
 * not run for lack of data is not the submission's fault) or the total reaches
 * min-score, 1 otherwise.
 */
export function exitCodeFor(results: GradingResults, minScore?: number): number {
  const eps = 1e-9;
  if (minScore !== undefined) return results.score + eps >= minScore ? 0 : 1;
  return results.score + eps >= results.maxScore - results.notAttempted ? 0 : 1;
}

/** The report files asked for, by format: [format, file]. */
function requestedReports(args: Args): [ReporterName, string][] {
  const html = args.noHtml ? undefined : args.html ?? path.join('out', 'grade-report.html');
  const wanted: [ReporterName, string | undefined][] = [['json', args.json], ['junit', args.junit], ['gradescope', args.gradescope], ['markdown', args.markdown], ['html', html]];
  return wanted.filter((w): w is [ReporterName, string] => w[1] !== undefined);
}

async function main(): Promise<number> {
  const args = parse(process.argv.slice(2));
  if (args === 'help') {
    console.log(HELP);
    return 0;
  }
  if (args === 'check-sandbox') return checkSandbox();
  const progress = process.stderr.isTTY;
  const results = await grade({
    submission: args.submission,
    fixturesDir: args.fixtures,
    parts: args.parts,
    callTimeoutMs: args.callTimeoutMs,
    strict: args.strict,
    children: args.serial ? 1 : loneGradeChildren(),
    data: { mnist: args.mnist, cifar10: args.cifar10 },
    onPart: ({ part, result }) => {
      if (!progress) return;
      if (!result) process.stderr.write(`  grading ${part.title} ...`);
      else process.stderr.write(`\r\x1b[K`);
    },
    onTrainingProgress: (partId, epoch, history) => {
      if (!progress) return;
      // the history comes from the submission: print only what is really a number
      const loss = (history as { loss?: unknown } | null)?.loss;
      const last = Array.isArray(loss) ? loss[loss.length - 1] : undefined;
      process.stderr.write(`\r\x1b[K  training ${partId}: epoch ${epoch + 1}${typeof last === 'number' ? `, loss ${last.toFixed(4)}` : ''}`);
    },
  });
  console.log(terminalReport(results, { color: args.color, verbose: args.verbose }));
  // write every report that can be written before reporting the ones that cannot
  const unwritten: string[] = [];
  for (const [format, file] of requestedReports(args)) {
    try {
      await writeReport(file, reporters[format](results));
      if (format === 'html') console.log(`visual report: ${file}`);
    } catch (err) {
      unwritten.push(`cannot write the ${format} report to ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
  }
  if (unwritten.length) throw new GradingSetupError(unwritten.join('; '));
  return exitCodeFor(results, args.minScore);
}

/** --check-sandbox: the layer table, and exit code 3 when strict mode could not grade here. */
async function checkSandbox(): Promise<number> {
  const { layers } = await probeIsolation();
  console.log(layerTable(layers));
  const problem = strictProblem(layers);
  if (problem) console.error(`grade: ${problem}`);
  return problem ? 3 : 0;
}

// a last guard: whatever escapes becomes the same one line and exit code 2, never a stack trace
process.on('uncaughtException', (err) => {
  console.error(`grade: ${err.message} (this is a bug in the grader, not in your code: please report it with this line)`);
  process.exit(2);
});

main().then((code) => { process.exitCode = code; }, (err: unknown) => {
  if (err instanceof SandboxRefusal) {
    console.error(`grade: ${err.message}`);
    process.exitCode = 3;
    return;
  }
  const setup = err instanceof GradingSetupError || (err instanceof Error && err.name === 'FixtureError');
  console.error(`grade: ${err instanceof Error ? err.message : String(err)}${setup ? '' : ' (this is a bug in the grader, not in your code: please report it with this line)'}`);
  process.exitCode = 2;
});
