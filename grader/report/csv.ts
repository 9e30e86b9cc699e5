/**
 * The gradebook CSV of a batch run: one row per student, one column per part,
 * the total, the maximum and a status, readable by a spreadsheet and by an
 * LMS import (RFC 4180: CRLF line ends, fields quoted when they must be).
 */
import type { GradingResults } from '../results.js';
import { cleanText, formatNumber } from './text.js';

/** One student's outcome: their results, or null and why they could not be graded. */
export interface GradebookRow {
  student: string;
  results: GradingResults | null;
  error?: string;
  /** Cells of the extra columns (name, late, fixtures...), by column name. */
  extra?: Record<string, string>;
}

/**
 * The gradebook as CSV. Part columns are the union of part ids in first-seen
 * order; a student without a part (or without results) gets an empty cell.
 * Status is "graded", or the error that kept the submission from being graded;
 * `extraColumns` follow it, filled from each row's `extra`.
 */
export function gradebookCsv(rows: GradebookRow[], extraColumns: readonly string[] = []): string {
  const partIds = [...new Set(rows.flatMap((r) => r.results?.parts.map((p) => p.id) ?? []))];
  const table = [['student', ...partIds, 'total', 'max', 'status', ...extraColumns]];
  for (const { student, results, error, extra } of rows) {
    const scores = new Map(results?.parts.map((p) => [p.id, formatNumber(p.score)]) ?? []);
    table.push([
      student,
      ...partIds.map((id) => scores.get(id) ?? ''),
      results ? formatNumber(results.score) : '',
      results ? formatNumber(results.maxScore) : '',
      error !== undefined ? cleanText(error) : results ? 'graded' : 'not graded',
      ...extraColumns.map((c) => extra?.[c] ?? ''),
    ]);
  }
  return csvTable(table);
}

/** Rows of fields as RFC 4180 CSV (CRLF line ends), every field guarded against formula injection. */
export function csvTable(rows: readonly (readonly string[])[]): string {
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/**
 * RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. A text
 * that a spreadsheet would run as a formula (=, +, -, @ first) gets a leading apostrophe;
 * numbers are left as they are.
 */
function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) && !/^-?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
