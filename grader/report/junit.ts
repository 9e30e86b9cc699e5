/**
 * JUnit XML, so CI systems (GitLab, Jenkins, GitHub test reporters) can show
 * a grading run: one <testsuite> per part with its points in <properties>, one
 * <testcase> per case with its points in its <system-out> ("points: 1.5/2", where
 * CI reporters show a case's output), the part's captured output in the suite's
 * <system-out>. Times are in seconds. The structure follows the Jenkins JUnit
 * schema (xunit-plugin junit-10.xsd): no <properties> in a <testcase>, no
 * `skipped` attribute on <testsuites>.
 *
 * How case statuses map (a <failure> is a checked answer that is wrong or
 * missing; an <error> is code that could not be checked at all):
 *   failed          -> <failure type="WrongAnswer">
 *   not_implemented -> <failure type="NotImplemented">
 *   error           -> <error type="Error">
 *   timeout         -> <error type="Timeout">
 *   crashed         -> <error type="Crash">
 *   compile_error   -> <error type="CompileError">
 *   not_run         -> <skipped>
 * The element text is the case's feedback followed by its hints.
 */
import type { CaseResult, CaseStatus, GradingResults, PartResult } from '../results.js';
import { caseStatusMessage, reportedCases } from './cases.js';
import { caseLines, cleanText, formatNumber } from './text.js';

type Outcome = { element: 'failure' | 'error'; type: string } | { element: 'skipped' } | null;

const OUTCOMES: Record<CaseStatus, Outcome> = {
  passed: null,
  failed: { element: 'failure', type: 'WrongAnswer' },
  not_implemented: { element: 'failure', type: 'NotImplemented' },
  error: { element: 'error', type: 'Error' },
  timeout: { element: 'error', type: 'Timeout' },
  crashed: { element: 'error', type: 'Crash' },
  compile_error: { element: 'error', type: 'CompileError' },
  not_run: { element: 'skipped' },
};

interface Counts { tests: number; failures: number; errors: number; skipped: number }

/** The grading results as a JUnit XML document. */
export function junitReport(results: GradingResults): string {
  const suites = results.parts.map((p) => ({ part: p, cases: reportedCases(p) }));
  const total = suites.reduce<Counts>((sum, s) => addCounts(sum, count(s.cases)),
    { tests: 0, failures: 0, errors: 0, skipped: 0 });
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    // the schema allows no `skipped` on <testsuites>: the suites carry it
    open('testsuites', { name: results.submission, tests: total.tests, failures: total.failures, errors: total.errors, time: seconds(results.timeMs) }),
    ...suites.flatMap((s) => testsuite(s.part, s.cases, results.startedAt).map((l) => '  ' + l)),
    '</testsuites>',
  ];
  return lines.join('\n') + '\n';
}

function testsuite(part: PartResult, cases: CaseResult[], timestamp: string): string[] {
  const props: Record<string, string> = {
    title: part.title,
    score: formatNumber(part.score),
    max_score: formatNumber(part.maxScore),
    status: part.status,
    visibility: part.visibility,
  };
  if (part.notRunReason !== undefined) props.not_run_reason = part.notRunReason;
  const body = [
    ...properties(props),
    ...cases.flatMap((k) => testcase(k, part.id)),
    ...(part.output === '' ? [] : [`<system-out>${text(part.output)}</system-out>`]),
  ];
  return [
    open('testsuite', { name: part.id, ...count(cases), time: seconds(part.timeMs), timestamp }),
    ...body.map((l) => '  ' + l),
    '</testsuite>',
  ];
}

function testcase(k: CaseResult, classname: string): string[] {
  const body: string[] = [];
  const outcome = OUTCOMES[k.status];
  const details = caseLines(k).join('\n');
  const message = cleanText(k.feedback[0] ?? caseStatusMessage(k.status));
  if (outcome?.element === 'skipped') {
    body.push(`<skipped message="${attr(message)}"${details ? `>${text(details)}</skipped>` : '/>'}`);
  } else if (outcome) {
    body.push(`<${outcome.element} message="${attr(message)}" type="${outcome.type}">` +
      `${text(details || message)}</${outcome.element}>`);
  }
  body.push(`<system-out>points: ${formatNumber(k.score)}/${formatNumber(k.maxScore)}</system-out>`);
  return [
    open('testcase', { name: k.name, classname, time: seconds(k.timeMs) }),
    ...body.map((l) => '  ' + l),
    '</testcase>',
  ];
}

function properties(props: Record<string, string>): string[] {
  return [
    '<properties>',
    ...Object.entries(props).map(([name, value]) => `  <property name="${attr(name)}" value="${attr(value)}"/>`),
    '</properties>',
  ];
}

function count(cases: CaseResult[]): Counts {
  const c = { tests: cases.length, failures: 0, errors: 0, skipped: 0 };
  for (const k of cases) {
    const o = OUTCOMES[k.status];
    if (o?.element === 'failure') c.failures++;
    else if (o?.element === 'error') c.errors++;
    else if (o?.element === 'skipped') c.skipped++;
  }
  return c;
}

function addCounts(a: Counts, b: Counts): Counts {
  return { tests: a.tests + b.tests, failures: a.failures + b.failures, errors: a.errors + b.errors, skipped: a.skipped + b.skipped };
}

function open(name: string, attrs: Record<string, string | number>): string {
  return `<${name} ${Object.entries(attrs).map(([k, v]) => `${k}="${attr(String(v))}"`).join(' ')}>`;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/**
 * Text content: terminal escapes and characters XML 1.0 forbids are removed
 * (C0 controls other than tab/LF/CR, lone surrogates, U+FFFE/U+FFFF), and the
 * five special characters escaped, which also takes care of "]]>".
 */
function text(s: string): string {
  return cleanText(s)
    .replace(/[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** An attribute value: as text, plus quotes, and newlines and tabs as character references so parsers keep them. */
function attr(s: string): string {
  return text(s)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\n/g, '&#10;')
    .replace(/\t/g, '&#9;');
}
