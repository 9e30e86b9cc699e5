/**
 * Writes small fake submissions for the sandbox tests: the given module
 * files (real module names, own code) next to a copy of the provided helpers.
 */
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { bundleSubmission, removeBundle, type BundleResult } from '../../grader/sandbox/bundle.js';
import { SubmissionRunner } from '../../grader/sandbox/runner.js';
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

/** A fake submission bundled and running for the tests of one file. */
export interface StartedSubmission { readonly dir: string; readonly bundle: BundleResult; readonly runner: SubmissionRunner }

/** Writes, bundles and starts `files` before all the tests of the calling file, and removes them after all. */
export function startedSubmission(files: Record<string, string>): StartedSubmission {
  const state = {} as { dir: string; bundle: BundleResult; runner: SubmissionRunner };
  beforeAll(async () => {
    state.dir = await writeSubmission(files);
    state.bundle = await bundleSubmission(state.dir, MODULE_FILES);
    state.runner = await SubmissionRunner.start(state.bundle);
  });
  afterAll(async () => {
    await state.runner?.close();
    if (state.bundle) await removeBundle(state.bundle);
    if (state.dir) await removeDir(state.dir);
  });
  return state;
}
