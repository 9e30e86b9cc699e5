/**
 * Shared pieces of the grader acceptance tests: submissions written from the
 * reference (with edits), the fixtures' own expectations, totals checks and
 * CLI runs through the real `cli/grade.ts`.
 */
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa, type Result } from 'execa';
import { expect } from 'vitest';
import type { FixtureManifest, FixturePart } from '../../grader/fixtures/types.generated.js';
import { grade } from '../../grader/grade.js';
import type { GradingResults } from '../../grader/results.js';
import { ROOT } from '../../grader/root.js';
import { writeFromReference } from '../../instructor/starter.js';

export const FIXTURES_DIR = path.join(ROOT, 'fixtures');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const GRADE_CLI = path.join(ROOT, 'cli', 'grade.ts');

/** Every fixture part, in manifest order (read straight from the JSON, not through the grader). */
export async function fixtureParts(dir = FIXTURES_DIR): Promise<FixturePart[]> {
  const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as FixtureManifest;
  return Promise.all(manifest.parts.map(async (p) => JSON.parse(await readFile(path.join(dir, p.file), 'utf8')) as FixturePart));
}

/** Ids of the unit parts (the cheap ones). */
export async function unitPartIds(): Promise<string[]> {
  return (await fixtureParts()).filter((p) => p.kind === 'unit').map((p) => p.id);
}

/** `--part a --part b ...` for the CLI. */
export function partFlags(ids: readonly string[]): string[] {
  return ids.flatMap((id) => ['--part', id]);
}

/** Temp dirs made by the tests of one file; `removeTempDirs` in afterAll. */
const tempDirs: string[] = [];

export async function tempDir(prefix = 'grader-test-'): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

export async function removeTempDirs(): Promise<void> {
  await Promise.all(tempDirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
}

/** A submission written from the reference solution, each file's source passed through `edit` first. */
export async function solutionSubmission(edit?: (file: string, source: string) => string): Promise<string> {
  const dir = await tempDir('grader-sub-');
  await writeFromReference(dir, 'solution', edit);
  return dir;
}

/**
 * Replaces the solution block of function `fn` (between its BEGIN/END SOLUTION
 * markers) with `body`, or with what `body` makes of the original block: the
 * signature stays, the behaviour is the test's.
 */
export function replaceBody(source: string, fn: string, body: string | ((original: string) => string)): string {
  const start = source.search(new RegExp(`function ${fn}\\s*\\(`));
  if (start < 0) throw new Error(`replaceBody: no function ${fn}`);
  const marker = '// BEGIN SOLUTION\n';
  const begin = source.indexOf(marker, start);
  const end = source.indexOf('// END SOLUTION', begin);
  if (begin < 0 || end < 0 || /\nexport function /.test(source.slice(start, begin))) throw new Error(`replaceBody: no solution block in ${fn}`);
  const original = source.slice(begin + marker.length, end);
  return source.slice(0, begin) + `${marker}${typeof body === 'string' ? body : body(original)}\n  ` + source.slice(end);
}

/** `part/case` of every case that did not pass. */
export function lostCases(results: GradingResults): string[] {
  return results.parts.flatMap((p) => p.cases.filter((c) => c.status !== 'passed').map((c) => `${p.id}/${c.id}`)).sort();
}

/** `part/case` of the fixture cases that satisfy `pick`. */
export function fixtureCases(parts: FixturePart[], pick: (c: FixturePart['cases'][number], part: FixturePart) => boolean): string[] {
  return parts.flatMap((p) => p.cases.filter((c) => pick(c, p)).map((c) => `${p.id}/${c.id}`)).sort();
}

/** `part/case` of the fixture cases of function `fn` in part `part`. */
export function casesOfFn(parts: FixturePart[], part: string, fn: string): string[] {
  return fixtureCases(parts, (c, p) => p.id === part && c.fn === fn);
}

/** The first feedback line of every case that did not pass, each checked to be a plain failure scored 0. */
export function failedFirstLines(results: GradingResults): string[] {
  const failed = results.parts.flatMap((p) => p.cases.filter((c) => c.status !== 'passed'));
  for (const c of failed) {
    expect(c.status, c.id).toBe('failed');
    expect(c.score, c.id).toBe(0);
  }
  return failed.map((c) => c.feedback[0]);
}

/** Sum of case scores = part score, sum of part scores = total, and the same for the maxima. */
export function expectConsistentTotals(results: GradingResults): void {
  for (const p of results.parts) {
    if (p.cases.length === 0) continue;
    expect(p.cases.reduce((s, c) => s + c.score, 0), `${p.id} score`).toBeCloseTo(p.score, 9);
    expect(p.cases.reduce((s, c) => s + c.maxScore, 0), `${p.id} maxScore`).toBeCloseTo(p.maxScore, 9);
    for (const c of p.cases) expect(c.score === 0 || c.score === c.maxScore, `${p.id}/${c.id} score`).toBe(true);
  }
  expect(results.parts.reduce((s, p) => s + p.score, 0)).toBeCloseTo(results.score, 9);
  expect(results.parts.reduce((s, p) => s + p.maxScore, 0)).toBeCloseTo(results.maxScore, 9);
}

/** Grades one part of the reference with the solution block of `fn` (in `file`) replaced by `body`; checks its totals. */
export async function gradeWithBody(part: string, file: string, fn: string, body: string): Promise<GradingResults> {
  const submission = await solutionSubmission((f, s) => (f === file ? replaceBody(s, fn, body) : s));
  const results = await grade({ submission, parts: [part] });
  expectConsistentTotals(results);
  return results;
}

/** Asserts that every part but `except` has full marks, exactly (a report shows 15, not 15.000000000000004). */
export function expectFullMarks(results: GradingResults, except: readonly string[] = []): void {
  for (const p of results.parts.filter((q) => !except.includes(q.id))) {
    expect({ id: p.id, status: p.status, score: p.score }).toEqual({ id: p.id, status: 'passed', score: p.maxScore });
  }
}

/**
 * Runs `cli/grade.ts` with tsx (not npx: no npm notices on stderr); never
 * rejects. `--no-html` keeps the runs from writing into the checkout's out/.
 */
export function runGradeCli(args: string[], env: Record<string, string> = {}): Promise<Result<{ reject: false; cwd: string; env: Record<string, string> }>> {
  return execa(TSX, [GRADE_CLI, '--no-html', ...args], { reject: false, cwd: ROOT, env, timeout: 120_000 });
}

/** The command line that runs `cli/grade.ts` with `args`, for a shell. */
export function gradeCommandLine(args: string[]): string {
  return [TSX, GRADE_CLI, '--no-html', ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
}

/** Lines of a text that look like a JavaScript stack trace. */
export function stackTraceLines(text: string): string[] {
  return text.split('\n').filter((l) => /^\s+at /.test(l) || /^\w*Error: .*\n\s+at /.test(l));
}

/**
 * A copy of the fixtures in a temp dir with some cases changed (e.g. a shorter
 * per-call timeout), the manifest's checksums updated so the loader accepts it.
 */
export async function fixturesWith(change: (part: FixturePart) => void): Promise<string> {
  const dir = await tempDir('grader-fixtures-');
  await cp(FIXTURES_DIR, dir, { recursive: true });
  const manifestFile = path.join(dir, 'manifest.json');
  const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as FixtureManifest;
  for (const entry of manifest.parts) {
    const file = path.join(dir, entry.file);
    const part = JSON.parse(await readFile(file, 'utf8')) as FixturePart;
    change(part);
    const text = JSON.stringify(part, null, 1) + '\n';
    await writeFile(file, text);
    entry.sha256 = createHash('sha256').update(text).digest('hex');
  }
  await writeFile(manifestFile, JSON.stringify(manifest, null, 1) + '\n');
  return dir;
}
