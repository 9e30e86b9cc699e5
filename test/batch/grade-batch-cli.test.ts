/**
 * Issue 10's acceptance through the real command (bin/grade-batch): every LMS
 * layout is graded, a re-run grades only what changed, and a batch killed with
 * SIGKILL and started again loses nothing and redoes nothing that finished.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { zipSync, type Zippable } from 'fflate';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STUDENT_MODULES } from '../../grader/modules.js';
import { ROOT } from '../../grader/root.js';
import { writeFromReference } from '../../instructor/starter.js';

const BATCH = path.join(ROOT, 'bin', 'grade-batch');
const PART = ['--part', 'activations'];
let scratch: string;
/** The reference written as a submission: file name -> source. */
let solution: Map<string, string>;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'batch-cli-'));
  const dir = path.join(scratch, 'solution');
  await writeFromReference(dir, 'solution');
  solution = new Map(await Promise.all(STUDENT_MODULES.map(async (f) => [f, await readFile(path.join(dir, f), 'utf8')] as [string, string])));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** Runs the batch command; never rejects. */
function batch(args: string[]) {
  return execa(BATCH, [...args, ...PART], { reject: false, cwd: scratch, env: { NO_COLOR: '1' } });
}

/** The gradebook's rows as objects by column name. */
async function gradebook(out: string): Promise<Record<string, string>[]> {
  return parse(await readFile(path.join(out, 'gradebook.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
}

async function writeTree(root: string, files: Record<string, string>): Promise<void> {
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await writeFile(path.join(root, rel), text);
  }
}

/** The solution's files under `prefix` (e.g. "alice/" or "repo/starter/"). */
function solutionFiles(prefix: string): Record<string, string> {
  return Object.fromEntries([...solution].map(([f, s]) => [`${prefix}${f}`, s]));
}

describe('bin/grade-batch inputs', () => {
  it("grades Canvas's flat export, with re-uploads and a whole-repository zip", async () => {
    const dir = path.join(scratch, 'canvas');
    const files: Record<string, string> = {};
    for (const [f, s] of solution) files[`doejane_111_901_${f}`] = s;
    for (const [f, s] of solution) files[`roejohn_late_222_902_${f.replace('.ts', '-1.ts')}`] = s;
    await writeTree(dir, files);
    const repo: Zippable = {};
    for (const [f, s] of solution) repo[`my-repo/starter/${f}`] = new TextEncoder().encode(s);
    await writeFile(path.join(dir, 'poezed_333_903_submission.zip'), zipSync(repo));
    const out = path.join(scratch, 'out-canvas');
    const r = await batch([dir, '--out', out]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/3 submissions \(canvas export\): 3 graded/);
    const rows = await gradebook(out);
    expect(rows.map((x) => [x.student, x.name, x.late, x.activations, x.graded])).toEqual([
      ['111', 'doejane', '', '10', '.'], ['222', 'roejohn', 'late', '10', '.'], ['333', 'poezed', '', '10', 'my-repo/starter'],
    ]);
  });

  it("grades Moodle's folders and writes the grading worksheet", async () => {
    const dir = path.join(scratch, 'moodle');
    await writeTree(dir, { ...solutionFiles('Jane Doe_123_assignsubmission_file_/'), 'Ann Lee_456_assignsubmission_file_/notes.txt': 'no code' });
    const out = path.join(scratch, 'out-moodle');
    const r = await batch([dir, '--out', out]);
    expect(r.exitCode, r.stderr).toBe(0);
    const sheet = parse(await readFile(path.join(out, 'moodle-worksheet.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(sheet.map((x) => [x.Identifier, x['Full name'], x.Grade])).toEqual([['Participant 456', 'Ann Lee', ''], ['Participant 123', 'Jane Doe', '10']]);
  });

  it("grades Gradescope's export zip, keyed by student id", async () => {
    const meta = 'submission_1:\n  :submitters:\n  - :name: Ann Lee\n    :sid: s1\n    :email: ann@uni.edu\n';
    const zip: Zippable = { 'export/submission_metadata.yml': new TextEncoder().encode(meta) };
    for (const [f, s] of solution) zip[`export/submission_1/${f}`] = new TextEncoder().encode(s);
    const file = path.join(scratch, 'gradescope-export.zip');
    await writeFile(file, zipSync(zip));
    const out = path.join(scratch, 'out-gs');
    const r = await batch([file, '--out', out]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect((await gradebook(out)).map((x) => [x.student, x.name, x.activations])).toEqual([['s1', 'Ann Lee', '10']]);
  });

  it('says in one line what it cannot read', async () => {
    const r = await batch([path.join(scratch, 'nothing-here')]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/no such file or folder/);
  });
});

describe('bin/grade-batch incremental and resumable', () => {
  it('re-runs only what changed, and a batch killed with SIGKILL resumes without redoing finished students', async () => {
    const dir = path.join(scratch, 'class');
    const ids = ['s01', 's02', 's03', 's04', 's05', 's06', 's07', 's08'];
    for (const id of ids) await writeTree(dir, solutionFiles(`${id}/`));
    const out = path.join(scratch, 'out-class');
    const results = path.join(out, 'results');

    const killed = execa(BATCH, [dir, '--out', out, '--jobs', '1', ...PART], { reject: false, cwd: scratch, detached: true });
    // wait until some, but not all, students are done
    for (let i = 0; i < 600; i++) {
      const done = (await readdir(results).catch(() => [] as string[])).filter((f) => f.endsWith('.json')).length;
      if (done >= 3) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    process.kill(-killed.pid!, 'SIGKILL');
    await killed;
    const finished = (await readdir(results)).filter((f) => f.endsWith('.json')).length;
    expect(finished).toBeGreaterThanOrEqual(3);
    expect(finished).toBeLessThan(ids.length);
    const rowsAfterKill = await gradebook(out);
    expect(rowsAfterKill.filter((x) => x.status === 'graded').length).toBeGreaterThanOrEqual(finished - 1);

    const resumed = await batch([dir, '--out', out]);
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain(`${ids.length - finished} graded, ${finished} unchanged`);
    expect((await gradebook(out)).map((x) => [x.student, x.activations])).toEqual(ids.map((id) => [id, '10']));

    await writeFile(path.join(dir, 's04', 'activations.ts'), solution.get('activations.ts')!.replace('1 / (1 + Math.exp(-', '1 / (1 + Math.exp(+'));
    const again = await batch([dir, '--out', out]);
    expect(again.stdout).toContain(`1 graded, ${ids.length - 1} unchanged`);
    const s04 = (await gradebook(out)).find((x) => x.student === 's04')!;
    expect(Number(s04.activations)).toBeLessThan(10);
    const forced = await batch([dir, '--out', out, '--force']);
    expect(forced.stdout).toContain(`${ids.length} graded, 0 unchanged`);
  });

  it('--rebuild writes every output from the stored results without grading', async () => {
    const out = path.join(scratch, 'out-class');
    await rm(path.join(out, 'gradebook.csv'));
    await rm(path.join(out, 'class-report.html'));
    const r = await batch([path.join(scratch, 'class'), '--out', out, '--rebuild']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/0 graded, 8 unchanged/);
    expect((await gradebook(out))).toHaveLength(8);
    await expect(readFile(path.join(out, 'class-report.html'), 'utf8')).resolves.toContain('<h2>Scores</h2>');
  });
});

describe('bin/grade-batch --per-student', () => {
  it("grades each student against their own fixtures from the course secret, cached and recorded in the gradebook", async () => {
    const dir = path.join(scratch, 'per-student');
    for (const id of ['alice', 'bob']) await writeTree(dir, solutionFiles(`${id}/`));
    const out = path.join(scratch, 'out-per-student');
    const env = { NO_COLOR: '1', GRADER_SECRET: 'a-course-secret-of-some-length' };
    const run = () => execa(BATCH, [dir, '--out', out, '--per-student', ...PART], { reject: false, cwd: scratch, env });
    const first = await run();
    expect(first.exitCode, first.stderr).toBe(0);
    const rows = await gradebook(out);
    expect(rows.map((x) => [x.student, x.activations])).toEqual([['alice', '10'], ['bob', '10']]);
    const publicFingerprint = (await gradebook(path.join(scratch, 'out-class'))).at(0)?.fixtures;
    expect(rows[0].fixtures).not.toBe(rows[1].fixtures);
    expect([rows[0].fixtures, rows[1].fixtures]).not.toContain(publicFingerprint);
    const sets = (await readdir(path.join(out, 'fixtures'))).sort();
    expect(sets).toHaveLength(2);
    const publicInputs = JSON.parse(await readFile(path.join(ROOT, 'fixtures', 'activations.json'), 'utf8')).cases[0].args;
    for (const set of sets) {
      const own = JSON.parse(await readFile(path.join(out, 'fixtures', set, 'activations.json'), 'utf8')).cases[0].args;
      expect(own).not.toEqual(publicInputs);
    }
    const again = await run();
    expect(again.stdout).toContain('0 graded, 2 unchanged');
    expect(await readdir(path.join(out, 'fixtures'))).toHaveLength(2);
  });

  it('says in one line that it needs the course secret', async () => {
    const r = await execa(BATCH, [path.join(scratch, 'per-student'), '--per-student', ...PART], { reject: false, cwd: scratch, env: { NO_COLOR: '1', GRADER_SECRET: '' } });
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim()).toMatch(/^grade:batch: --per-student needs the course secret in GRADER_SECRET/);
  });
});
