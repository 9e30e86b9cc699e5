/**
 * A Markdown summary of a grading run, for CI job pages (GitHub's
 * `$GITHUB_STEP_SUMMARY`, a merge-request comment): the total, a table of the
 * parts, each training part's accuracy and time against its threshold and limit,
 * and what went wrong in each part that lost points, with identical
 * "not implemented" cases folded into one line per function.
 */
import type { GradingResults, PartResult } from '../results.js';
import { reportedCases } from './cases.js';
import { foldNotImplemented } from './fold.js';
import { CASE_LABELS, PART_LABELS, caseLines, cleanText, formatNumber } from './text.js';
import { trainingSummaryLines } from './training-text.js';

/** Failing entries listed per part; the rest are counted. */
const MAX_ENTRIES = 8;

/** Text safe inside a Markdown table cell or list item: no HTML, no table pipes, one line. */
function md(text: string): string {
  return cleanText(text)
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|#])/g, '\\$1')
    .replace(/\s*\n\s*/g, ' ');
}

const ICONS: Record<PartResult['status'], string> = {
  passed: '✅', partial: '🟡', failed: '❌', not_implemented: '⬜', not_run: '⏭️', error: '❌',
};

function details(part: PartResult): string[] {
  const failing = reportedCases(part).filter((c) => c.status !== 'passed');
  if (failing.length === 0) return [];
  const shown = foldNotImplemented(failing);
  const lines = shown.slice(0, MAX_ENTRIES).map((c) => {
    const why = caseLines(c)[0];
    return `- **${CASE_LABELS[c.status]}** ${md(c.name)} (${formatNumber(c.score)}/${formatNumber(c.maxScore)})${why ? `: ${md(why)}` : ''}`;
  });
  if (shown.length > MAX_ENTRIES) lines.push(`- ... and ${shown.length - MAX_ENTRIES} more (see the HTML report)`);
  return [`<details><summary>${md(part.id)}: ${formatNumber(part.score)}/${formatNumber(part.maxScore)}</summary>`, '', ...lines, '', '</details>'];
}

/** The grading results as GitHub-flavoured Markdown. */
export function markdownReport(results: GradingResults): string {
  const out = [
    `## Grade: ${formatNumber(results.score)} / ${formatNumber(results.maxScore)}`,
    '',
  ];
  if (results.notAttempted > 0) out.push(`${formatNumber(results.notAttempted)} points not attempted (parts that need data this run did not have).`, '');
  out.push('| | Part | Title | Status | Points |', '|---|---|---|---|---:|');
  for (const p of results.parts) {
    out.push(`| ${ICONS[p.status]} | \`${md(p.id).replace(/\\/g, '')}\` | ${md(p.title)} | ${PART_LABELS[p.status]} | ${formatNumber(p.score)}/${formatNumber(p.maxScore)} |`);
  }
  const training = trainingSummaryLines(results.parts);
  if (training.length) out.push('', '### Training', '', ...training.map((l) => (l.startsWith('  ') ? `  - ${md(l.trim())}` : `- ${md(l)}`)));
  const lost = results.parts.flatMap(details);
  if (lost.length) out.push('', '### What to fix', '', ...lost);
  if (results.warnings.length) out.push('', '### Warnings', '', ...results.warnings.map((w) => `- ${md(w)}`));
  return `${out.join('\n')}\n`;
}
