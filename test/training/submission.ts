/** Writes the reference (optionally with one catalogued mistake) as a submission in a temp dir. */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { applyMistake, MISTAKES } from '../../instructor/mistakes.js';
import { writeFromReference } from '../../instructor/starter.js';

export async function referenceSubmission(mistakeId?: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `training-${mistakeId ?? 'reference'}-`));
  const mistake = MISTAKES.find((m) => m.id === mistakeId);
  if (mistakeId && !mistake) throw new Error(`no mistake ${mistakeId}`);
  await writeFromReference(dir, 'solution', mistake ? (file, source) => applyMistake(mistake, file, source) : undefined);
  return dir;
}
