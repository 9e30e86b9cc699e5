/**
 * Every report format shows a training part's test accuracy against its
 * threshold and its main run's time against its limit (with the warning past
 * half of it), and the JSON Schema describes the new fields strictly.
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { htmlReport } from '../../grader/report/html.js';
import { JSON_REPORT_SCHEMA_URL, jsonReport, type JsonReport } from '../../grader/report/json.js';
import { terminalReport } from '../../grader/report/terminal.js';
import type { GradingResults } from '../../grader/results.js';
import { sampleResults } from './sample-results.js';

/** The sample with its MNIST part short of the threshold, timed on the wall clock. */
function shortOfThreshold(): GradingResults {
  const results = sampleResults();
  const mnist = results.parts.find((p) => p.id === 'mnist')!;
  mnist.training = { accuracy: 0.871, threshold: 0.9, limitSec: 300, clock: 'wall', usedSec: 41.25, wallSec: 41.25, notes: ['note: the CPU time cannot be read here'] };
  return results;
}

describe('training measures in the reports', () => {
  it('the terminal shows accuracy against threshold and time against limit for the parts that ran, verbose adds the wall time', () => {
    const text = terminalReport(sampleResults());
    expect(text).toContain('Training:\n  mnist: test accuracy 0.9300, threshold 0.9: reached; main run 8.2 s of CPU time, limit 15 s\n    warning: this run used 8.2 s');
    expect(text).not.toMatch(/cifar10: /);
    expect(terminalReport(sampleResults(), { verbose: true })).toContain('limit 15 s (9.0 s of wall time)');
    expect(terminalReport(shortOfThreshold())).toContain('  mnist: test accuracy 0.8710, threshold 0.9: 2.9 percentage points short; main run 41.3 s of wall time, limit 300 s\n    note: the CPU time cannot be read here');
  });

  it('the JSON report carries them in the part, and its schema (version 2) accepts them and rejects a wrong clock', () => {
    const validate = new Ajv({ allErrors: true }).compile(JSON.parse(readFileSync(JSON_REPORT_SCHEMA_URL, 'utf8')) as object);
    const doc = JSON.parse(jsonReport(shortOfThreshold())) as JsonReport;
    expect(doc.schemaVersion).toBe(2);
    const mnist = doc.parts.find((p) => p.id === 'mnist')!;
    expect(mnist.training).toEqual({ accuracy: 0.871, threshold: 0.9, limitSec: 300, clock: 'wall', usedSec: 41.25, wallSec: 41.25, notes: ['note: the CPU time cannot be read here'] });
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    const wrong = { ...doc, parts: doc.parts.map((p) => (p.id === 'mnist' ? { ...p, training: { ...p.training, clock: 'gpu' } } : p)) };
    expect(validate(wrong)).toBe(false);
    expect('training' in doc.parts[0]).toBe(false);
  });

  it('the HTML report shows them in the part', () => {
    const html = htmlReport(sampleResults());
    expect(html).toContain('<p class="measures">test accuracy 0.9300, threshold 0.9: reached; main run 8.2 s of CPU time, limit 15 s (9.0 s of wall time).</p><ul class="time-notes"><li>warning: this run used 8.2 s');
  });
});
