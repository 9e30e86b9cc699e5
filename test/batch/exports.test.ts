/**
 * Issue 10: every LMS export layout is read into one upload per student:
 * folders, a zip, Canvas's flat files (late marker, -1 re-uploads), Moodle's
 * folders, Gradescope's export with its metadata, and a student's own zip.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { ExportError, readExport } from '../../batch/exports.js';

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function scratch(): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), 'export-test-'));
  dirs.push(d);
  return d;
}

/** Writes `files` (relative path -> content) under a new folder and returns it. */
async function tree(files: Record<string, string | Uint8Array>): Promise<string> {
  const root = await scratch();
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await writeFile(path.join(root, rel), content);
  }
  return root;
}

const text = (s: string) => new TextEncoder().encode(s);

describe('readExport', () => {
  it('reads a folder of student folders, unpacking a student who uploaded a zip', async () => {
    const root = await tree({
      'alice/layers.ts': 'a',
      'bob/upload.zip': zipSync({ 'starter/layers.ts': text('b') }),
    });
    const read = await readExport(root, await scratch());
    expect(read.kind).toBe('folders');
    expect(read.students.map((s) => s.id)).toEqual(['alice', 'bob']);
    const bob = read.students[1];
    expect(bob.notes).toContain('unpacked upload.zip');
    expect(await readFile(path.join(bob.dir, 'starter/layers.ts'), 'utf8')).toBe('b');
  });

  it("groups Canvas's flat files by user id, with the late marker and the newest re-upload", async () => {
    const root = await tree({
      'doejane_12345_67890_layers.ts': 'jane layers',
      'doejane_12345_67890_train.ts': 'jane train',
      'smithjohn_late_222_999_layers.ts': 'old',
      'smithjohn_late_222_999_layers-1.ts': 'new',
      'smithjohn_late_222_999_notes-1.txt': 'kept as is',
    });
    const read = await readExport(root, await scratch());
    expect(read.kind).toBe('canvas');
    expect(read.students.map((s) => [s.id, s.name, s.late ?? false])).toEqual([['12345', 'doejane', false], ['222', 'smithjohn', true]]);
    const [jane, john] = read.students;
    expect((await readdir(jane.dir)).sort()).toEqual(['layers.ts', 'train.ts']);
    expect(await readFile(path.join(john.dir, 'layers.ts'), 'utf8')).toBe('new');
    expect((await readdir(john.dir)).sort()).toEqual(['layers.ts', 'notes-1.txt']);
    expect(john.notes.join('\n')).toMatch(/layers.ts: several uploads/);
  });

  it("reads Moodle's participant folders and ignores online-text ones", async () => {
    const root = await tree({
      'Jane Doe_123456_assignsubmission_file_/layers.ts': 'x',
      'Jane Doe_123456_assignsubmission_onlinetext_/onlinetext.html': '<p>hi</p>',
      'Zoë Ünïcode_777_assignsubmission_file_/starter/train.ts': 'y',
    });
    const read = await readExport(root, await scratch());
    expect(read.kind).toBe('moodle');
    expect(read.students.map((s) => [s.id, s.name])).toEqual([['123456', 'Jane Doe'], ['777', 'Zoë Ünïcode']]);
  });

  it("reads Gradescope's export zip with its metadata, a group keyed by its first submitter and the smallest email", async () => {
    const metadata = [
      'submission_101:',
      '  :submitters:',
      '  - :name: Ann Lee',
      "    :sid: '9001'",
      '    :email: ann@uni.edu',
      '  :score: 90.0',
      'submission_102:',
      '  :submitters:',
      '  - :name: Zed Roe',
      '    :sid: 9002',
      '    :email: zed@uni.edu',
      '  - :name: Amy Poe',
      '    :email: amy@uni.edu',
      'submission_103:',
      '  :submitters:',
      '  - :name: Missing Folder',
      '    :email: gone@uni.edu',
      '../../etc:',
      '  :submitters:',
      '  - :email: evil@uni.edu',
    ].join('\n');
    const exportZip = zipSync({
      'assignment_1_export/submission_metadata.yml': text(metadata),
      'assignment_1_export/submission_101/layers.ts': text('ann'),
      'assignment_1_export/submission_102/starter/layers.ts': text('group'),
    });
    const root = await tree({ 'export.zip': exportZip });
    const read = await readExport(path.join(root, 'export.zip'), await scratch());
    expect(read.kind).toBe('gradescope');
    const byId = Object.fromEntries(read.students.map((s) => [s.id, s]));
    expect(byId['9001']).toMatchObject({ name: 'Ann Lee', email: 'ann@uni.edu' });
    expect(byId['9002']).toMatchObject({ name: 'Zed Roe, Amy Poe', email: 'amy@uni.edu' });
    expect(byId['9002'].problem).toBeUndefined();
    expect(byId['gone@uni.edu'].problem).toMatch(/no folder of that name/);
    expect(byId['evil@uni.edu'].problem).toMatch(/no folder of that name/);
  });

  it('gives one line for what it cannot read', async () => {
    const empty = await tree({ 'readme.txt': 'nothing here' });
    await expect(readExport(empty, await scratch())).rejects.toThrow(ExportError);
    await expect(readExport(path.join(empty, 'nope'), await scratch())).rejects.toThrow(/no such file or folder/);
    await expect(readExport(path.join(empty, 'readme.txt'), await scratch())).rejects.toThrow(/give a folder of submissions or a .zip/);
  });
});
