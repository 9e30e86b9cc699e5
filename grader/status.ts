/** How a part's cases add up to the part's status. */
import type { CaseResult, PartResult, PartStatus } from './results.js';

export function partStatus(cases: CaseResult[]): PartStatus {
  if (cases.length === 0) return 'not_run';
  if (cases.every((c) => c.status === 'passed')) return 'passed';
  if (cases.every((c) => c.status === 'not_run')) return 'not_run';
  if (cases.every((c) => c.status === 'not_implemented')) return 'not_implemented';
  if (cases.some((c) => c.status === 'passed')) return 'partial';
  if (cases.every((c) => c.status === 'compile_error' || c.status === 'crashed' || c.status === 'error' || c.status === 'timeout')) return 'error';
  return 'failed';
}

/**
 * Adds points. Case shares like 15 * 3/23 do not add back up exactly in
 * floating point (15.000000000000004), so a sum within 1e-9 of a multiple of
 * 1e-6 is snapped to it: full marks read 15 in every report, and true
 * fractions such as 10/3 are left alone.
 */
export function sumScores(scores: readonly number[]): number {
  const sum = scores.reduce((s, x) => s + x, 0);
  const snapped = Math.round(sum * 1e6) / 1e6;
  return Math.abs(snapped - sum) < 1e-9 ? snapped : sum;
}

/**
 * A part not run because its data is not on this machine (CIFAR-10 without
 * the data) counts towards the maximum only when the instructor requires it:
 * otherwise its points are left out, so a correct submission has full marks.
 * Other parts are returned unchanged.
 */
export function countedPart(part: PartResult, requiredParts: readonly string[] = []): PartResult {
  if (part.status !== 'not_run' || part.notRunReason === undefined || requiredParts.includes(part.id)) return part;
  return {
    ...part,
    maxScore: 0,
    score: 0,
    cases: part.cases.map((c) => ({ ...c, score: 0, maxScore: 0 })),
    notRunReason: `left out of the maximum score: ${part.notRunReason}`,
  };
}
