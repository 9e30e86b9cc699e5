/**
 * Our own machine-readable report: the grading results minus the pictures
 * (artifacts belong to the HTML report), with a schema version so that tools
 * reading it can tell when it changes. Described by json-report.schema.json.
 */
import type { CaseStatus, GradingResults, PartStatus, TrainingMeasures, Visibility } from '../results.js';
import type { IsolationRecord } from '../sandbox/layers.js';

/** Where the JSON Schema of this format lives, for tools that validate a report. */
export const JSON_REPORT_SCHEMA_URL = new URL('./json-report.schema.json', import.meta.url);

/** The document jsonReport writes (schemaVersion 2: adds `isolation`, and parts gained `training`); times in milliseconds unless named Sec. */
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
  /** Training parts: test accuracy against threshold, main run's time (seconds) against its limit. */
  training?: TrainingMeasures;
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
      ...(p.training === undefined ? {} : { training: trainingFields(p.training) }),
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

/** A training part's measures in a fixed key order, optional ones only when present. */
function trainingFields(t: TrainingMeasures): TrainingMeasures {
  return {
    ...(t.accuracy === undefined ? {} : { accuracy: t.accuracy }),
    threshold: t.threshold,
    limitSec: t.limitSec,
    ...(t.clock === undefined ? {} : { clock: t.clock }),
    ...(t.usedSec === undefined ? {} : { usedSec: t.usedSec }),
    ...(t.wallSec === undefined ? {} : { wallSec: t.wallSec }),
    notes: [...t.notes],
  };
}
