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
 * hidden tests, and those must stay hidden. For the same reason, when any part
 * is not visible the top-level output gives the total of the visible tests
 * only (Gradescope itself hides the total score while tests are hidden).
 * A part left out of the maximum (no data, not required) is no test: the
 * output says why it was not counted.
 */
import type { GradingResults, Visibility } from '../results.js';
import { sumScores } from '../status.js';
import { caseStatusMessage, reportedCases } from './cases.js';
import { trainingSummaryLines } from './training-text.js';
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

/** One leaderboard column value (Gradescope sorts descending unless order is "asc"). */
export interface GradescopeLeaderboardEntry {
  name: string;
  value: number | string;
  order?: 'asc' | 'desc';
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
  leaderboard?: GradescopeLeaderboardEntry[];
}

/** Lines of a part's captured output copied into the top-level output. */
const MAX_OUTPUT_LINES = 40;

/** The grading results as Gradescope's results.json (pretty-printed). */
export function gradescopeReport(results: GradingResults, options: GradescopeOptions = {}): string {
  const tests = counted(results).flatMap((part, i) =>
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
  const leaderboard = leaderboardEntries(results);
  if (leaderboard.length > 0) doc.leaderboard = leaderboard;
  return JSON.stringify(doc, null, 2) + '\n';
}

/** Parts that count towards the maximum (a part without data that is not required has none). */
function counted(results: GradingResults): GradingResults['parts'] {
  return results.parts.filter((p) => !(p.status === 'not_run' && p.maxScore === 0));
}

/** When the students see a part of this visibility, in words. */
const RELEASED: Record<Visibility, string> = {
  visible: 'now',
  after_due_date: 'after the due date',
  after_published: 'when the grades are published',
  hidden: 'only to the course staff',
};

/**
 * The test accuracy of each visible training part, for Gradescope's
 * leaderboard. Hidden parts stay out: the leaderboard is shown at once.
 */
function leaderboardEntries(results: GradingResults): GradescopeLeaderboardEntry[] {
  return results.parts
    .filter((p) => p.visibility === 'visible' && typeof p.artifacts?.accuracy === 'number' && Number.isFinite(p.artifacts.accuracy))
    .map((p) => ({ name: `${cleanText(p.title)} accuracy`, value: Math.round(p.artifacts!.accuracy! * 1e4) / 1e4 }));
}

/**
 * Total (of the visible tests only, when some are not visible), points not
 * attempted, parts left out, each visible training part's accuracy against its
 * threshold and time against its limit, warnings, and the captured output of
 * visible parts.
 */
function summary(results: GradingResults): string {
  const parts = counted(results);
  const visible = parts.filter((p) => p.visibility === 'visible');
  const lines: string[] = [];
  if (visible.length === parts.length) {
    lines.push(`Total: ${formatNumber(results.score)} / ${formatNumber(results.maxScore)}`);
  } else {
    const score = sumScores(visible.map((p) => p.score));
    const max = sumScores(visible.map((p) => p.maxScore));
    lines.push(`Visible tests: ${formatNumber(score)} / ${formatNumber(max)}`);
    const later = new Map<Visibility, number>();
    for (const p of parts) if (p.visibility !== 'visible') later.set(p.visibility, (later.get(p.visibility) ?? 0) + p.maxScore);
    for (const [v, points] of later) lines.push(`Hidden tests: ${formatNumber(sumScores([points]))} more points, results shown ${RELEASED[v]}`);
  }
  for (const p of visible) {
    if (p.status === 'not_run') {
      lines.push(`${p.title}: ${formatNumber(p.maxScore)} points not attempted: ${p.notRunReason ?? 'not run'}`);
    }
  }
  for (const p of results.parts) {
    if (p.status === 'not_run' && p.maxScore === 0 && p.visibility === 'visible') lines.push(`${p.title}: not counted: ${p.notRunReason ?? 'not run'}`);
  }
  const training = trainingSummaryLines(visible);
  if (training.length > 0) lines.push('', 'Training:', ...training);
  if (results.warnings.length > 0) lines.push('', 'Warnings:', ...results.warnings.map((w) => `- ${w}`));
  for (const p of visible) {
    if (p.output.trim() === '') continue;
    const { lines: out, more } = capLines(cleanText(p.output), MAX_OUTPUT_LINES);
    lines.push('', `Output of ${p.title}:`, ...out);
    if (more > 0) lines.push(`… ${more} more ${more === 1 ? 'line' : 'lines'}`);
  }
  return cleanText(lines.join('\n'));
}

/**
 * results.json for a submission that could not be graded by its own fault
 * (no assignment files, a build that fails as a whole): score 0 and the
 * reason, visible to the student so they can fix it and submit again.
 */
export function gradescopeRefusal(reason: string, seconds: number): string {
  const doc: GradescopeResults = {
    score: 0,
    execution_time: Math.round(seconds * 100) / 100,
    output: cleanText(`Your submission could not be graded: ${reason}`),
    output_format: 'text',
    visibility: 'visible',
    stdout_visibility: 'hidden',
    tests: [],
  };
  return JSON.stringify(doc, null, 2) + '\n';
}
