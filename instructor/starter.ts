/**
 * Builds the student files from the reference by strict markers (the nbgrader
 * habit), so the starter kit and the solution can never drift apart.
 * A block between "// BEGIN SOLUTION" and "// END SOLUTION" becomes a stub that
 * throws NotImplementedError; everything else is copied as it is.
 */
import { mkdir, readFile, readdir, writeFile, cp } from 'node:fs/promises';
import path from 'node:path';
import { ROOT } from '../grader/root.js';

export const REFERENCE_DIR = path.join(ROOT, 'reference');
export const STARTER_DIR = path.join(ROOT, 'starter');
export const PROVIDED_DIR = path.join(STARTER_DIR, 'provided');

const BEGIN = /^[ \t]*\/\/ BEGIN SOLUTION[ \t]*\n/m;
const BLOCK = /^([ \t]*)\/\/ BEGIN SOLUTION[ \t]*\n[\s\S]*?^[ \t]*\/\/ END SOLUTION[ \t]*\n/gm;
const MARKER_LINE = /^[ \t]*\/\/ (BEGIN|END) SOLUTION[ \t]*\n/gm;
const FUNCTION_NAME = /function\s+([A-Za-z_$][\w$]*)\s*\(/g;
const STUB_IMPORT = "import { NotImplementedError } from './provided/errors.js';\n";

export type Mode = 'stub' | 'solution';

/** The student's hyperparameter file: the reference's choices are the starting point. */
export const CONFIG_FILE = 'config.json';

/** The function a solution block belongs to: the last `function name(` before it. */
function enclosingFunction(source: string, offset: number, file: string): string {
  let name: string | undefined;
  for (const m of source.slice(0, offset).matchAll(FUNCTION_NAME)) name = m[1];
  if (!name) throw new Error(`${file}: a "// BEGIN SOLUTION" marker at offset ${offset} is not inside a function`);
  return name;
}

/** Turns one reference module into its student form (stub) or a clean solution. */
export function renderModule(source: string, mode: Mode, file = 'module'): string {
  const opened = source.match(/\/\/ BEGIN SOLUTION/g)?.length ?? 0;
  const closed = source.match(/\/\/ END SOLUTION/g)?.length ?? 0;
  if (opened !== closed) throw new Error(`${file}: ${opened} "BEGIN SOLUTION" markers but ${closed} "END SOLUTION" markers`);
  let out = source.replaceAll("'../starter/provided/", "'./provided/");
  if (mode === 'solution') return out.replace(MARKER_LINE, '');
  if (!BEGIN.test(out)) return out;
  out = out.replace(BLOCK, (_block, indent: string, offset: number) => {
    const name = enclosingFunction(out, offset, file);
    return `${indent}// YOUR CODE HERE\n${indent}throw new NotImplementedError('${name}');\n`;
  });
  // the import goes right after the module's leading doc comment
  const docEnd = out.startsWith('/**') ? out.indexOf('*/\n') + 3 : 0;
  return out.slice(0, docEnd) + STUB_IMPORT + out.slice(docEnd);
}

/** The student modules: every top-level .ts file of reference/ (or of another copy of it). */
export async function referenceModules(from = REFERENCE_DIR): Promise<string[]> {
  return (await readdir(from)).filter((f) => f.endsWith('.ts')).sort();
}

/**
 * Writes a submission-shaped directory rendered from the reference: the stubbed
 * starter, or the solution (what a perfect student hands in). `edit` may change
 * each file's text first (the tests use it to inject typical mistakes). `from`
 * is another copy of reference/ (the mutation runner's instrumented one).
 */
export async function writeFromReference(
  dir: string, mode: Mode, edit: (file: string, source: string) => string = (_f, s) => s, from = REFERENCE_DIR,
): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const file of await referenceModules(from)) {
    const source = edit(file, await readFile(path.join(from, file), 'utf8'));
    await writeFile(path.join(dir, file), renderModule(source, mode, file));
  }
  await writeFile(path.join(dir, CONFIG_FILE), await readFile(path.join(from, CONFIG_FILE), 'utf8'));
  if (path.resolve(dir) !== STARTER_DIR) await cp(PROVIDED_DIR, path.join(dir, 'provided'), { recursive: true });
}

/** Lists starter modules whose text differs from what the reference renders to. */
export async function staleStarterModules(): Promise<string[]> {
  const stale: string[] = [];
  for (const file of await referenceModules()) {
    const expected = renderModule(await readFile(path.join(REFERENCE_DIR, file), 'utf8'), 'stub', file);
    const actual = await readFile(path.join(STARTER_DIR, file), 'utf8').catch(() => '');
    if (actual !== expected) stale.push(file);
  }
  const config = await readFile(path.join(REFERENCE_DIR, CONFIG_FILE), 'utf8');
  if (config !== (await readFile(path.join(STARTER_DIR, CONFIG_FILE), 'utf8').catch(() => ''))) stale.push(CONFIG_FILE);
  return stale;
}
