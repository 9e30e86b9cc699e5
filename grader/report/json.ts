/**
 * Our own machine-readable report: the grading results minus the pictures
 * (artifacts belong to the HTML report), with a schema version so that tools
 * reading it can tell when it changes. Described by json-report.schema.json.
 */
import type { CaseStatus, GradingResults, PartStatus, Visibility } from '../results.js';
import type { IsolationRecord } from '../sandbox/layers.js';

/** Where the JSON Schema of this format lives, for tools that validate a report. */
export const JSON_REPORT_SCHEMA_URL = new URL('./json-report.schema.json', import.meta.url);

/** The document jsonReport writes (schemaVersion 2: adds `isolation`); times in milliseconds. */
export interface JsonReport {
  schemaVersion: 2;
  score: number;
  maxScore: number;
  notAttempted: number;
  timeMs: number;
  startedAt: string;
  submission: string;
  fixtures: { version: string; seed: string; hidden: boolean };
  isolation: IsolationRecord;
  warnings: string[];
  parts: JsonReportPart[];
}

export interface JsonReportPart {
  id: string;
  title: string;
  score: number;
  maxScore: number;
  status: PartStatus;
  visibility: Visibility;
  timeMs: number;
  notRunReason?: string;
  output: string;
  cases: JsonReportCase[];
}

export interface JsonReportCase {
  id: string;
  name: string;
  status: CaseStatus;
  score: number;
  maxScore: number;
  feedback: string[];
  hints: string[];
  timeMs: number;
}

/** The grading results as our documented JSON (pretty-printed, fixed key order). */
export function jsonReport(results: GradingResults): string {
  const report: JsonReport = {
    schemaVersion: 2,
    score: results.score,
    maxScore: results.maxScore,
    notAttempted: results.notAttempted,
    timeMs: results.timeMs,
    startedAt: results.startedAt,
    submission: results.submission,
    fixtures: { version: results.fixtures.version, seed: results.fixtures.seed, hidden: results.fixtures.hidden },
    isolation: { strict: results.isolation.strict, layers: results.isolation.layers.map((l) => ({ id: l.id, active: l.active, detail: l.detail })) },
    warnings: [...results.warnings],
    parts: results.parts.map((p) => ({
      id: p.id,
      title: p.title,
      score: p.score,
      maxScore: p.maxScore,
      status: p.status,
      visibility: p.visibility,
      timeMs: p.timeMs,
      ...(p.notRunReason === undefined ? {} : { notRunReason: p.notRunReason }),
      output: p.output,
      cases: p.cases.map((k) => ({
        id: k.id,
        name: k.name,
        status: k.status,
        score: k.score,
        maxScore: k.maxScore,
        feedback: [...k.feedback],
        hints: [...k.hints],
        timeMs: k.timeMs,
      })),
    })),
  };
  return JSON.stringify(report, null, 2) + '\n';
}
