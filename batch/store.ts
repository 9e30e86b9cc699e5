/**
 * The unit of work of a batch: one result file per student, written
 * atomically (a temp file renamed into place) as soon as that student is
 * graded, and keyed by everything that can change the grade. A batch killed
 * at any moment loses nothing that finished; a re-run grades only students
 * whose key changed; every batch output is rebuilt from these files.
 */
import { createHash } from 'node:crypto';
import { lstat, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { writeAtomic } from '../common/write-atomic.js';
import path from 'node:path';
import type { GradingResults } from '../grader/results.js';
import { ROOT } from '../grader/root.js';
import type { StudentUpload } from './exports.js';

/** What one student's result file holds. */
export interface StoredResult {
  /** Format of this file; a file of another version is ignored (regraded). */
  version: 1;
  student: { id: string; name?: string; email?: string; late?: boolean; notes: string[] };
  /** The key the result was made under (see resultKey). */
  key: string;
  /** The folder graded, relative to the upload (layout detection), when one was found. */
  graded?: string;
  /** Fingerprint of the fixtures this student was graded against (per-student fixtures differ). */
  fixtures?: string;
  /** The results, or null with the reason the submission could not be graded. */
  results: GradingResults | null;
  error?: string;
  /** Wall time of this student's grading, ms. */
  timeMs: number;
  finishedAt: string;
}

/** Largest file hashed into a key; an upload with a larger file is keyed by its size and time instead of its bytes. */
const MAX_HASHED_BYTES = 64 * 1024 * 1024;

/**
 * A stable hash of a folder's files (relative names and contents, sorted),
 * never following symbolic links; `skip` names folders not to descend into.
 */
export async function hashFolder(dir: string, skip: ReadonlySet<string> = new Set(['node_modules', '.git'])): Promise<string> {
  const hash = createHash('sha256');
  const walk = async (rel: string): Promise<void> => {
    const entries = (await readdir(path.join(dir, rel), { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const child = path.posix.join(rel, e.name);
      if (e.isDirectory()) {
        if (!skip.has(e.name)) await walk(child);
      } else if (e.isFile()) {
        const info = await lstat(path.join(dir, child));
        hash.update(`${child}\0${info.size}\0`);
        hash.update(info.size <= MAX_HASHED_BYTES ? await readFile(path.join(dir, child)) : `${info.mtimeMs}`);
      } else if (e.isSymbolicLink()) {
        hash.update(`${child}\0link\0`);
      }
    }
  };
  await walk('.');
  return hash.digest('hex');
}

/** Hash of what grades: the grader's sources, the trusted provided helpers, the batch code and the lock file. */
export async function graderFingerprint(root = ROOT): Promise<string> {
  const hash = createHash('sha256');
  for (const dir of ['grader', 'starter/provided', 'batch']) hash.update(`${dir}\0${await hashFolder(path.join(root, dir))}\0`);
  hash.update(await readFile(path.join(root, 'package-lock.json')));
  return hash.digest('hex');
}

/** Everything besides the submission that can change a grade; hashed once per batch. */
export interface KeyContext {
  /** Hash of the grader's sources, the trusted provided helpers and the lock file. */
  grader: string;
  /** Fingerprint of the fixtures (the manifest's, or per-student ones: then added per student). */
  fixtures: string;
  /** The options that change a score (parts, time limits, data paths), as given. */
  options: Record<string, unknown>;
  nodeMajor: number;
  /** The isolation layers that were active. */
  layers: string[];
}

/** The key of one student's result: their upload's files and the batch's context. */
export function resultKey(uploadHash: string, context: KeyContext, studentFixtures?: string): string {
  const options = Object.fromEntries(Object.entries(context.options).sort(([a], [b]) => a.localeCompare(b)));
  return createHash('sha256').update(JSON.stringify({
    upload: uploadHash, grader: context.grader, fixtures: studentFixtures ?? context.fixtures, options,
    node: context.nodeMajor, layers: [...context.layers].sort(),
  })).digest('hex');
}

/** The result files of one batch, in `dir` (`<student id>.json`). */
export class ResultStore {
  constructor(readonly dir: string) {}

  private file(id: string): string {
    return path.join(this.dir, `${id}.json`);
  }

  /** The stored result of a student when it was made under `key`; undefined when missing, stale or unreadable. */
  async fresh(id: string, key: string): Promise<StoredResult | undefined> {
    const stored = await this.read(id);
    return stored?.key === key ? stored : undefined;
  }

  /** The stored result of a student whatever its key (for rebuilding outputs without grading). */
  latest(id: string): Promise<StoredResult | undefined> {
    return this.read(id);
  }

  /** Writes a student's result so that the file is either the old one or the whole new one, never a part. */
  async write(result: StoredResult): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await writeAtomic(this.file(result.student.id), `${JSON.stringify(result)}\n`);
  }

  /** Every readable result in the store, by student id (temp files of a killed batch are ignored). */
  async all(): Promise<StoredResult[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const results = await Promise.all(names.filter((n) => n.endsWith('.json')).map((n) => this.read(n.slice(0, -'.json'.length))));
    return results.filter((r): r is StoredResult => r !== undefined).sort((a, b) => a.student.id.localeCompare(b.student.id));
  }

  /** Removes temp files a killed batch left behind. */
  async sweep(): Promise<void> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    await Promise.all(names.filter((n) => n.endsWith('.tmp')).map((n) => rm(path.join(this.dir, n), { force: true })));
  }

  private async read(id: string): Promise<StoredResult | undefined> {
    try {
      const parsed = JSON.parse(await readFile(this.file(id), 'utf8')) as StoredResult;
      return parsed.version === 1 && parsed.student?.id === id && typeof parsed.key === 'string' ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
}

/** The student part of a stored result. */
export function storedStudent(upload: StudentUpload): StoredResult['student'] {
  return { id: upload.id, name: upload.name, email: upload.email, late: upload.late, notes: upload.notes };
}
