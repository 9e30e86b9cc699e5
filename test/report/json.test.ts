import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { JSON_REPORT_SCHEMA_URL, jsonReport, type JsonReport } from '../../grader/report/json.js';
import { HOSTILE_OUTPUT, sampleResults } from './sample-results.js';

const schema = JSON.parse(readFileSync(JSON_REPORT_SCHEMA_URL, 'utf8')) as object;
const validate = new Ajv({ allErrors: true }).compile(schema);

describe('jsonReport', () => {
  it('validates against its JSON Schema', () => {
    const doc = JSON.parse(jsonReport(sampleResults())) as unknown;
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
  });

  it('has a schema strict enough to reject a wrong document', () => {
    const doc = JSON.parse(jsonReport(sampleResults())) as JsonReport;
    const withBadStatus = { ...doc, parts: [{ ...doc.parts[0], status: 'ok' }] };
    expect(validate(withBadStatus)).toBe(false);
    const withExtraKey = { ...doc, artifacts: {} };
    expect(validate(withExtraKey)).toBe(false);
    const { score: _dropped, ...withoutScore } = doc;
    expect(validate(withoutScore)).toBe(false);
  });

  it('keeps the numbers, statuses and text of the results, and no artifacts', () => {
    const doc = JSON.parse(jsonReport(sampleResults())) as JsonReport;
    expect(doc.schemaVersion).toBe(2);
    expect([doc.score, doc.maxScore, doc.notAttempted]).toEqual([33.5, 65, 10]);
    expect(doc.parts.map((p) => p.status)).toEqual(
      ['passed', 'partial', 'not_implemented', 'failed', 'error', 'passed', 'not_run']);
    const layers = doc.parts[1];
    expect(layers.output).toBe(HOSTILE_OUTPUT);
    expect(layers.cases[3]).toEqual({
      id: 'affine_backward/1', name: 'affineBackward: batch of one', status: 'failed', score: 0.5, maxScore: 1,
      feedback: ['dX is right; dW is wrong', 'worst element dW[2,1]: relative error 0.75'],
      hints: ['Did you forget the 1/N? The loss is the batch mean.'], timeMs: 5,
    });
    expect(doc.parts[6].notRunReason).toMatch(/^no CIFAR-10 data/);
    expect('notRunReason' in doc.parts[0]).toBe(false);
    expect('artifacts' in doc.parts[5]).toBe(false);
  });

  it('matches the snapshot (times blanked)', async () => {
    const text = jsonReport(sampleResults())
      .replace(/"timeMs": \d+(\.\d+)?/g, '"timeMs": 0')
      .replace(/"startedAt": "[^"]*"/, '"startedAt": "<time>"');
    await expect(text).toMatchFileSnapshot('__snapshots__/report.json');
  });
});
