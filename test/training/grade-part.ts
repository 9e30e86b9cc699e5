/** Helpers for the training-part tests: a reference submission with an edited train.ts, graded on one (optionally edited) part. */
import { rm } from 'node:fs/promises';
import { loadFixtures } from '../../grader/fixtures/load.js';
import type { FixturePart } from '../../grader/fixtures/types.generated.js';
import { STUDENT_MODULES } from '../../grader/modules.js';
import type { PartResult } from '../../grader/results.js';
import { bundleSubmission, removeBundle } from '../../grader/sandbox/bundle.js';
import { SubmissionRunner } from '../../grader/sandbox/runner.js';
import { gradeTrainingPart } from '../../grader/training.js';
import { writeFromReference } from '../../instructor/starter.js';
import { referenceSubmission } from './submission.js';

const made: string[] = [];

/** Removes every submission the helpers wrote (call in afterAll). */
export async function removeSubmissions(): Promise<void> {
  await Promise.all(made.splice(0).map((d) => rm(d, { recursive: true, force: true })));
}

/** The reference as a submission, with its train.ts passed through `edit`. */
export async function editedSubmission(edit: (trainSource: string) => string): Promise<string> {
  const dir = await referenceSubmission();
  made.push(dir);
  await writeFromReference(dir, 'solution', (file, source) => (file === 'train.ts' ? edit(source) : source));
  return dir;
}

/** A submission whose exported trainMLP is `body`, with the reference's loop available as realTrainMLP(data, options, rng, hooks). */
export function wrappedSubmission(body: string): Promise<string> {
  return editedSubmission((source) => `${source.replace('export function trainMLP(', 'function realTrainMLP(')}
export function trainMLP(data: any, options: any, rng: any, hooks: any = {}): any {
${body}
}
`);
}

/** A training part of the committed fixtures, edited in memory. */
export async function trainingPart(id: string, edit: (part: FixturePart) => void = () => undefined): Promise<FixturePart> {
  const [part] = (await loadFixtures(undefined, [id])).parts;
  edit(part);
  return part;
}

/** Grades one training part of submission `dir`. */
export async function gradePart(dir: string, part: FixturePart): Promise<PartResult> {
  const bundle = await bundleSubmission(dir, [...STUDENT_MODULES]);
  const runner = await SubmissionRunner.start(bundle);
  try {
    return await gradeTrainingPart(runner, part, { data: {}, submission: dir });
  } finally {
    await runner.close();
    await removeBundle(bundle);
  }
}

/** Each case's status and feedback (joined), by check id. */
export function byCheck(part: PartResult): Record<string, { status: string; feedback: string }> {
  return Object.fromEntries(part.cases.map((c) => [c.id, { status: c.status, feedback: c.feedback.join(' ') }]));
}
