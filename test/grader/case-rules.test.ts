/**
 * The case-design rules of issue 11 (section 1, second bullet), each with a
 * submission that breaks it and loses exactly the case added for it; and the
 * split scoring of section 3: a bug in the loss (or the history) keeps the
 * points of the gradients (or the weights).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixturePart } from '../../grader/fixtures/types.generated.js';
import { grade } from '../../grader/grade.js';
import type { GradingResults } from '../../grader/results.js';
import { expectConsistentTotals, fixtureParts, lostCases, removeTempDirs, solutionSubmission } from './helpers.js';

const PARTS = ['activations', 'affine', 'regularization', 'network', 'gradcheck', 'init', 'train_loop'];
let parts: FixturePart[];
beforeAll(async () => { parts = await fixtureParts(); });
afterAll(removeTempDirs);

/** Grades the reference with one exact text replacement in one file, on the parts the rules concern. */
async function gradeWith(file: string, from: string, to: string): Promise<GradingResults> {
  const submission = await solutionSubmission((f, s) => {
    if (f !== file) return s;
    expect(s, `${file} holds the text to replace`).toContain(from);
    return s.replaceAll(from, to);
  });
  const results = await grade({ submission, parts: PARTS });
  expectConsistentTotals(results);
  return results;
}

/** Both scored halves of the given exact training runs. */
const runs = (halves: string[], ...k: number[]) => k.flatMap((i) => halves.map((h) => `train_loop/trainMLP/${i}/${h}`));
/** The runs whose batches divide the 12 examples (an off-by-one in the batch loop adds an empty batch there). */
const dividingRuns = () => parts.find((p) => p.id === 'train_loop')!.cases
  .filter((c) => c.id.endsWith('/weights') && 12 % (c.args[1] as { batchSize: number }).batchSize === 0)
  .map((c) => Number(c.id.split('/')[1]));

describe('every rule of the case design has a case a breaking submission loses', () => {
  it('a parameter other than its default: an ELU backward that ignores alpha loses the alpha 0.5 cases only', async () => {
    const results = await gradeWith('activations.ts', 'd * alpha * Math.exp(v)', 'd * Math.exp(v)');
    // the ELU network and the ELU training run use alpha 0.5; the alpha 1 cases pass
    expect(lostCases(results)).toEqual(['activations/eluBackward/alpha', 'network/mlpLoss/5/grads', ...runs(['history', 'weights'], 5)]);
  });

  it('every value of an option in every part: a trainMLP that knows only sgd and momentum loses the rmsprop and adam runs', async () => {
    const results = await gradeWith('train.ts', 'optimizerStep(options.optimizer,', "optimizerStep(options.optimizer === 'momentum' ? 'momentum' : 'sgd',");
    expect(lostCases(results)).toEqual(runs(['history', 'weights'], 3, 4));
  });

  it('every value of an option in every part: an initMLP that knows only xavier_uniform loses the initMLP cases of the other schemes', async () => {
    const results = await gradeWith('init.ts', 'he_normal: heNormal }[scheme]', "he_normal: heNormal }['xavier_uniform']");
    // and the training runs that start from glorot_normal or he_normal
    expect(lostCases(results)).toEqual(['init/initMLP/glorot_normal', 'init/initMLP/he_normal', ...runs(['history', 'weights'], 1, 2, 4, 5)]);
  });

  it('a parameter left to its default: an mlpLoss with no default for reg loses the network that gives none', async () => {
    const results = await gradeWith('network.ts', 'options.reg ?? 0', 'options.reg as number');
    expect(lostCases(results)).toEqual(['network/mlpLoss/0/grads', 'network/mlpLoss/0/loss']);
  });

  it('every branch: an accuracy of no examples that is NaN loses the empty case only', async () => {
    const results = await gradeWith('train.ts', 'return y.length === 0 ? 0 : right / y.length;', 'return right / y.length;');
    expect(lostCases(results)).toEqual(['network/accuracy/empty']);
  });

  it('every branch: a batch loop that runs once too often loses the runs whose batches divide N', async () => {
    expect(dividingRuns()).toEqual([3, 4, 5]);
    const results = await gradeWith('train.ts', 'start < N;', 'start <= N;');
    expect(lostCases(results)).toEqual(runs(['history', 'weights'], ...dividingRuns()));
  });

  it('every sign: a relError with |a + b| on top loses the case of two close gradients', async () => {
    const results = await gradeWith('gradcheck.ts', 'Math.abs(x - y)', 'Math.abs(x + y)');
    expect(lostCases(results)).toEqual(['gradcheck/relError/close']);
  });

  it('a reduction over the whole matrix: a db that sums every element of dout loses every affineBackward case, and no forward', async () => {
    const results = await gradeWith('layers.ts', 'const db = sumRows(dout);', 'const db = sumRows(dout);\n  db.data.fill(db.data.reduce((s, v) => s + v, 0));');
    const lost = lostCases(results);
    expect(lost).toEqual(expect.arrayContaining(['affine/affineBackward/0', 'affine/affineBackward/1', 'affine/affineBackward/2']));
    expect(lost.filter((id) => !/affineBackward|mlpLoss\/\d\/grads|trainMLP/.test(id))).toEqual([]);
  });

  it('a reduction over too little: an L2 penalty of the first matrix only loses the case with two matrices, not the one with one', async () => {
    const results = await gradeWith('regularization.ts', 'for (const W of weights) for (const w of W.data) sq += w * w;', 'for (const w of weights[0].data) sq += w * w;');
    const lost = lostCases(results);
    expect(lost).toContain('regularization/l2Penalty/1/penalty');
    expect(lost).not.toContain('regularization/l2Penalty/0/penalty');
    expect(lost.filter((id) => !/l2Penalty|mlpLoss\/\d\/loss|trainMLP\/\d\/history/.test(id))).toEqual([]);
  });

  it('every output compared: a history without valAccuracy loses the history of the run with a validation set, and keeps its weights', async () => {
    const results = await gradeWith('train.ts', 'if (hooks.validation) {', 'if (hooks.validation && false) {');
    expect(lostCases(results)).toEqual(['train_loop/trainMLP/3/history']);
  });
});

describe('partial credit that matches the bug', () => {
  it('an mlpLoss whose loss uses log base 10 loses the loss cases and the training histories, and keeps the gradient and weight points', async () => {
    const results = await gradeWith('network.ts', 'return { loss: dataLoss + (reg?.loss ?? 0),', 'return { loss: dataLoss / Math.LN10 + (reg?.loss ?? 0),');
    const network = parts.find((p) => p.id === 'network')!;
    const lossCases = network.cases.filter((c) => c.fn === 'mlpLoss' && c.id.endsWith('/loss'));
    expect(lossCases).toHaveLength(6);
    expect(lostCases(results)).toEqual([...lossCases.map((c) => `network/${c.id}`).sort(), ...runs(['history'], 0, 1, 2, 3, 4, 5)]);
    const total = network.cases.reduce((s, c) => s + c.weight, 0);
    const kept = total - lossCases.reduce((s, c) => s + c.weight, 0);
    const got = results.parts.find((p) => p.id === 'network')!;
    expect(got.score).toBeCloseTo((network.points * kept) / total, 9);
    expect(got.cases.filter((c) => c.id.startsWith('mlpLoss/') && c.id.endsWith('/grads')).every((c) => c.status === 'passed' && c.score > 0)).toBe(true);
  });

  it('an mlpLoss that leaves the penalty out of the loss loses only the loss of the regularised networks and runs', async () => {
    const results = await gradeWith('network.ts', 'return { loss: dataLoss + (reg?.loss ?? 0),', 'return { loss: dataLoss,');
    // network 0 and training runs 0, 1 and 4 have reg 0: their loss is right
    expect(lostCases(results)).toEqual([...[1, 2, 3, 4, 5].map((k) => `network/mlpLoss/${k}/loss`), ...runs(['history'], 2, 3, 5)]);
  });
});
