/**
 * `npm run release -- --out DIR`: builds the student repository, a fresh git
 * repository with one commit holding only what a student runs (see files.ts):
 * the starter, the grader with its public fixtures, the train/tune/grade
 * commands, a package.json and lock file pruned to them, a README for students
 * and the CI templates. Nothing of the solution can be in its history, because
 * it has no history but that commit.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../grader/root.js';
import type { FixtureManifest, FixturePart } from '../grader/fixtures/types.generated.js';
import { UsageError } from '../common/usage-error.js';
import { leakCheck } from './leak-check.js';
import { SHIPPED_FILES, SHIPPED_FOLDERS, forbiddenMatch, isExcluded } from './files.js';
import { pruneLockfile, type Lockfile } from './lockfile.js';
import { releasePackage, type ProjectPackage } from './package-json.js';

const run = promisify(execFile);
const TEMPLATES = path.join(ROOT, 'release', 'templates');

/** What the instructor chooses for the release. */
export interface ReleaseOptions {
  /** The folder to create (must not exist, or be empty). */
  out: string;
  /** The points below which the CI templates fail the job. */
  minScore: number;
}

/** The starter file that exports each function (`export function NAME(`), for the README's "where" column. */
async function starterFiles(): Promise<Map<string, string>> {
  const where = new Map<string, string>();
  for (const file of (await readdir(path.join(ROOT, 'starter'))).filter((f) => f.endsWith('.ts'))) {
    const source = await readFile(path.join(ROOT, 'starter', file), 'utf8');
    for (const m of source.matchAll(/^export function (\w+)\(/gm)) where.set(m[1], `starter/${file}`);
  }
  return where;
}

/** The table of parts for the student README, from the public fixtures (so it always matches what is graded). */
async function partsTable(fixturesDir: string): Promise<{ table: string; total: number }> {
  const manifest = JSON.parse(await readFile(path.join(fixturesDir, 'manifest.json'), 'utf8')) as FixtureManifest;
  const where = await starterFiles();
  const rows = await Promise.all(manifest.parts.map(async (entry) => {
    const part = JSON.parse(await readFile(path.join(fixturesDir, entry.file), 'utf8')) as FixturePart;
    const fns = part.kind === 'training' ? ['trainMLP'] : [...new Set(part.cases.map((c) => c.fn))];
    const files = [...new Set(fns.map((f) => where.get(f)).filter((f) => f !== undefined))].map((f) => `\`${f}\``).join(', ');
    const what = part.kind !== 'training' ? fns.map((f) => `\`${f}\``).join(', ')
      : part.training?.hyperparameters === 'config' ? `your \`trainMLP\` with your \`config.json\` (\`${part.training.configKey}\`), trained and measured`
        : 'your `trainMLP` with the homework\'s fixed settings, trained and measured';
    return `| \`${part.id}\` | ${part.title} | ${what} | ${files} | ${entry.points} |`;
  }));
  return { table: ['| part | title | what is graded | in | points |', '|---|---|---|---|---|', ...rows].join('\n'), total: manifest.totalPoints };
}

/** A template of release/templates with its {{NAME}} fields filled in; an unknown field is a bug here, so it throws. */
async function fill(template: string, fields: Record<string, string>): Promise<string> {
  const text = await readFile(path.join(TEMPLATES, template), 'utf8');
  return text.replace(/\{\{([A-Z_]+)\}\}/g, (_, name: string) => {
    if (fields[name] === undefined) throw new Error(`release/templates/${template}: no value for {{${name}}}`);
    return fields[name];
  });
}

/** The CI templates of the release, by path, failing the job below `minScore` points. */
export async function ciTemplates(minScore: number): Promise<Record<string, string>> {
  const fields = { MIN_SCORE: String(minScore) };
  return { '.github/workflows/grade.yml': await fill('grade.yml', fields), '.gitlab-ci.yml': await fill('gitlab-ci.yml', fields) };
}

/** The release's tsconfig: the project's options, over the folders the release has. */
async function releaseTsconfig(): Promise<string> {
  const project = JSON.parse(await readFile(path.join(ROOT, 'tsconfig.json'), 'utf8')) as { compilerOptions: unknown };
  return `${JSON.stringify({ compilerOptions: project.compilerOptions, include: ['starter', 'grader', 'common', 'cli', 'tuning'] }, null, 2)}\n`;
}

/** Every file under `dir`, as paths relative to it with "/" separators. */
export async function listFiles(dir: string, under = ''): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(path.join(dir, under), { withFileTypes: true })) {
    const rel = under ? `${under}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...await listFiles(dir, rel));
    else files.push(rel);
  }
  return files.sort();
}

/** Refuses an `out` that exists and is not an empty folder, so a release never mixes with old files. */
async function checkOut(out: string): Promise<void> {
  const info = await stat(out).catch(() => undefined);
  if (!info) return;
  if (!info.isDirectory() || (await readdir(out)).length > 0) throw new UsageError(`--out ${out}: already exists and is not an empty folder; pass a new folder`);
}

/** Builds the release into options.out and commits it; returns the files it holds. */
export async function buildStudentRelease(options: ReleaseOptions): Promise<string[]> {
  const out = path.resolve(options.out);
  await checkOut(out);
  await mkdir(out, { recursive: true });

  for (const folder of SHIPPED_FOLDERS) {
    for (const file of await listFiles(path.join(ROOT, folder))) {
      const rel = `${folder}/${file}`;
      if (isExcluded(rel)) continue;
      await cp(path.join(ROOT, rel), path.join(out, rel));
    }
  }
  for (const file of SHIPPED_FILES) await cp(path.join(ROOT, file), path.join(out, file));

  const project = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as ProjectPackage;
  const pkg = releasePackage(project);
  const lock = JSON.parse(await readFile(path.join(ROOT, 'package-lock.json'), 'utf8')) as Lockfile;
  const { table, total } = await partsTable(path.join(ROOT, 'fixtures'));
  const fields = { MIN_SCORE: String(options.minScore), PARTS_TABLE: table, TOTAL_POINTS: String(total) };
  const generated: Record<string, string> = {
    'package.json': `${JSON.stringify(pkg, null, 2)}\n`,
    'package-lock.json': `${JSON.stringify(pruneLockfile(lock, pkg), null, 2)}\n`,
    'tsconfig.json': await releaseTsconfig(),
    'README.md': await fill('README.md', fields),
    ...await ciTemplates(options.minScore),
  };
  for (const [file, text] of Object.entries(generated)) {
    await mkdir(path.dirname(path.join(out, file)), { recursive: true });
    await writeFile(path.join(out, file), text);
  }

  const files = await listFiles(out);
  const leaked = files.filter((f) => forbiddenMatch(f));
  if (leaked.length) throw new Error(`the release would ship ${leaked.join(', ')}: fix release/files.ts`);
  const referenceFiles = (await listFiles(path.join(ROOT, 'reference'))).filter((f) => f.endsWith('.ts'));
  const leaks = await leakCheck(path.join(ROOT, 'reference'), referenceFiles, out, files);
  if (leaks.length) throw new Error(`the release would leak the solution: ${leaks.map((l) => l.message).join('; ')}`);

  const git = (...args: string[]) => run('git', args, { cwd: out, env: { ...process.env, GIT_AUTHOR_NAME: 'Course staff', GIT_AUTHOR_EMAIL: 'staff@example.invalid', GIT_COMMITTER_NAME: 'Course staff', GIT_COMMITTER_EMAIL: 'staff@example.invalid' } });
  try {
    await git('init', '--quiet', '--initial-branch=main');
    await git('add', '--all');
    await git('commit', '--quiet', '--no-gpg-sign', '-m', `Assignment: back-propagation network (${project.name} ${project.version})`);
  } catch (cause) {
    throw new Error(`git could not commit the release in ${out}: ${(cause as { stderr?: string }).stderr?.trim() || (cause as Error).message}`, { cause });
  }
  return files;
}
