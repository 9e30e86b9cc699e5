/** `npm run release -- --out DIR`: the student repository (instructor repository only). */
import { parseCommandLine, parseNumber, reportFailure } from '../common/flags.js';
import { UsageError } from '../common/usage-error.js';
import { buildStudentRelease } from '../release/student.js';

const COMMAND = 'npm run release --';

const HELP = `Usage: ${COMMAND} --out DIR [--min-score N]

Builds the student repository in DIR (a new or empty folder): a git repository
with one commit holding the starter files, the grader with the public fixtures,
the grade/train/tune commands, a package.json and package-lock.json pruned to
what those need, a README for students, and CI templates for GitHub
(.github/workflows/grade.yml) and GitLab (.gitlab-ci.yml). Nothing of
reference/, instructor/, the tests or hidden fixtures is in it.

Options:
  --out DIR        where to build the repository (required)
  --min-score N    points below which the CI templates fail the job (default 50)
  --help           this text`;

async function main(argv: string[]): Promise<number> {
  const values = parseCommandLine(argv, { out: { type: 'string' }, 'min-score': { type: 'string' }, help: { type: 'boolean', short: 'h' } }, COMMAND);
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (!values.out) throw new UsageError(`--out DIR is required. See: ${COMMAND} --help`);
  const minScore = values['min-score'] === undefined ? 50 : parseNumber('min-score', values['min-score'], { min: 0 });
  const files = await buildStudentRelease({ out: values.out, minScore });
  console.log(`student repository in ${values.out}: ${files.length} files, one commit`);
  console.log(`next: cd ${values.out} && npm ci && npm run grade, then push it as the course's template repository`);
  return 0;
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err: unknown) => {
  process.exitCode = reportFailure('release', err);
});
