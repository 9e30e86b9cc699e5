/**
 * The report formats by name (the vitest reporters habit): each is a pure
 * function of the GradingResults, so a CLI flag like `--reporter junit`
 * picks one and writes what it returns. The gradebook CSV is not here: it
 * reports many submissions at once, not one.
 */
import type { GradingResults } from '../results.js';
import { gradescopeReport, type GradescopeOptions } from './gradescope.js';
import { htmlReport } from './html.js';
import { jsonReport } from './json.js';
import { junitReport } from './junit.js';
import { markdownReport } from './markdown.js';
import { terminalReport, type TerminalOptions } from './terminal.js';

/** The options each named format takes. */
export interface ReporterOptions {
  terminal: Partial<TerminalOptions>;
  json: undefined;
  junit: undefined;
  gradescope: GradescopeOptions;
  html: undefined;
  markdown: undefined;
}

export type ReporterName = keyof ReporterOptions;

/** A report format: results (and its options) in, the file's text out. */
export type Reporter<O> = (results: GradingResults, options?: O) => string;

/** Every report format for one submission, by name. */
export const reporters: { [N in ReporterName]: Reporter<ReporterOptions[N]> } = {
  terminal: terminalReport,
  json: jsonReport,
  junit: junitReport,
  gradescope: gradescopeReport,
  html: htmlReport,
  markdown: markdownReport,
};

/** The format names, for a CLI's help text and its error message on an unknown name. */
export const reporterNames = Object.keys(reporters) as ReporterName[];

/** Whether a user-given string names a format. */
export function isReporterName(name: string): name is ReporterName {
  return Object.hasOwn(reporters, name);
}

export { terminalReport, type TerminalOptions } from './terminal.js';
export { jsonReport, JSON_REPORT_SCHEMA_URL, type JsonReport, type JsonReportPart, type JsonReportCase } from './json.js';
export { junitReport } from './junit.js';
export { gradescopeReport, type GradescopeOptions, type GradescopeResults, type GradescopeTest } from './gradescope.js';
export { gradebookCsv, type GradebookRow } from './csv.js';
export { htmlReport } from './html.js';
export { markdownReport } from './markdown.js';
