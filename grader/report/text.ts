/**
 * Small text helpers the report formats share: how a number is printed, how
 * untrusted text (the submission's output, compiler messages) is made safe to
 * show, and how a case's feedback and hints become lines.
 */
import { stripVTControlCharacters } from 'node:util';
import type { CaseResult, CaseStatus, PartStatus } from '../results.js';

/** Up to two decimals without trailing zeros ("3.5", "10", "0.33"), so points read the same in every format. */
export function formatNumber(n: number): string {
  const rounded = Math.round(n * 100) / 100;
  return String(rounded === 0 ? 0 : rounded); // no "-0"
}

/** Milliseconds as a short duration ("850ms", "1.23s") for people to read. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)}ms` : `${formatNumber(ms / 1000)}s`;
}

/**
 * Text from outside the grader with terminal escapes and control characters
 * removed (tabs and newlines kept, CRLF made LF): a submission must not be
 * able to recolour, clear or rewrite the report it is shown in.
 */
export function cleanText(text: string): string {
  return stripVTControlCharacters(text)
    .replace(/\r\n?/g, '\n')
    .replace(/[\x00-\x08\x0B-\x1F\x7F-\x9F]/g, '');
}

/** A case's feedback lines followed by its hints, each hint prefixed "hint: ". */
export function caseLines(c: Pick<CaseResult, 'feedback' | 'hints'>): string[] {
  return [...c.feedback, ...c.hints.map((h) => `hint: ${h}`)].map(cleanText);
}

/** At most `max` lines of text, and how many were left out; a trailing newline does not count as a line. */
export function capLines(text: string, max: number): { lines: string[]; more: number } {
  const all = text.replace(/\n$/, '').split('\n');
  return { lines: all.slice(0, max), more: Math.max(0, all.length - max) };
}

/** What every report calls each part status. */
export const PART_LABELS: Record<PartStatus, string> = {
  passed: 'PASS',
  partial: 'PARTIAL',
  failed: 'FAIL',
  not_implemented: 'NOT IMPLEMENTED',
  not_run: 'NOT RUN',
  error: 'ERROR',
};

/** What every report calls each case status. */
export const CASE_LABELS: Record<CaseStatus, string> = {
  passed: 'PASS',
  failed: 'FAIL',
  not_implemented: 'NOT IMPLEMENTED',
  error: 'ERROR',
  timeout: 'TIMEOUT',
  crashed: 'CRASHED',
  compile_error: 'COMPILE ERROR',
  not_run: 'NOT RUN',
};
