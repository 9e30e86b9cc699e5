/**
 * Where in an uploaded folder the assignment files are. Students upload the
 * files themselves, their whole repository (with starter/ inside), or a zip
 * that unpacks into one extra top folder; every grader entry point (Gradescope,
 * batch) finds the folder to grade with this one function.
 */
import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import { STUDENT_MODULES } from './modules.js';

/** The folder to grade, and which assignment files it holds. */
export interface LayoutFound {
  ok: true;
  /** Absolute path of the folder holding the assignment files. */
  dir: string;
  /** That folder relative to the uploaded one ("." when the files are at the top). */
  relative: string;
  /** The assignment files present in it. */
  files: string[];
}

/** No folder to grade: why, in words a student can act on. */
export interface LayoutMissing {
  ok: false;
  reason: string;
}

export type Layout = LayoutFound | LayoutMissing;

/** How deep below the uploaded folder to look (repo/starter/ inside one extra zip folder is 2). */
const MAX_DEPTH = 3;
/** Folders never searched: tools' and systems' own, never the student's code. */
const SKIPPED = new Set(['node_modules', '.git', '__MACOSX', 'dist', 'out']);
/** Folders looked at, at most: an upload of thousands of folders costs no more than this. */
const MAX_FOLDERS = 2000;
/** The folder name the starter kit uses; preferred when two folders hold the same files. */
const STARTER = 'starter';

interface Candidate { dir: string; files: string[]; depth: number }

/** The assignment files (by name) that are regular files directly in `dir`. */
async function assignmentFiles(dir: string, names: string[]): Promise<string[]> {
  const present: string[] = [];
  for (const file of STUDENT_MODULES) {
    if (!names.includes(file)) continue;
    const info = await lstat(path.join(dir, file)).catch(() => null);
    if (info?.isFile()) present.push(file);
  }
  return present;
}

/**
 * The folders holding assignment files, breadth first (shallow folders before
 * deep ones, names in order), up to MAX_DEPTH and MAX_FOLDERS.
 */
async function collect(root: string): Promise<Candidate[]> {
  const out: Candidate[] = [];
  const queue: { dir: string; depth: number }[] = [{ dir: root, depth: 0 }];
  for (let seen = 0; queue.length > 0 && seen < MAX_FOLDERS; seen++) {
    const { dir, depth } = queue.shift()!;
    const entries = (await readdir(dir, { withFileTypes: true }).catch(() => [])).sort((a, b) => (a.name < b.name ? -1 : 1));
    const files = await assignmentFiles(dir, entries.filter((e) => e.isFile()).map((e) => e.name));
    if (files.length > 0) out.push({ dir, files, depth });
    if (depth >= MAX_DEPTH) continue;
    for (const e of entries) {
      // symbolic links are not followed: they could lead out of the upload
      if (e.isDirectory() && !SKIPPED.has(e.name) && !e.name.startsWith('.')) queue.push({ dir: path.join(dir, e.name), depth: depth + 1 });
    }
  }
  return out;
}

/**
 * Finds the folder of `upload` that holds the assignment files: the one with
 * the most of them; on a tie, a folder named starter/, then the shallowest;
 * a remaining tie is ambiguous and says which folders it found.
 */
export async function findSubmissionLayout(upload: string): Promise<Layout> {
  const root = path.resolve(upload);
  const info = await lstat(root).catch(() => null);
  if (!info?.isDirectory()) return { ok: false, reason: `${path.basename(root)} is not a folder, so there is nothing to grade` };
  const candidates = await collect(root);
  const rel = (dir: string) => path.relative(root, dir) || '.';
  if (candidates.length === 0) {
    return {
      ok: false,
      reason: `none of the assignment files (${STUDENT_MODULES.join(', ')}) is in your upload. ` +
        'Upload those files from your starter/ folder (or your whole repository, or a zip of either) and submit again.',
    };
  }
  const most = Math.max(...candidates.map((c) => c.files.length));
  let best = candidates.filter((c) => c.files.length === most);
  if (best.length > 1 && best.some((c) => path.basename(c.dir) === STARTER)) best = best.filter((c) => path.basename(c.dir) === STARTER);
  const shallowest = Math.min(...best.map((c) => c.depth));
  best = best.filter((c) => c.depth === shallowest);
  if (best.length > 1) {
    return {
      ok: false,
      reason: `your upload has the assignment files in ${best.length} folders (${best.map((c) => rel(c.dir)).join(', ')}), ` +
        'so it is not clear which one to grade. Upload only one copy of your starter/ files and submit again.',
    };
  }
  return { ok: true, dir: best[0].dir, relative: rel(best[0].dir), files: best[0].files };
}
