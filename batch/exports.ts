/**
 * Reads what an LMS exports for an assignment into one upload folder per
 * student: a folder of student folders, a zip of any of these, Canvas's flat
 * export (`name_[late_]userid_submissionid_file`, re-uploads renamed
 * `file-1.ts`), Moodle's `Name_ID_assignsubmission_file_` folders and
 * Gradescope's "Export submissions" (`submission_metadata.yml` beside
 * `submission_ID/` folders). Finding the assignment files inside each upload
 * is the layout step's job (grader/layout.ts), shared with run_autograder.
 */
import { copyFile, lstat, mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { exportSubmitters, submitterId } from '../grader/gradescope/metadata.js';
import { STUDENT_MODULES } from '../grader/modules.js';
import { unpackZip, type ZipLimits } from './zip.js';

/** The files of the assignment, by name: the modules and the training configuration. */
export const ASSIGNMENT_FILES: readonly string[] = [...STUDENT_MODULES, 'config.json'];

export type ExportKind = 'folders' | 'canvas' | 'moodle' | 'gradescope';

/** One student's upload, as the LMS delivered it. */
export interface StudentUpload {
  /** Stable, file-name-safe id: the LMS's user id where it has one, else the folder name. */
  id: string;
  /** The student's name as the export gives it, for people to read. */
  name?: string;
  /** Gradescope: the smallest of the submitters' emails (what per-student inputs are derived from). */
  email?: string;
  /** Canvas marks late submissions in the file names. */
  late?: boolean;
  /** The folder holding this student's upload. */
  dir: string;
  /** What a TA should know about how the upload was read (renamed re-uploads, an unpacked zip). */
  notes: string[];
  /** Set when the upload cannot be graded as it is (what was found instead); the gradebook shows it. */
  problem?: string;
}

export interface ExportRead { kind: ExportKind; students: StudentUpload[] }

/** A path that cannot be read as an export, with the reason in one line. */
export class ExportError extends Error {
  override name = 'ExportError';
}

/** Canvas: `doejane_12345_67890_layers.ts`, `doejane_late_12345_67890_layers-1.ts`. */
const CANVAS_FILE = /^(.+?)_(?:(late|LATE)_)?(\d+)_(\d+)_(.+)$/;
/** Moodle: `Jane Doe_123456_assignsubmission_file_` (the id is Moodle's participant id). */
const MOODLE_FOLDER = /^(.+)_(\d+)_assignsubmission_(file|onlinetext)_?$/;
/** Canvas's renaming of a re-uploaded file: `layers-1.ts` for `layers.ts`. */
const REUPLOAD = /^(.+)-(\d+)(\.[^.]+)$/;

/** An id safe to use as a file name. */
export function safeId(text: string): string {
  const cleaned = text.normalize('NFC').replace(/[^\p{L}\p{N}._@+-]+/gu, '_').replace(/^\.+/, '_').slice(0, 120);
  return cleaned || '_';
}

async function isDir(p: string): Promise<boolean> {
  return (await lstat(p).catch(() => null))?.isDirectory() ?? false;
}

/** Folders never read as a student's: the batch's own output when it sits inside the input (set by readExport). */
let skipped: ReadonlySet<string> = new Set();

async function listing(dir: string): Promise<{ files: string[]; dirs: string[] }> {
  const entries = await readdir(dir, { withFileTypes: true });
  const visible = entries.filter((e) => !e.name.startsWith('.') && e.name !== '__MACOSX' && !skipped.has(path.resolve(dir, e.name)));
  return {
    files: visible.filter((e) => e.isFile()).map((e) => e.name).sort(),
    dirs: visible.filter((e) => e.isDirectory()).map((e) => e.name).sort(),
  };
}

/**
 * When an upload folder holds nothing but one zip (a student who uploaded a
 * zip), unpacks it beside and returns the unpacked folder; else the folder.
 */
async function openNestedZip(upload: StudentUpload, work: string, limits?: ZipLimits): Promise<StudentUpload> {
  const { files, dirs } = await listing(upload.dir);
  if (dirs.length > 0 || files.length !== 1 || !files[0].toLowerCase().endsWith('.zip')) return upload;
  const dest = path.join(work, 'unzipped', upload.id);
  await mkdir(path.dirname(dest), { recursive: true });
  try {
    await unpackZip(path.join(upload.dir, files[0]), dest, limits);
  } catch (cause) {
    return { ...upload, problem: `the uploaded ${files[0]} could not be unpacked: ${(cause as Error).message}` };
  }
  return { ...upload, dir: dest, notes: [...upload.notes, `unpacked ${files[0]}`] };
}

/** Which kind of export a folder is, from its names alone. */
async function detectKind(dir: string): Promise<ExportKind> {
  const { files, dirs } = await listing(dir);
  if (files.includes('submission_metadata.yml')) return 'gradescope';
  if (dirs.length > 0 && dirs.some((d) => MOODLE_FOLDER.test(d))) return 'moodle';
  if (files.some((f) => CANVAS_FILE.test(f))) return 'canvas';
  if (dirs.length > 0) return 'folders';
  throw new ExportError(`${dir}: neither sub-folders (one per student) nor the files of a Canvas, Moodle or Gradescope export; see: npm run grade:batch -- --help`);
}

/** The name a Canvas file had when the student uploaded it, with the re-upload suffix taken off an assignment file's name. */
function canvasOriginalName(file: string): { name: string; version: number } {
  const m = REUPLOAD.exec(file);
  if (m && ASSIGNMENT_FILES.includes(`${m[1]}${m[3]}`)) return { name: `${m[1]}${m[3]}`, version: Number(m[2]) };
  return { name: file, version: 0 };
}

/** Canvas's flat export: files grouped by user id into a folder each, under their original names (the newest re-upload wins). */
async function readCanvas(dir: string, work: string): Promise<StudentUpload[]> {
  const { files } = await listing(dir);
  const groups = new Map<string, { name: string; late: boolean; files: { file: string; original: string; version: number }[] }>();
  const stray: string[] = [];
  for (const file of files) {
    const m = CANVAS_FILE.exec(file);
    if (!m) {
      stray.push(file);
      continue;
    }
    const [, name, late, userId, , rest] = m;
    const group = groups.get(userId) ?? { name, late: false, files: [] };
    group.late ||= late !== undefined;
    const { name: original, version } = canvasOriginalName(rest);
    group.files.push({ file, original, version });
    groups.set(userId, group);
  }
  const students: StudentUpload[] = [];
  for (const [userId, group] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    const id = safeId(userId);
    const target = path.join(work, 'canvas', id);
    await mkdir(target, { recursive: true });
    const notes: string[] = [];
    const newest = new Map<string, { file: string; version: number }>();
    for (const f of group.files) {
      const seen = newest.get(f.original);
      if (seen) notes.push(`${f.original}: several uploads (${seen.file}, ${f.file}); graded the newest`);
      if (!seen || f.version > seen.version) newest.set(f.original, f);
    }
    for (const [original, f] of newest) await copyFile(path.join(dir, f.file), path.join(target, safeId(original)));
    students.push({ id, name: group.name, late: group.late, dir: target, notes });
  }
  if (students.length === 0) throw new ExportError(`${dir}: no file is named like a Canvas export (name_userid_submissionid_file)`);
  if (stray.length > 0) students[0].notes.push(`not part of any student's upload: ${stray.join(', ')}`);
  return students;
}

/** Moodle: one folder per participant, `Full Name_ID_assignsubmission_file_`. */
async function readMoodle(dir: string): Promise<StudentUpload[]> {
  const { dirs } = await listing(dir);
  const byId = new Map<string, StudentUpload>();
  for (const folder of dirs) {
    const m = MOODLE_FOLDER.exec(folder);
    if (!m || m[3] !== 'file') continue; // online text submissions hold no files
    const id = safeId(m[2]);
    if (byId.has(id)) byId.get(id)!.problem = `two Moodle folders for participant ${m[2]}`;
    else byId.set(id, { id, name: m[1], dir: path.join(dir, folder), notes: [] });
  }
  return [...byId.values()];
}

/** Gradescope's "Export submissions": a folder per submission and `submission_metadata.yml` naming its submitters. */
async function readGradescope(dir: string): Promise<StudentUpload[]> {
  let metadata: Record<string, unknown>;
  try {
    metadata = (parseYaml(await readFile(path.join(dir, 'submission_metadata.yml'), 'utf8')) ?? {}) as Record<string, unknown>;
  } catch (cause) {
    throw new ExportError(`${dir}/submission_metadata.yml: not readable YAML (${(cause as Error).message})`, { cause });
  }
  const students: StudentUpload[] = [];
  for (const [folder, entry] of Object.entries(metadata).sort(([a], [b]) => a.localeCompare(b))) {
    const people = exportSubmitters(entry);
    const emails = people.map((p) => p.email).filter((e): e is string => !!e);
    // the same email run_autograder derives per-student inputs from, so a grade reproduces offline
    const email = emails.length > 0 ? submitterId(emails) : undefined;
    const first = people[0] ?? {};
    const id = safeId(first.sid || email || folder);
    const upload: StudentUpload = {
      id, name: people.map((p) => p.name).filter(Boolean).join(', ') || undefined, email,
      dir: path.join(dir, path.basename(folder)), notes: people.length > 1 ? [`group of ${people.length}: graded once, per-student inputs from ${email}`] : [],
    };
    // the metadata is the student's data too: a key must name a folder right here, nothing above it
    if (folder !== path.basename(folder) || folder === '.' || folder === '..' || !(await isDir(upload.dir))) {
      upload.problem = `the export lists ${folder} but has no folder of that name`;
    }
    students.push(upload);
  }
  return students;
}

/** A folder per student, named after the student. */
async function readFolders(dir: string): Promise<StudentUpload[]> {
  const { dirs } = await listing(dir);
  return dirs.map((folder) => ({ id: safeId(folder), dir: path.join(dir, folder), notes: [] }));
}

/** Makes ids unique (two Canvas names can share a sanitised form) by suffixing -2, -3, ... */
function uniqueIds(students: StudentUpload[]): StudentUpload[] {
  const seen = new Map<string, number>();
  return students.map((s) => {
    const n = (seen.get(s.id) ?? 0) + 1;
    seen.set(s.id, n);
    return n === 1 ? s : { ...s, id: `${s.id}-${n}`, notes: [...s.notes, `id ${s.id} appears ${n} times`] };
  });
}

/**
 * Reads `input` (a folder or a zip of an export) into one upload per student.
 * `work` is a scratch folder for unpacked and regrouped files; the caller
 * removes it. `skip` lists folders that are never a student's (the output). Throws an ExportError with one line for an input it cannot read.
 */
export async function readExport(input: string, work: string, limits?: ZipLimits, skip: readonly string[] = []): Promise<ExportRead> {
  skipped = new Set(skip.map((p) => path.resolve(p)));
  const info = await lstat(input).catch(() => null);
  if (!info) throw new ExportError(`${input}: no such file or folder`);
  let dir = path.resolve(input);
  if (info.isFile()) {
    if (!input.toLowerCase().endsWith('.zip')) throw new ExportError(`${input}: give a folder of submissions or a .zip of one`);
    dir = path.join(work, 'export');
    await unpackZip(input, dir, limits).catch((cause: unknown) => {
      throw new ExportError((cause as Error).message, { cause });
    });
    // a zip of one folder (the export's own top folder) is read from inside it
    const top = await listing(dir);
    if (top.files.length === 0 && top.dirs.length === 1 && !MOODLE_FOLDER.test(top.dirs[0])) {
      const inner = path.join(dir, top.dirs[0]);
      const innerListing = await listing(inner);
      if (innerListing.files.includes('submission_metadata.yml') || innerListing.dirs.length > 0 || innerListing.files.some((f) => CANVAS_FILE.test(f))) dir = inner;
    }
  } else if (!info.isDirectory()) {
    throw new ExportError(`${input}: not a folder or a zip file`);
  }
  const kind = await detectKind(dir);
  const read = kind === 'gradescope' ? await readGradescope(dir)
    : kind === 'moodle' ? await readMoodle(dir)
      : kind === 'canvas' ? await readCanvas(dir, work)
        : await readFolders(dir);
  const students: StudentUpload[] = [];
  for (const s of uniqueIds(read)) students.push(s.problem ? s : await openNestedZip(s, work, limits));
  return { kind, students };
}
