/** The pieces of the Gradescope autograder: upload layouts, who submitted, the public/hidden split, the settings. */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSubmissionLayout } from '../grader/layout.js';
import { submitterEmails, submitterId } from '../grader/gradescope/metadata.js';
import { readSettings, settingsProblem, DEFAULT_SETTINGS } from '../grader/gradescope/settings.js';
import { splitPoints } from '../grader/gradescope/split.js';
import { countedPart } from '../grader/status.js';
import { STUDENT_MODULES } from '../grader/modules.js';
import { sampleResults } from './report/sample-results.js';

let tmp: string;
beforeAll(async () => { tmp = await mkdtemp(path.join(os.tmpdir(), 'gradescope-unit-')); });
afterAll(async () => rm(tmp, { recursive: true, force: true }));

/** A folder with the given files (each an empty module or the text given). */
async function tree(name: string, files: Record<string, string>): Promise<string> {
  const dir = path.join(tmp, name);
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  }
  await mkdir(dir, { recursive: true });
  return dir;
}
const modules = (prefix: string, only: readonly string[] = STUDENT_MODULES) => Object.fromEntries(only.map((m) => [path.posix.join(prefix, m), 'export {};\n']));

describe('findSubmissionLayout', () => {
  it('finds the files at the top, in starter/ of a repository, and below one extra zip folder', async () => {
    const flat = await findSubmissionLayout(await tree('flat', modules('.')));
    expect(flat).toMatchObject({ ok: true, relative: '.' });
    expect(flat.ok && flat.files).toHaveLength(STUDENT_MODULES.length);
    const repo = await tree('repo', { ...modules('starter'), 'README.md': '#', 'grader/train.ts': 'x', 'package.json': '{}' });
    expect(await findSubmissionLayout(repo)).toMatchObject({ ok: true, relative: 'starter', dir: path.join(repo, 'starter') });
    expect(await findSubmissionLayout(await tree('zip', modules('hw-main/starter')))).toMatchObject({ ok: true, relative: 'hw-main/starter' });
    expect(await findSubmissionLayout(await tree('zip-flat', modules('my-files')))).toMatchObject({ ok: true, relative: 'my-files' });
  });

  it('prefers the folder with the most assignment files, then one named starter/, and skips tool folders', async () => {
    const partial = await tree('partial', { ...modules('.', ['train.ts']), ...modules('starter') });
    expect(await findSubmissionLayout(partial)).toMatchObject({ ok: true, relative: 'starter' });
    const copies = await tree('copies', { ...modules('starter'), ...modules('backup') });
    expect(await findSubmissionLayout(copies)).toMatchObject({ ok: true, relative: 'starter' });
    const tools = await tree('tools', { ...modules('work'), ...modules('work/node_modules/x'), ...modules('__MACOSX/work'), ...modules('.git/x') });
    expect(await findSubmissionLayout(tools)).toMatchObject({ ok: true, relative: 'work' });
  });

  it('looks at a bounded number of folders, breadth of the upload aside', async () => {
    const many = Object.fromEntries(Array.from({ length: 2100 }, (_, i) => [`junk/d${String(i).padStart(4, '0')}/x.txt`, '']));
    const dir = await tree('many', { ...modules('starter'), ...many });
    expect(await findSubmissionLayout(dir)).toMatchObject({ ok: true, relative: 'starter' }); // shallow folders first
    const lost = await tree('lost', { ...many, ...modules('junk/zzz') });
    expect((await findSubmissionLayout(lost)).ok).toBe(false); // past the bound: not searched
  });

  it('says which folders it found when two copies are equally likely', async () => {
    const r = await findSubmissionLayout(await tree('ambiguous', { ...modules('a'), ...modules('b') }));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/in 2 folders \(a, b\).*Upload only one copy/);
  });

  it('says what to upload when there are no assignment files, and does not follow links out of the upload', async () => {
    const outside = await tree('outside', modules('.'));
    const dir = await tree('nothing', { 'notes.txt': 'hi', 'deep/a/b/c/d/train.ts': 'x' });
    await symlink(outside, path.join(dir, 'link'));
    const r = await findSubmissionLayout(dir);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/^none of the assignment files \(activations\.ts, .*\) is in your upload\. Upload those files/);
    expect((await findSubmissionLayout(path.join(tmp, 'missing'))).ok).toBe(false);
  });
});

describe('submitter of a submission', () => {
  it('takes the smallest email of a group, case and spaces aside', () => {
    expect(submitterId([' Zoe@Example.edu', 'amy@example.edu', 'bob@example.edu'])).toBe('amy@example.edu');
    expect(() => submitterId([])).toThrow(/no submitter/);
  });

  it('reads submission_metadata.json and an export\'s submission_metadata.yml (Ruby-style keys)', async () => {
    const json = path.join(tmp, 'submission_metadata.json');
    await writeFile(json, JSON.stringify({ id: 1, users: [{ email: 'b@x.edu', id: 1, name: 'B' }, { email: 'a@x.edu', id: 2, name: 'A' }] }));
    expect(await submitterEmails(json)).toEqual(['b@x.edu', 'a@x.edu']);
    const yml = path.join(tmp, 'submission_metadata.yml');
    await writeFile(yml, [
      '---',
      'submission_111:',
      '  :submitters:',
      '  - :name: Ann',
      '    :sid: \'1\'',
      '    :email: ann@x.edu',
      '  :created_at: 2026-11-20 10:00:00.000000000 -08:00',
      '  :score: 40.0',
      'submission_222:',
      '  :submitters:',
      '  - :name: Cy',
      '    :email: cy@x.edu',
      '  - :name: Bo',
      '    :email: bo@x.edu',
      '',
    ].join('\n'));
    expect(submitterId(await submitterEmails(yml, 'submission_222'))).toBe('bo@x.edu');
    await expect(submitterEmails(yml)).rejects.toThrow(/--submission-id/);
    await expect(submitterEmails(yml, 'submission_9')).rejects.toThrow(/no entry submission_9/);
  });
});

describe('splitPoints', () => {
  it('splits each part between its public and hidden tests so the maximum stays the same', () => {
    const pub = sampleResults();
    const hidden = sampleResults();
    const r = splitPoints(pub, hidden, { hiddenFraction: 0.25, hiddenVisibility: 'after_published' });
    expect(r.maxScore).toBeCloseTo(pub.maxScore, 9);
    expect(r.score).toBeCloseTo(pub.score, 9);
    expect(r.parts).toHaveLength(2 * pub.parts.length);
    const [first, firstHidden] = [r.parts[0], r.parts[pub.parts.length]];
    expect([first.maxScore, firstHidden.maxScore]).toEqual([7.5, 2.5]);
    expect(first.visibility).toBe('visible');
    expect(firstHidden.visibility).toBe('after_published');
    expect(firstHidden.title).toBe('Activation functions (hidden tests)');
    expect(firstHidden.cases.reduce((s, c) => s + c.maxScore, 0)).toBeCloseTo(2.5, 9);
    expect(r.warnings).toEqual(pub.warnings);
  });
});

describe('countedPart', () => {
  const cifar = () => sampleResults().parts.find((p) => p.status === 'not_run')!;
  it('leaves a part without its data out of the maximum unless it is required', () => {
    const out = countedPart(cifar());
    expect([out.maxScore, out.score]).toEqual([0, 0]);
    expect(out.cases.every((c) => c.maxScore === 0)).toBe(true);
    expect(out.notRunReason).toMatch(/^left out of the maximum score: /);
    expect(countedPart(cifar(), [cifar().id])).toEqual(cifar());
    const passed = sampleResults().parts[0];
    expect(countedPart(passed)).toBe(passed);
  });
});

describe('autograder settings', () => {
  it('defaults to half hidden, after the due date, per student', () => {
    expect(DEFAULT_SETTINGS).toMatchObject({ hiddenFraction: 0.5, hiddenVisibility: 'after_due_date', perStudent: true, requiredParts: [] });
  });

  it('refuses a bad fraction, visibility or a per-student set-up without a secret', async () => {
    expect(settingsProblem({ ...DEFAULT_SETTINGS, secret: 'x'.repeat(16), hiddenFraction: 1.5 })).toMatch(/hiddenFraction/);
    expect(settingsProblem({ ...DEFAULT_SETTINGS, secret: 'x'.repeat(16), hiddenVisibility: 'later' as never })).toMatch(/hiddenVisibility/);
    expect(settingsProblem({ ...DEFAULT_SETTINGS })).toMatch(/course secret/);
    expect(settingsProblem({ ...DEFAULT_SETTINGS, perStudent: false })).toBeNull();
    const file = path.join(tmp, 'settings.json');
    await writeFile(file, JSON.stringify({ hiddenFraction: 0.3 }));
    await expect(readSettings(file)).rejects.toThrow(/course secret.*rebuild the autograder zip/);
    await expect(readSettings(path.join(tmp, 'none.json'))).rejects.toThrow(/ENOENT.*npm run release -- --gradescope/);
  });
});
