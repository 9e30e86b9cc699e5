/**
 * When "Do not modify the inputs" is judged (issue 11): when the call
 * returns, i.e. when a returned promise settles. A call is graded on what it
 * returned at that moment, and its arguments are checked then, so writes
 * scheduled for later (a timer, a microtask) change neither the grade nor the
 * verdict: they reach nothing graded, since every call decodes fresh
 * arguments. Writes before an async call settles are the call's own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixturePart } from '../../grader/fixtures/types.generated.js';
import { casesOfFn, expectFullMarks, failedFirstLines, fixtureParts, gradeWithBody, lostCases, removeTempDirs } from '../grader/helpers.js';

let parts: FixturePart[];
beforeAll(async () => { parts = await fixtureParts(); });
afterAll(removeTempDirs);

const casesOf = (part: string, fn: string) => casesOfFn(parts, part, fn);

describe('an argument or return value changed after the call returned', () => {
  it('an affineForward that wipes x and its own answer once it has returned keeps full marks', async () => {
    const results = await gradeWithBody('affine', 'layers.ts', 'affineForward', [
      '  const z = addRowVector(matmul(x, W), b);',
      '  const wipe = () => { x.data.fill(NaN); z.data.fill(NaN); };',
      '  queueMicrotask(wipe);',
      '  setTimeout(wipe, 0);',
      '  setImmediate(wipe);',
      '  return z;',
    ].join('\n'));
    expectFullMarks(results);
  });

  it('a reluForward that returns z itself and applies the ReLU to it afterwards is graded on z as returned: wrong values, not a modified input', async () => {
    const results = await gradeWithBody('activations', 'activations.ts', 'reluForward', [
      '  queueMicrotask(() => { for (let i = 0; i < z.data.length; i++) if (z.data[i] < 0) z.data[i] = 0; });',
      '  return z;',
    ].join('\n'));
    expect(lostCases(results)).toEqual(casesOf('activations', 'reluForward'));
    for (const line of failedFirstLines(results)) expect(line).toMatch(/^reluForward -> a: wrong values/);
    for (const c of results.parts[0].cases) expect(c.feedback.join('\n')).not.toContain('modified its input');
  });

  it('an async affineForward that writes into x before its promise settles loses its cases for modifying x', async () => {
    const results = await gradeWithBody('affine', 'layers.ts', 'affineForward', [
      '  const z = addRowVector(matmul(x, W), b);',
      '  return new Promise((resolve) => setTimeout(() => { x.data[0] = 42; resolve(z); }, 0)) as unknown as Matrix;',
    ].join('\n'));
    expect(lostCases(results)).toEqual(casesOf('affine', 'affineForward'));
    for (const line of failedFirstLines(results)) expect(line).toMatch(/^affineForward modified its input: argument 1 \(x, a \d+x\d+ Matrix\) changed at x\[0\]\[0\]: \S+ -> 42; /);
  });
});
