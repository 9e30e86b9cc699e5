/** `npm run release -- --out DIR | --gradescope FILE.zip`: the student repository and the Gradescope autograder (instructor repository only). */
import { parseChoice, parseCommandLine, parseNumber, reportFailure } from '../common/flags.js';
import { UsageError } from '../common/usage-error.js';
import type { Visibility } from '../grader/results.js';
import { buildGradescopeZip } from '../release/gradescope.js';
import { buildStudentRelease } from '../release/student.js';

const COMMAND = 'npm run release --';

const HELP = `Usage: ${COMMAND} [--out DIR [--min-score N]] [--gradescope FILE.zip [options]]

Builds the student repository in DIR (a new or empty folder): a git repository
with one commit holding the starter files, the grader with the public fixtures,
the grade/train/tune commands, a package.json and package-lock.json pruned to
what those need, a README for students, and CI templates for GitHub
(.github/workflows/grade.yml) and GitLab (.gitlab-ci.yml). Nothing of
reference/, instructor/, the tests or hidden fixtures is in it.

With --gradescope, also (or only) writes the Gradescope autograder zip (staff
only: it holds the course secret, GRADER_SECRET, from which the hidden tests
are made; upload it as the assignment's autograder, see the README).

Options:
  --out DIR                  where to build the student repository
  --min-score N              points below which the CI templates fail the job (default 50)
  --gradescope FILE.zip      write the Gradescope autograder zip (needs GRADER_SECRET, 16+ characters)
  --hidden-fraction F        share of each part's points given to its hidden tests (default 0.5)
  --hidden-visibility V      when students see hidden tests: hidden, after_due_date (default), after_published
  --shared-hidden            one hidden set for everyone instead of each student's own
  --require PART             count PART even without its data on Gradescope (repeatable; e.g. train_cifar10)
  --help                     this text`;

const VISIBILITIES: readonly Visibility[] = ['hidden', 'after_due_date', 'after_published', 'visible'];

async function main(argv: string[]): Promise<number> {
  const values = parseCommandLine(argv, {
    out: { type: 'string' }, 'min-score': { type: 'string' }, gradescope: { type: 'string' }, 'hidden-fraction': { type: 'string' },
    'hidden-visibility': { type: 'string' }, 'shared-hidden': { type: 'boolean' }, require: { type: 'string', multiple: true },
    help: { type: 'boolean', short: 'h' },
  }, COMMAND);
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (!values.out && !values.gradescope) throw new UsageError(`give --out DIR (the student repository), --gradescope FILE.zip, or both. See: ${COMMAND} --help`);
  if (values.out) {
    const minScore = values['min-score'] === undefined ? 50 : parseNumber('min-score', values['min-score'], { min: 0 });
    const files = await buildStudentRelease({ out: values.out, minScore });
    console.log(`student repository in ${values.out}: ${files.length} files, one commit`);
    console.log(`next: cd ${values.out} && npm ci && npm run grade, then push it as the course's template repository`);
  }
  if (values.gradescope) {
    const secret = process.env.GRADER_SECRET;
    if (!secret || secret.length < 16) throw new UsageError('--gradescope needs the course secret in GRADER_SECRET (at least 16 characters); it seeds the hidden tests');
    const made = await buildGradescopeZip(values.gradescope, {
      secret,
      hiddenFraction: values['hidden-fraction'] === undefined ? undefined : parseNumber('hidden-fraction', values['hidden-fraction'], { min: 0, below: 1.0000001 }),
      hiddenVisibility: values['hidden-visibility'] === undefined ? undefined : parseChoice('hidden-visibility', values['hidden-visibility'], VISIBILITIES),
      perStudent: !values['shared-hidden'],
      requiredParts: values.require,
      log: (line) => console.error(line),
    });
    console.log(`Gradescope autograder: ${values.gradescope} (${made.files} files, ${Math.round(made.bytes / 1024)} KiB); keep it staff-only, it holds the course secret`);
  }
  return 0;
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err: unknown) => {
  process.exitCode = reportFailure('release', err);
});
