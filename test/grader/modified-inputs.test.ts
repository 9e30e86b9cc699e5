/**
 * "Do not modify the inputs" (issue 11, section 1, third bullet): a graded call
 * that changes one of its arguments loses that case, with a line naming the
 * argument, where it changed and how; what a contract allows (a gradient check
 * that perturbs x and puts it back, a Random drawn from, a config returned as
 * it came) costs nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixturePart } from '../../grader/fixtures/types.generated.js';
import { grade } from '../../grader/grade.js';
import { casesOfFn, expectConsistentTotals, expectFullMarks, failedFirstLines, fixtureParts, gradeWithBody, lostCases, removeTempDirs, solutionSubmission } from './helpers.js';

let parts: FixturePart[];
beforeAll(async () => { parts = await fixtureParts(); });
afterAll(removeTempDirs);

/** The fixture cases of `fn` in `part`, as `part/case`. */
const casesOf = (part: string, fn: string) => casesOfFn(parts, part, fn);

describe('a graded call that modifies an argument', () => {
  it('affineForward writing into x loses exactly its cases, and the line names x and the element', async () => {
    const results = await gradeWithBody('affine', 'layers.ts', 'affineForward', [
      '  const z = addRowVector(matmul(x, W), b);',
      '  x.data[x.data.length - 1] = 0;',
      '  return z;',
    ].join('\n'));
    expect(lostCases(results)).toEqual(casesOf('affine', 'affineForward'));
    for (const line of failedFirstLines(results)) {
      const m = /^affineForward modified its input: argument 1 \(x, a (\d+)x(\d+) Matrix\) changed at x\[(\d+)\]\[(\d+)\]: -?\d[\d.e+-]* -> 0; work on a copy \(x\.clone\(\)\)$/.exec(line);
      expect(m, line).not.toBeNull();
      // the last element, where it was written
      expect([Number(m![3]), Number(m![4])]).toEqual([Number(m![1]) - 1, Number(m![2]) - 1]);
    }
  });

  it('an sgd that updates w in place loses every sgd case, naming w', async () => {
    const results = await gradeWithBody('optim', 'optim.ts', 'sgd', [
      '  for (let i = 0; i < w.data.length; i++) w.data[i] -= config.lr * dw.data[i];',
      '  return { w, config };',
    ].join('\n'));
    expect(lostCases(results)).toEqual(casesOf('optim', 'sgd'));
    for (const line of failedFirstLines(results)) expect(line).toMatch(/^sgd modified its input: argument 1 \(w, a \d+x\d+ Matrix\) changed at w\[0\]\[0\]: \S+ -> \S+; work on a copy \(w\.clone\(\)\)$/);
  });

  it('a momentum that stores its velocity in the config it was given loses every momentum case, naming config', async () => {
    const results = await gradeWithBody('optim', 'optim.ts', 'momentum', [
      '  const v = config.velocity ? config.velocity.clone() : Matrix.zeros(w.rows, w.cols);',
      '  const next = w.clone();',
      '  for (let i = 0; i < next.data.length; i++) {',
      '    v.data[i] = config.beta * v.data[i] + (1 - config.beta) * dw.data[i];',
      '    next.data[i] -= config.lr * v.data[i];',
      '  }',
      '  config.velocity = v;',
      '  return { w: next, config };',
    ].join('\n'));
    expect(lostCases(results)).toEqual(casesOf('optim', 'momentum'));
    const lines = failedFirstLines(results);
    // a config without a velocity gains one; a config with one sees it replaced by different numbers
    for (const line of lines) {
      expect(line).toMatch(/^momentum modified its input: argument 3 \((config, an object\) gained the key velocity; return a new object \(\{ \.\.\.config, \.\.\. \}\)|config\.velocity, a \d+x\d+ Matrix\) changed at config\.velocity\[\d+\]\[\d+\]: \S+ -> \S+; work on a copy \(config\.velocity\.clone\(\)\))$/);
    }
    expect(lines.some((l) => l.includes('gained the key velocity'))).toBe(true);
  });

  it('a softmaxCrossEntropy that shifts the scores in place loses exactly its cases, naming scores', async () => {
    const results = await gradeWithBody('softmax', 'layers.ts', 'softmaxCrossEntropy', [
      '  const { rows: N, cols: C } = scores;',
      '  for (let n = 0; n < N; n++) {',
      '    let max = -Infinity;',
      '    for (let j = 0; j < C; j++) max = Math.max(max, scores.data[n * C + j]);',
      '    for (let j = 0; j < C; j++) scores.data[n * C + j] -= max;',
      '  }',
      '  const p = softmax(scores);',
      '  let loss = 0;',
      '  for (let n = 0; n < N; n++) {',
      '    loss -= Math.log(p.data[n * C + y[n]]);',
      '    p.data[n * C + y[n]] -= 1;',
      '  }',
      '  for (let i = 0; i < p.data.length; i++) p.data[i] /= N;',
      '  return { loss: loss / N, dscores: p };',
    ].join('\n'));
    const own = casesOf('softmax', 'softmaxCrossEntropy');
    expect(lostCases(results)).toEqual(own);
    for (const line of failedFirstLines(results)) expect(line).toMatch(/^softmaxCrossEntropy modified its input: argument 1 \(scores, a \d+x\d+ Matrix\) changed at scores\[\d+\]\[\d+\]: /);
  });

  it('a reluForward that works in place and returns z itself loses its cases', async () => {
    const results = await gradeWithBody('activations', 'activations.ts', 'reluForward', '  for (let i = 0; i < z.data.length; i++) if (z.data[i] < 0) z.data[i] = 0;\n  return z;');
    expect(lostCases(results)).toEqual(casesOf('activations', 'reluForward'));
    for (const line of failedFirstLines(results)) expect(line).toMatch(/^reluForward modified its input: argument 1 \(z, a \d+x\d+ Matrix\) changed at z\[\d+\]\[\d+\]: -\S+ -> 0; /);
  });

  const gradcheckBody = (restore: string) => [
    '  const grad = new Matrix(x.rows, x.cols);',
    '  for (let i = 0; i < x.data.length; i++) {',
    '    const old = x.data[i];',
    '    x.data[i] += eps;',
    '    const plus = f(x);',
    '    x.data[i] -= 2 * eps;',
    '    const minus = f(x);',
    `    ${restore}`,
    '    grad.data[i] = (plus - minus) / (2 * eps);',
    '  }',
    '  return grad;',
  ].join('\n');

  it('a gradient check that puts x back by arithmetic (x += eps, -= 2 eps, += eps) keeps its points: rounding in the last bits is not the bug', async () => {
    const results = await gradeWithBody('gradcheck', 'gradcheck.ts', 'numericalGradient', gradcheckBody('x.data[i] += eps; void old;'));
    expectFullMarks(results);
  });

  it('a gradient check that leaves x off by more than rounding (1e-9) loses its cases, told to put each element back', async () => {
    const results = await gradeWithBody('gradcheck', 'gradcheck.ts', 'numericalGradient', gradcheckBody('x.data[i] = old + 1e-9;'));
    const lost = lostCases(results);
    expect(lost).toEqual(casesOf('gradcheck', 'numericalGradient'));
    for (const line of failedFirstLines(results)) {
      expect(line).toMatch(/^numericalGradient modified its input: argument 2 \(x, a \d+x\d+ Matrix\) changed at x\[\d+\]\[\d+\]: \S+ -> \S+; put each element back as it was \(const old = x\.data\[i\]; \.\.\.; x\.data\[i\] = old\)$/);
    }
  });
});

describe('a training run that modifies its data', () => {
  const submission = () => solutionSubmission((f, s) => (f === 'train.ts' ? s.replace('  return { params, history };\n  // END SOLUTION', '  data.y[0] = -1;\n  return { params, history };\n  // END SOLUTION') : s));
  const line = /^trainMLP modified its input: argument 1 \(data\.y, \d+ numbers\) changed at data\.y\[0\]: [0-9] -> -1; work on a copy \(\[\.\.\.data\.y\]\)/;

  it('loses the exact runs of train_loop, with the line naming data.y', async () => {
    const results = await grade({ submission: await submission(), parts: ['train_loop'] });
    expectConsistentTotals(results);
    const cases = results.parts[0].cases;
    expect(cases.length).toBeGreaterThan(0);
    for (const c of cases) {
      expect(c.status, c.id).toBe('failed');
      expect(c.feedback[0], c.id).toMatch(line);
    }
  });

  it('keeps the points of an accuracy part, which trains on its own copy, with a warning that says where the points go', async () => {
    const results = await grade({ submission: await submission(), parts: ['train_moons'] });
    expectFullMarks(results);
    const notes = results.parts[0].training!.notes;
    expect(notes[0]).toMatch(/^warning: trainMLP modified its input: argument 1 \(data\.y, /);
    expect(notes[0]).toMatch(/No points are taken here \(the grader trains on its own copy\), but the exact runs of train_loop lose theirs for it$/);
  });
});

describe('what a contract allows costs nothing', () => {
  it('the reference (its gradient check perturbs x and restores it, dropout and init draw from the Random, sgd returns its config) keeps full marks', async () => {
    const results = await grade({ submission: await solutionSubmission(), parts: ['gradcheck', 'dropout', 'init', 'optim', 'train_loop'] });
    expectFullMarks(results);
  });

  it('writing back the very numbers that were there is no change', async () => {
    const results = await gradeWithBody('affine', 'layers.ts', 'affineForward', [
      '  const keep = x.data.slice();',
      '  x.data.fill(7);',
      '  x.data.set(keep);',
      '  return addRowVector(matmul(x, W), b);',
    ].join('\n'));
    expectFullMarks(results);
  });
});
