/**
 * What a TA hands back to each student after a batch: the student's report
 * as text and as the same offline HTML page `npm run grade` writes, showing
 * only the parts whose visibility allows it (hidden parts never; parts shown
 * after the due date or after publishing only when released).
 */
import { htmlReport } from '../grader/report/html.js';
import { terminalReport } from '../grader/report/terminal.js';
import type { GradingResults, Visibility } from '../grader/results.js';
import { sumScores } from '../grader/status.js';

/** The visibilities a batch's feedback shows by default: a TA hands feedback back after the due date. */
export const DEFAULT_RELEASED: readonly Visibility[] = ['visible', 'after_due_date'];

/** The results as a student may see them: only released parts, with the totals of those parts and a note of what is left out. */
export function visibleToStudent(results: GradingResults, student: string, released: readonly Visibility[] = DEFAULT_RELEASED): GradingResults {
  const parts = results.parts.filter((p) => released.includes(p.visibility));
  const withheld = results.parts.length - parts.length;
  return {
    ...results,
    submission: student,
    parts,
    score: sumScores(parts.map((p) => p.score)),
    maxScore: parts.reduce((s, p) => s + p.maxScore, 0),
    notAttempted: parts.filter((p) => p.status === 'not_run').reduce((s, p) => s + p.maxScore, 0),
    warnings: withheld > 0 ? [...results.warnings, `${withheld} more part(s) are graded but not shown here yet; the total above counts only the parts shown.`] : results.warnings,
  };
}

/** One student's feedback files: plain text and HTML. */
export function studentFeedback(results: GradingResults, student: string, released?: readonly Visibility[]): { text: string; html: string } {
  const shown = visibleToStudent(results, student, released);
  return { text: terminalReport(shown, { color: false, verbose: true }), html: htmlReport(shown) };
}
