/**
 * Writes small fake submissions for the sandbox tests: the given module
 * files (real module names, own code) next to a copy of the provided helpers.
 */
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PROVIDED_DIR } from '../../instructor/starter.js';

/** Every module name the grader asks for, in the order it asks. */
export const MODULE_FILES = [
  'activations.ts', 'dropout.ts', 'gradcheck.ts', 'init.ts', 'layers.ts',
  'network.ts', 'optim.ts', 'regularization.ts', 'train.ts',
];

/** A temp dir holding `files` (name -> source) and provided/; remove it with `removeDir`. */
export async function writeSubmission(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'fake-sub-'));
  await cp(PROVIDED_DIR, path.join(dir, 'provided'), { recursive: true });
  for (const [name, source] of Object.entries(files)) await writeFile(path.join(dir, name), source);
  return dir;
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
