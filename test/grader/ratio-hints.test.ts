/**
 * Issue 11, "feedback that never misleads": each course mistake that scales an
 * output by a fixed ratio gets the hint that names it (and only the cases of
 * that function fail), scale hints stay off integer outputs, and the
 * self-check never blames the forward for a gradient it could not compare.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { grade } from '../../grader/grade.js';
import type { GradingResults } from '../../grader/results.js';
import { removeTempDirs, replaceBody, solutionSubmission } from './helpers.js';

afterAll(removeTempDirs);

/** Grades `parts` of the reference with one function's solution block edited by `change`. */
async function gradeBug(parts: string[], file: string, fn: string, change: (block: string) => string): Promise<GradingResults> {
  const submission = await solutionSubmission((f, source) => (f === file ? replaceBody(source, fn, (block) => {
    const changed = change(block);
    if (changed === block) throw new Error(`the edit of ${fn} changed nothing`);
    return changed;
  }) : source));
  return grade({ submission, parts });
}

/** Every failing case of the results, with its hints and feedback joined. */
function failures(results: GradingResults): { id: string; text: string }[] {
  return results.parts.flatMap((p) => p.cases.filter((c) => c.status !== 'passed').map((c) => ({ id: c.id, text: [...c.hints, ...c.feedback].join('\n') })));
}

/** The hints of every case of the results. */
function allHints(results: GradingResults): string[] {
  return results.parts.flatMap((p) => p.cases.flatMap((c) => c.hints));
}

describe('ratio hints for the course mistakes', () => {
  it('a base-10 log in the loss is named, and the gradient cases still pass', async () => {
    const r = await gradeBug(['softmax'], 'layers.ts', 'softmaxCrossEntropy',
      (b) => b.replace('loss += max + Math.log(sum) - scores.data[n * C + y[n]];', 'loss += (max + Math.log(sum) - scores.data[n * C + y[n]]) / Math.LN10;'));
    const failed = failures(r);
    expect(failed.length).toBeGreaterThan(0);
    for (const f of failed) expect(f.text).toMatch(/log10/);
    // the loss cases score apart from the gradient: every dscores case keeps its point
    const cases = r.parts[0].cases.filter((c) => c.id.startsWith('softmaxCrossEntropy/'));
    expect(cases.map((c) => c.id.split('/')[2]).sort()).toEqual([...Array(4).fill('dscores'), ...Array(4).fill('loss')]);
    expect(cases.filter((c) => c.status !== 'passed').map((c) => c.id).every((id) => id.endsWith('/loss'))).toBe(true);
    expect(cases.filter((c) => c.id.endsWith('/dscores')).every((c) => c.status === 'passed')).toBe(true);
  });

  it('classical momentum is named by its 1/(1 - beta) on the velocity and on the first step', async () => {
    const r = await gradeBug(['optim'], 'optim.ts', 'momentum', (b) => b.replace('(1 - config.beta) * dw.data[i]', 'dw.data[i]'));
    const failed = failures(r);
    expect(failed.map((f) => f.id).sort()).toEqual(r.parts[0].cases.filter((c) => c.id.includes('momentum')).map((c) => c.id).sort());
    for (const f of failed) expect(f.text).toMatch(/classical momentum|lecture momentum/);
    expect(allHints(r).join('\n')).not.toMatch(/twice|times too large, the batch/);
  });

  it('an RMSProp cache without (1 - decay) is named', async () => {
    const r = await gradeBug(['optim'], 'optim.ts', 'rmsprop', (b) => b.replace('(1 - config.decay) * g * g', 'g * g'));
    const failed = failures(r);
    expect(failed.length).toBe(2);
    for (const f of failed) expect(f.text).toMatch(/\(1 - decay\) dw\^2/);
  });

  it('Adam without bias correction is named', async () => {
    const r = await gradeBug(['optim'], 'optim.ts', 'adam', (b) => b
      .replace('m.data[i] / (1 - config.beta1 ** t)', 'm.data[i]')
      .replace('v.data[i] / (1 - config.beta2 ** t)', 'v.data[i]'));
    const failed = failures(r);
    expect(failed.length).toBe(2);
    for (const f of failed) expect(f.text).toMatch(/bias correction/);
  });

  it('an off-by-one step counter in Adam is an off-by-one, never "twice"', async () => {
    const r = await gradeBug(['optim'], 'optim.ts', 'adam', (b) => b.replace('(config.t ?? 0) + 1', '(config.t ?? 0) + 2'));
    const failed = failures(r);
    expect(failed.length).toBe(2);
    for (const f of failed) {
      expect(f.text).toMatch(/t is off by one/);
      expect(f.text).not.toMatch(/twice|half the expected|times too/);
    }
  });

  it('non-inverted dropout is named by its keepProb', async () => {
    const r = await gradeBug(['dropout'], 'dropout.ts', 'dropoutForward', (b) => b.replace('1 / keepProb : 0', '1 : 0'));
    const failed = failures(r);
    expect(failed.length).toBeGreaterThan(0);
    for (const f of failed) expect(f.text).toMatch(/inverted dropout/);
  });

  it('a forward difference in the gradient check is named by its error of order eps', async () => {
    const r = await gradeBug(['gradcheck'], 'gradcheck.ts', 'numericalGradient', (b) => b
      .replace('x.data[i] = old - eps;', 'x.data[i] = old;')
      .replace('(plus - minus) / (2 * eps)', '(plus - minus) / eps'));
    const failed = failures(r);
    expect(failed.length).toBeGreaterThan(0);
    for (const f of failed) expect(f.text).toMatch(/one-sided difference/);
  });

  it('a float32 implementation is told that float64 is required', async () => {
    const r = await gradeBug(['affine'], 'layers.ts', 'affineForward',
      (b) => b.replace('return addRowVector(matmul(x, W), b);', 'const z = addRowVector(matmul(x, W), b);\n  for (let i = 0; i < z.data.length; i++) z.data[i] = Math.fround(z.data[i]);\n  return z;'));
    const failed = failures(r);
    expect(failed.length).toBe(3);
    for (const f of failed) expect(f.text).toMatch(/float32 number .* use Float64Array/);
  });

  it('the reference gets none of these hints', async () => {
    const r = await grade({ submission: await solutionSubmission(), parts: ['softmax', 'optim', 'dropout', 'gradcheck'] });
    expect(failures(r)).toEqual([]);
    expect(allHints(r)).toEqual([]);
  });
});

describe('the self-check speaks only of gradients it compared', () => {
  it('a transposed dW gets the transpose hint and no "fix the forward first"', async () => {
    const r = await gradeBug(['affine'], 'layers.ts', 'affineBackward', (b) => b.replace('matmul(x, dout, true, false)', 'matmul(dout, x, true, false)'));
    const failed = failures(r);
    expect(failed.length).toBe(3);
    for (const f of failed) {
      expect(f.text).toMatch(/dW is transposed/);
      expect(f.text).not.toMatch(/forward/);
    }
  });

  it('a wrong db next to correct dx and dW is blamed on the backward', async () => {
    const r = await gradeBug(['affine'], 'layers.ts', 'affineBackward', (b) => b.replace('const db = sumRows(dout);', 'const db = sumRows(dout); for (let i = 0; i < db.data.length; i++) db.data[i] *= 2;'));
    const failed = failures(r);
    expect(failed.length).toBe(3);
    for (const f of failed) expect(f.text).toMatch(/Your backward does not match the numerical gradient of your own affineForward \(db/);
  });
});
