/**
 * The grade files an LMS imports: Canvas's gradebook import (built from the
 * course's own gradebook export, which holds the ids and the assignment
 * column Canvas needs) and Moodle's offline grading worksheet. Both are
 * written with the gradebook's CSV writer, so no cell can run as a formula.
 */
import { parse } from 'csv-parse/sync';
import { csvTable } from '../grader/report/csv.js';
import { formatNumber } from '../grader/report/text.js';

/** A graded student, as the LMS files need them. */
export interface LmsGrade {
  /** The LMS's user id (Canvas's "ID", Moodle's participant number). */
  id: string;
  name?: string;
  email?: string;
  /** Points, or undefined when the student could not be graded (the cell stays empty). */
  score?: number;
  maxScore?: number;
  /** One line for the feedback column. */
  comment?: string;
}

/** A Canvas export that cannot be used, with the reason in one line. */
export class LmsFileError extends Error {
  override name = 'LmsFileError';
}

/** The columns Canvas needs to match a row to a student; the rest of its export is dropped. */
const CANVAS_ID_COLUMNS = ['Student', 'ID', 'SIS User ID', 'SIS Login ID', 'Section'];

/**
 * Canvas's import file: the identifying columns of `exportCsv` (a gradebook
 * export from Canvas) and one assignment column, the one whose header
 * contains `assignment` (or the only assignment column when not given), its
 * cells filled from `grades` by Canvas user id. Rows of students without a
 * grade keep the export's value; the "Points Possible" row is kept.
 */
export function canvasImportCsv(exportCsv: string, grades: LmsGrade[], assignment?: string): { csv: string; column: string; matched: number; unknown: string[] } {
  let rows: string[][];
  try {
    rows = parse(exportCsv.replace(/^\uFEFF/, ''), { relax_column_count: true, skip_empty_lines: true }) as string[][];
  } catch (cause) {
    throw new LmsFileError(`the Canvas gradebook export is not readable CSV (${(cause as Error).message})`, { cause });
  }
  const header = rows[0] ?? [];
  const missing = CANVAS_ID_COLUMNS.filter((c) => !header.includes(c) && c !== 'SIS Login ID');
  if (missing.length > 0) throw new LmsFileError(`the Canvas gradebook export has no ${missing.join(', ')} column: export it from Canvas's gradebook (Export > Export Entire Gradebook)`);
  const assignmentColumns = header.filter((h) => /\(\d+\)\s*$/.test(h));
  const wanted = assignment === undefined ? assignmentColumns : assignmentColumns.filter((h) => h.includes(assignment));
  if (wanted.length !== 1) {
    const which = assignment === undefined ? 'say which with --canvas-assignment NAME' : `"${assignment}" matches ${wanted.length}`;
    throw new LmsFileError(`the Canvas gradebook export has ${assignmentColumns.length} assignment columns (${assignmentColumns.join('; ')}): ${which}`);
  }
  const column = wanted[0];
  const keep = [...CANVAS_ID_COLUMNS.filter((c) => header.includes(c)), column].map((c) => header.indexOf(c));
  const byId = new Map(grades.map((g) => [g.id, g]));
  const idAt = header.indexOf('ID');
  const seen = new Set<string>();
  const out = [keep.map((i) => header[i])];
  for (const row of rows.slice(1)) {
    const grade = byId.get(row[idAt] ?? '');
    const cells = keep.map((i) => row[i] ?? '');
    if (grade && grade.score !== undefined) {
      cells[cells.length - 1] = formatNumber(grade.score);
      seen.add(grade.id);
    }
    out.push(cells);
  }
  const unknown = grades.filter((g) => g.score !== undefined && !seen.has(g.id)).map((g) => g.id);
  return { csv: csvTable(out), column, matched: seen.size, unknown };
}

/** Moodle's offline grading worksheet, as its "Download grading worksheet" names the columns; it matches rows by Identifier. */
export function moodleWorksheetCsv(grades: LmsGrade[]): string {
  const header = ['Identifier', 'Full name', 'Email address', 'Status', 'Grade', 'Maximum Grade', 'Grade can be changed', 'Last modified (submission)', 'Last modified (grade)', 'Feedback comments'];
  const rows = grades.map((g) => [
    `Participant ${g.id}`, g.name ?? '', g.email ?? '', g.score === undefined ? 'Not graded' : 'Graded',
    g.score === undefined ? '' : formatNumber(g.score), g.maxScore === undefined ? '' : formatNumber(g.maxScore), 'Yes', '', '', g.comment ?? '',
  ]);
  return csvTable([header, ...rows]);
}
