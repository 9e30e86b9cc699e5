/**
 * Issue 4, acceptance 5: the report files of one real CLI run (a partly wrong
 * submission, a function that throws, CIFAR-10 not run) are valid documents
 * of their formats and agree with each other.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Ajv } from 'ajv';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GradescopeResults, JsonReport } from '../../grader/report/index.js';
import { applyMistake, MISTAKES } from '../../instructor/mistakes.js';
import { ROOT } from '../../grader/root.js';
import { partFlags, removeTempDirs, replaceBody, runGradeCli, solutionSubmission, tempDir, unitPartIds } from './helpers.js';

const FAILURE_STATUSES = ['failed', 'not_implemented'];
const ERROR_STATUSES = ['error', 'timeout', 'crashed', 'compile_error'];

let json: JsonReport;
let jsonText: string;
let junit: string;
let gradescope: GradescopeResults;
let exitCode: number | undefined;

beforeAll(async () => {
  const transposed = MISTAKES.find((m) => m.id === 'transposed_dW')!;
  const submission = await solutionSubmission((file, source) => {
    const edited = applyMistake(transposed, file, source);
    return file === 'gradcheck.ts' ? replaceBody(edited, 'relError', "  throw new RangeError('relError gave up');") : edited;
  });
  const out = await tempDir('grader-reports-');
  const files = { json: path.join(out, 'r.json'), junit: path.join(out, 'junit.xml'), gradescope: path.join(out, 'gs', 'results.json') };
  const run = await runGradeCli(['--submission', submission, ...partFlags([...await unitPartIds(), 'train_cifar10']),
    '--json', files.json, '--junit', files.junit, '--gradescope', files.gradescope]);
  exitCode = run.exitCode;
  if (run.exitCode !== 1) throw new Error(`grade CLI exited ${run.exitCode}: ${run.stderr}`);
  jsonText = await readFile(files.json, 'utf8');
  json = JSON.parse(jsonText) as JsonReport;
  junit = await readFile(files.junit, 'utf8');
  gradescope = JSON.parse(await readFile(files.gradescope, 'utf8')) as GradescopeResults;
});
afterAll(removeTempDirs);

const allCases = () => json.parts.flatMap((p) => p.cases);

describe('report files of one grading run', () => {
  it('the run lost points (exit 1) in several ways', () => {
    expect(exitCode).toBe(1);
    const statuses = new Set(allCases().map((c) => c.status));
    expect([...statuses].sort()).toEqual(['error', 'failed', 'not_run', 'passed']);
  });

  it('--json validates against json-report.schema.json and adds up', async () => {
    const schema = JSON.parse(await readFile(path.join(ROOT, 'grader/report/json-report.schema.json'), 'utf8')) as object;
    const validate = new Ajv({ allErrors: true }).compile(schema);
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
    expect(json.maxScore).toBe(75); // CIFAR-10 without data is left out of the maximum
    expect(json.score).toBeGreaterThan(0);
    expect(json.score).toBeLessThan(json.maxScore - 5);
    expect(json.notAttempted).toBe(0);
    for (const p of json.parts) {
      expect(Object.keys(p)).toEqual(expect.arrayContaining(['id', 'score', 'maxScore', 'status']));
      expect(p.cases.reduce((s, c) => s + c.score, 0)).toBeCloseTo(p.score, 9);
    }
    expect(json.parts.reduce((s, p) => s + p.score, 0)).toBeCloseTo(json.score, 9);
    const cifar = json.parts.find((p) => p.id === 'train_cifar10')!;
    expect(cifar).toMatchObject({ status: 'not_run', score: 0, maxScore: 0 });
    expect(cifar.notRunReason).toMatch(/^left out of the maximum score: .*--cifar10 PATH/);
    expect(json.parts.find((p) => p.id === 'affine')!.status).toBe('partial');
    expect(json.parts.find((p) => p.id === 'gradcheck')!.cases.find((c) => c.id === 'relError/0')).toMatchObject({
      status: 'error', feedback: [expect.stringMatching(/relError threw RangeError: relError gave up \(at gradcheck\.ts:\d+\)/)],
    });
  });

  it('--junit is well-formed XML whose counts match the cases', () => {
    expect(XMLValidator.validate(junit)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => ['testsuite', 'testcase'].includes(n) }).parse(junit) as {
      testsuites: { tests: string; failures: string; errors: string; skipped?: string; testsuite: { name: string; failures: string; skipped: string; testcase: Record<string, unknown>[] }[] };
    };
    const cases = allCases();
    const count = (statuses: string[]) => cases.filter((c) => statuses.includes(c.status)).length;
    const failed = count(FAILURE_STATUSES);
    expect(failed).toBeGreaterThan(5);
    const root = doc.testsuites;
    expect(Number(root.failures)).toBe(failed);
    expect(Number(root.errors)).toBe(count(ERROR_STATUSES));
    expect(root.skipped).toBeUndefined(); // not on <testsuites> in the Jenkins schema: the suites count it
    expect(root.testsuite.reduce((n, s) => n + Number(s.skipped), 0)).toBe(count(['not_run']));
    expect(Number(root.tests)).toBe(cases.length);
    const testcases = root.testsuite.flatMap((s) => s.testcase);
    expect(testcases.length).toBe(cases.length);
    expect(testcases.filter((t) => 'failure' in t).length).toBe(failed);
    expect(root.testsuite.map((s) => s.name)).toEqual(json.parts.map((p) => p.id));
    for (const s of root.testsuite) {
      const part = json.parts.find((p) => p.id === s.name)!;
      expect(Number(s.failures), s.name).toBe(part.cases.filter((c) => FAILURE_STATUSES.includes(c.status)).length);
    }
  });

  it('--gradescope has the Gradescope keys and its test scores sum to the score', () => {
    expect(gradescope).toMatchObject({ score: json.score, execution_time: expect.any(Number), output: expect.any(String) });
    expect(gradescope.output).toContain('Training: CIFAR-10: not counted: left out of the maximum score');
    // CIFAR-10, left out of the maximum, is no test
    expect(gradescope.tests.length).toBe(allCases().filter((c) => c.maxScore > 0).length);
    for (const t of gradescope.tests) {
      expect(Object.keys(t)).toEqual(expect.arrayContaining(['name', 'score', 'max_score', 'status', 'output', 'visibility']));
      expect(['passed', 'failed']).toContain(t.status);
      expect(['visible', 'hidden', 'after_due_date', 'after_published']).toContain(t.visibility);
      expect(t.score).toBeLessThanOrEqual(t.max_score + 1e-9);
    }
    expect(gradescope.tests.reduce((s, t) => s + t.score, 0)).toBeCloseTo(gradescope.score, 9);
    expect(gradescope.tests.reduce((s, t) => s + t.max_score, 0)).toBeCloseTo(json.maxScore, 9);
    expect(gradescope.tests.filter((t) => t.status === 'failed').length).toBe(allCases().filter((c) => c.status !== 'passed' && c.maxScore > 0).length);
  });
});
