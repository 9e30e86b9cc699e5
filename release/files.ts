/**
 * What the student repository holds, as an allowlist: a new file of the
 * project stays out of the release until it is named here, so nothing of the
 * solution ships by accident. FORBIDDEN is what the release test looks for.
 */

/** Folders copied whole (relative to the project root), minus EXCLUDED. */
export const SHIPPED_FOLDERS = ['starter', 'grader', 'common', 'tuning', 'fixtures'] as const;

/** Single files copied as they are. */
export const SHIPPED_FILES = [
  'cli/grade.ts', 'cli/args.ts', 'cli/progress.ts',
  'cli/train.ts', 'cli/train-args.ts', 'cli/train-run.ts', 'cli/train-submission.ts',
  'cli/tune.ts', 'cli/inspector-guard.ts', '.gitignore',
  // the student's commands start from a precompiled bundle (dist/, git-ignored), as here
  'bin/run-command.mjs', 'scripts/build-commands.mjs',
] as const;

/** Inside the shipped folders: the files that import the reference, and what is for staff only (a name ending in / is a whole folder). */
export const EXCLUDED = ['tuning/reference-trainer.ts', 'fixtures/README.md', 'fixtures/equivalent-mutants.md', 'grader/gradescope/'] as const;

/** Whether a file inside a shipped folder stays out of the release. */
export function isExcluded(file: string): boolean {
  return EXCLUDED.some((e) => (e.endsWith('/') ? file.startsWith(e) : file === e));
}

/** Written by the release itself (from templates or from the project's files). */
export const GENERATED_FILES = ['package.json', 'package-lock.json', 'tsconfig.json', 'README.md', '.github/workflows/grade.yml', '.gitlab-ci.yml'] as const;

/** Never in a release, at any depth: the solution, the fixture builder, the tests, hidden fixtures, staff scripts. */
export const FORBIDDEN: readonly RegExp[] = [
  /(^|\/)reference\//, /(^|\/)instructor\//, /(^|\/)test\//, /\.test\.ts$/, /(^|\/)fixtures-hidden\//, /(^|\/)scripts\/(?!build-commands\.mjs$)/,
  /(^|\/)gradescope\//, /^release\//, /^cli\/(fixtures|fixtures-types|starter|bench|grade-batch|release|train-reference|import-reference)\.ts$/, /reference-trainer\.ts$/,
];

/** The first forbidden pattern a release path matches, or undefined. */
export function forbiddenMatch(file: string): RegExp | undefined {
  return FORBIDDEN.find((f) => f.test(file));
}
