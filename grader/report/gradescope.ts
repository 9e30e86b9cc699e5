/**
 * Gradescope's autograder results.json, per their "Autograder
 * Specifications" (top level score, execution_time, output, output_format,
 * visibility, stdout_visibility, tests[]; each test name, number, score,
 * max_score, status, output, visibility, tags).
 *
 * One test per case, numbered "part.case" from 1, so partial credit shows
 * case by case; a part without cases is one test. Each test keeps its part's
 * visibility. The submission's captured output goes into the top-level output
 * only for parts that are "visible": a submission could print the inputs of
 * hidden tests, and those must stay hidden.
 */
import type { GradingResults, Visibility } from '../results.js';
import { caseStatusMessage, reportedCases } from './cases.js';
import { caseLines, capLines, cleanText, formatNumber } from './text.js';

export interface GradescopeOptions {
  /** Top-level visibility of the results; tests override it with their part's. Default "visible". */
  visibility?: Visibility;
  /** Who sees the stdout of run_autograder. Default "hidden", Gradescope's own default. */
  stdoutVisibility?: Visibility;
}

export interface GradescopeTest {
  name: string;
  number: string;
  score: number;
  max_score: number;
  status: 'passed' | 'failed';
  output: string;
  visibility: Visibility;
  tags: string[];
}

export interface GradescopeResults {
  score: number;
  /** Seconds. */
  execution_time: number;
  output: string;
  output_format: 'text';
  visibility: Visibility;
  stdout_visibility: Visibility;
  tests: GradescopeTest[];
}

/** Lines of a part's captured output copied into the top-level output. */
const MAX_OUTPUT_LINES = 40;

/** The grading results as Gradescope's results.json (pretty-printed). */
export function gradescopeReport(results: GradingResults, options: GradescopeOptions = {}): string {
  const tests = results.parts.flatMap((part, i) =>
    reportedCases(part).map((k, j): GradescopeTest => {
      const lines = caseLines(k);
      if (k.status !== 'passed' && k.feedback.length === 0) lines.unshift(caseStatusMessage(k.status));
      return {
        name: part.cases.length === 0 ? cleanText(part.title) : `${cleanText(part.title)}: ${cleanText(k.name)}`,
        number: `${i + 1}.${j + 1}`,
        score: k.score,
        max_score: k.maxScore,
        status: k.status === 'passed' ? 'passed' : 'failed',
        output: lines.join('\n'),
        visibility: part.visibility,
        tags: [part.id],
      };
    }));
  const doc: GradescopeResults = {
    score: results.score,
    execution_time: Math.round(results.timeMs / 10) / 100,
    output: summary(results),
    output_format: 'text',
    visibility: options.visibility ?? 'visible',
    stdout_visibility: options.stdoutVisibility ?? 'hidden',
    tests,
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

/** Total, points not attempted, warnings, and the captured output of visible parts. */
function summary(results: GradingResults): string {
  const lines = [`Total: ${formatNumber(results.score)} / ${formatNumber(results.maxScore)}`];
  for (const p of results.parts) {
    if (p.status === 'not_run') {
      lines.push(`${p.title}: ${formatNumber(p.maxScore)} points not attempted: ${p.notRunReason ?? 'not run'}`);
    }
  }
  if (results.warnings.length > 0) lines.push('', 'Warnings:', ...results.warnings.map((w) => `- ${w}`));
  for (const p of results.parts) {
    if (p.visibility !== 'visible' || p.output.trim() === '') continue;
    const { lines: out, more } = capLines(cleanText(p.output), MAX_OUTPUT_LINES);
    lines.push('', `Output of ${p.title}:`, ...out);
    if (more > 0) lines.push(`… ${more} more ${more === 1 ? 'line' : 'lines'}`);
  }
  return cleanText(lines.join('\n'));
}
