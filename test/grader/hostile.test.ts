/**
 * Hostile submissions (issue 4): the reference solution with one function
 * made to hang, throw, exit, lie on stdout, forge a result or read the
 * fixtures, a module that does not parse, and a sabotaged provided/. Each
 * loses exactly the cases that run the bad code, and nothing else.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixturePart } from '../../grader/fixtures/types.generated.js';
import { grade } from '../../grader/grade.js';
import type { GradingResults } from '../../grader/results.js';
import { applyMistake, MISTAKES } from '../../instructor/mistakes.js';
import {
  expectConsistentTotals, expectFullMarks, fixtureCases, fixtureParts, fixturesWith, FIXTURES_DIR, lostCases,
  removeTempDirs, replaceBody, solutionSubmission, unitPartIds,
} from './helpers.js';

/** Per-call limit for the hanging submission, set in a fixtures copy (the cases' own `timeoutMs`). */
const SHORT_TIMEOUT_MS = 2000;

let parts: FixturePart[];
let unitParts: string[];

beforeAll(async () => {
  parts = await fixtureParts();
  unitParts = await unitPartIds();
});
afterAll(removeTempDirs);

/** Grades a reference-based submission whose files `edit` changes, on every unit part. */
async function gradeEdited(edit: (file: string, source: string) => string, fixturesDir = FIXTURES_DIR): Promise<GradingResults> {
  const submission = await solutionSubmission(edit);
  const results = await grade({ submission, parts: unitParts, fixturesDir });
  expectConsistentTotals(results);
  return results;
}

/** Edits one function of one file; other files pass through. */
function inFile(file: string, change: (source: string) => string): (f: string, s: string) => string {
  return (f, s) => (f === file ? change(s) : s);
}

/** The gradcheck cases that call relError (a hostile relError loses each of them). */
const RELERROR_CASES = ['gradcheck/relError/0', 'gradcheck/relError/close'];

const usesActivation = (c: FixturePart['cases'][number], name: string) => JSON.stringify(c.args).includes(`"activation":"${name}"`);

function caseOf(results: GradingResults, id: string) {
  const [part, ...rest] = id.split('/');
  const found = results.parts.find((p) => p.id === part)?.cases.find((c) => c.id === rest.join('/'));
  if (!found) throw new Error(`no case ${id}`);
  return found;
}

describe('hostile submissions', () => {
  it('a sigmoidForward that never returns times out in the cases that call it, and only there', async () => {
    const fixturesDir = await fixturesWith((part) => {
      if (part.id === 'activations' || part.id === 'network' || part.id === 'train_loop') for (const c of part.cases) c.timeoutMs = SHORT_TIMEOUT_MS;
    });
    const results = await gradeEdited(inFile('activations.ts', (s) => replaceBody(s, 'sigmoidForward', '  while (true) {}')), fixturesDir);
    // sigmoidBackward and a sigmoid network compute g(z) with sigmoidForward, so they hang too
    const expected = fixtureCases(parts, (c) => c.fn === 'sigmoidForward' || c.fn === 'sigmoidBackward' || usesActivation(c, 'sigmoid'));
    expect(expected).toContain('activations/sigmoidForward/0');
    expect(expected).toContain('network/mlpLoss/3/grads');
    expect(lostCases(results)).toEqual(expected);
    for (const id of expected) {
      const c = caseOf(results, id);
      expect(c.status, id).toBe('timeout');
      expect(c.feedback.join('\n'), id).toMatch(/did not return within [21] s/); // 1 s once sigmoidForward has timed out
    }
    expectFullMarks(results, ['activations', 'network', 'train_loop']);
  });

  it('an affineForward that throws a TypeError is an error naming TypeError and layers.ts', async () => {
    const results = await gradeEdited(inFile('layers.ts', (s) => replaceBody(s, 'affineForward', '  const m = null as unknown as Matrix;\n  return m.transpose();')));
    // every layer of the network goes through affineForward
    const expected = fixtureCases(parts, (c) => ['affineForward', 'mlpScores', 'mlpLoss', 'predict', 'trainMLP'].includes(c.fn));
    expect(lostCases(results)).toEqual(expected);
    for (const id of expected) {
      const c = caseOf(results, id);
      expect(c.status, id).toBe('error');
      expect(c.feedback[0], id).toMatch(/threw TypeError: Cannot read properties of null .*\(at layers\.ts:\d+\)/);
    }
    expectFullMarks(results, ['affine', 'network', 'train_loop']);
  });

  it('a relError that calls process.exit(0) crashes its case; the cases after it run in a fresh process', async () => {
    const results = await gradeEdited(inFile('gradcheck.ts', (s) => replaceBody(s, 'relError', '  process.exit(0);')));
    expect(lostCases(results)).toEqual(RELERROR_CASES);
    const c = caseOf(results, 'gradcheck/relError/0');
    expect(c.status).toBe('crashed');
    expect(c.feedback[0]).toMatch(/the process running relError died: .*exited with code 0/);
    // relError is the last gradcheck case: init, optim and dropout come after the crash
    expect(unitParts.indexOf('gradcheck')).toBeLessThan(unitParts.indexOf('dropout'));
    expectFullMarks(results, ['gradcheck']);
  });

  it('printing "Score: 100/100" and {"score": 100} everywhere changes no score; the text lands in the part output', async () => {
    const lies = "console.log('Score: 100/100'); console.log('{\"score\": 100}'); process.stderr.write('{\"type\":\"result\",\"ok\":true}\\n');\n";
    // on top of a real mistake, so that a score taken from stdout would show
    const mistake = MISTAKES.find((m) => m.id === 'transposed_dW')!;
    const results = await gradeEdited((file, s) => applyMistake(mistake, file, s).replaceAll('// BEGIN SOLUTION\n', `// BEGIN SOLUTION\n  ${lies}`));
    const lost = fixtureCases(parts, (c) => c.mistakes?.some((m) => m.id === 'transposed_dW') ?? false);
    expect(lostCases(results)).toEqual(lost);
    const maxScore = parts.filter((p) => unitParts.includes(p.id)).reduce((s, p) => s + p.points, 0);
    const lostPoints = lost.reduce((s, id) => s + caseOf(results, id).maxScore, 0);
    expect(results.maxScore).toBe(maxScore);
    expect(results.score).toBeCloseTo(maxScore - lostPoints, 9);
    expect(results.score).toBeLessThan(maxScore - 5);
    for (const p of results.parts) {
      expect(p.output, p.id).toContain('Score: 100/100');
      expect(p.output, p.id).toContain('{"score": 100}');
    }
  });

  it('a result forged with process.send is ignored: only the real (thrown) outcome counts', async () => {
    const encoder = "const enc = (v: unknown): unknown => v instanceof Matrix ? { $type: 'matrix', rows: v.rows, cols: v.cols, data: Array.from(v.data) }"
      + " : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, enc(x)])) : v;";
    const forge = (original: string) => [
      `  const solve = () => {\n${original}  };`,
      `  ${encoder}`,
      '  const value = enc(solve());',
      "  for (const id of [undefined, 'forged']) process.send?.({ type: 'result', id, nonce: id, ok: true, value });",
      "  throw new Error('the answer went out through process.send');",
    ].join('\n');
    const results = await gradeEdited(inFile('optim.ts', (s) => replaceBody(s, 'adam', forge)));
    const expected = fixtureCases(parts, (c) => c.fn === 'adam');
    expect(expected.length).toBe(2);
    // the adam training run of train_loop loses both its cases too
    expect(lostCases(results)).toEqual([...expected, ...fixtureCases(parts, (c) => c.fn === 'trainMLP' && JSON.stringify(c.args).includes('"optimizer":"adam"'))]);
    for (const id of expected) {
      expect(caseOf(results, id).status).toBe('error');
      expect(caseOf(results, id).feedback[0]).toMatch(/adam threw Error: the answer went out through process\.send \(at optim\.ts:\d+\)/);
    }
    expectFullMarks(results, ['optim', 'train_loop']);
  });

  it('a syntax error in dropout.ts costs the dropout part (compile_error) and nothing else', async () => {
    const results = await gradeEdited(inFile('dropout.ts', (s) => replaceBody(s, 'dropoutBackward', '  return mul(dout, mask;')));
    const dropout = results.parts.find((p) => p.id === 'dropout')!;
    expect(dropout.status).toBe('error');
    expect(dropout.score).toBe(0);
    for (const c of dropout.cases) {
      expect(c.status).toBe('compile_error');
      expect(c.feedback[0]).toMatch(/^dropout\.ts:\d+:\d+: Expected "\)" but found ";"/);
    }
    expect(results.warnings.join('\n')).toMatch(/^dropout\.ts: dropout\.ts:\d+/m);
    expect(lostCases(results)).toEqual(fixtureCases(parts, (_c, p) => p.id === 'dropout'));
    expectFullMarks(results, ['dropout']);
  });

  it('a sabotaged provided/matrix.ts (matmul returns zeros) is never used: full marks', async () => {
    const submission = await solutionSubmission();
    const file = path.join(submission, 'provided', 'matrix.ts');
    const source = await readFile(file, 'utf8');
    const anchor = '  const out = new Matrix(n, m);\n';
    expect(source).toContain(anchor);
    await writeFile(file, source.replace(anchor, `${anchor}  return out;\n`));
    const results = await grade({ submission, parts: unitParts });
    expectConsistentTotals(results);
    expectFullMarks(results);
    expect(results.score).toBe(results.maxScore);
  });

  /** A relError whose body imports node:fs under `specifier` and returns the expected answer read from the fixtures. */
  function fixtureReader(specifier: string): string {
    const fixtureFile = path.join(FIXTURES_DIR, 'gradcheck.json');
    // were the read allowed, this would return the expected answer and pass
    return [
      `  return import(${specifier}).then((fs) => {`,
      `    const part = JSON.parse(fs.readFileSync(${JSON.stringify(fixtureFile)}, 'utf8'));`,
      "    return part.cases.find((c: { fn: string }) => c.fn === 'relError').outputs[0].expected;",
      '  }) as unknown as number;',
    ].join('\n');
  }

  it('a relError that reads fixtures/ through node:fs named at run time is denied: the relError cases only', async () => {
    const results = await gradeEdited(inFile('gradcheck.ts', (s) => replaceBody(s, 'relError', fixtureReader("['node', 'fs'].join(':')"))));
    expect(lostCases(results)).toEqual(RELERROR_CASES);
    const c = caseOf(results, 'gradcheck/relError/0');
    expect(c.status).toBe('error');
    expect(c.feedback[0]).toMatch(/relError threw Error: .*ERR_ACCESS_DENIED/);
    expectFullMarks(results, ['gradcheck']);
  });

  // Known sandbox gap (reported, grader/sandbox/bundle.ts is not ours): esbuild folds 'node:' + 'fs' into a
  // static specifier and the import policy refuses the whole module at build time, so numericalGradient is
  // lost too (compile_error). Drop `.fails` once a refused dynamic import fails at run time instead.
  it("a relError that reads fixtures/ through import('node:' + 'fs') loses the relError cases only", async () => {
    const results = await gradeEdited(inFile('gradcheck.ts', (s) => replaceBody(s, 'relError', fixtureReader("'node:' + 'fs'"))));
    expect(lostCases(results)).toEqual(RELERROR_CASES);
    expect(caseOf(results, 'gradcheck/relError/0').status).toBe('error');
    expectFullMarks(results, ['gradcheck']);
  });
});
