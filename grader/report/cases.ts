/**
 * What a case status means in words, and the list of cases a report shows
 * for a part (a part that has no cases, e.g. CIFAR-10 skipped before its
 * cases were built, stands in as one case so its points and reason still show).
 */
import type { CaseResult, CaseStatus, PartResult, PartStatus } from '../results.js';

const CASE_MESSAGES: Record<CaseStatus, string> = {
  passed: 'passed',
  failed: 'wrong answer',
  not_implemented: 'not implemented yet (threw NotImplementedError)',
  error: 'threw an error',
  timeout: 'timed out',
  crashed: 'the process running the submission crashed',
  compile_error: 'the module does not compile',
  not_run: 'not run',
};

/** One short phrase for a case status, used when a case carries no feedback of its own. */
export function caseStatusMessage(status: CaseStatus): string {
  return CASE_MESSAGES[status];
}

const PART_TO_CASE: Record<PartStatus, CaseStatus> = {
  passed: 'passed',
  partial: 'failed',
  failed: 'failed',
  not_implemented: 'not_implemented',
  not_run: 'not_run',
  error: 'error',
};

/**
 * The cases to report for a part: its own, or, when it has none, one case
 * standing for the whole part (id and name of the part, its score and reason),
 * the way vitest's JUnit reporter reports a file that failed to load.
 */
export function reportedCases(part: PartResult): CaseResult[] {
  if (part.cases.length > 0) return part.cases;
  return [{
    id: part.id,
    name: part.title,
    status: PART_TO_CASE[part.status],
    score: part.score,
    maxScore: part.maxScore,
    feedback: part.notRunReason === undefined ? [] : [part.notRunReason],
    hints: [],
    timeMs: part.timeMs,
  }];
}
