/**
 * The common mistakes of ASSIGNMENT.md, written as edits of the reference
 * source. One catalogue serves twice: the fixture builder runs each mutant to
 * record what the mistake returns (so the grader can recognise it and hint),
 * and the tests hand the mutants in as fake submissions.
 */

export interface SourceEdit { file: string; find: string; replace: string }

export interface Mistake {
  id: string;
  /** The hint a student gets when their output matches this mistake. */
  hint: string;
  edits: SourceEdit[];
}

export const MISTAKES: Mistake[] = [
  {
    id: 'no_batch_mean',
    hint: 'The gradient is N times too large: the loss is the mean over the batch, so dL/ds = (p - onehot(y)) / N. Divide by the batch size.',
    edits: [{ file: 'layers.ts', find: 'for (let i = 0; i < p.data.length; i++) p.data[i] /= N;', replace: '' }],
  },
  {
    id: 'softmax_grad_sign',
    hint: 'The softmax gradient has the wrong sign: dL/ds = (p - onehot(y)) / N, the probabilities minus the one-hot labels.',
    edits: [{ file: 'layers.ts', find: 'for (let i = 0; i < p.data.length; i++) p.data[i] /= N;', replace: 'for (let i = 0; i < p.data.length; i++) p.data[i] /= -N;' }],
  },
  {
    id: 'derivative_at_z',
    hint: "The derivative is taken at z where it needs a = g(z): tanh'(z) = 1 - a^2 and sigmoid'(z) = a (1 - a), with a = g(z) computed from z first.",
    edits: [
      { file: 'activations.ts', find: 'const a = tanhForward(z);', replace: 'const a = z;' },
      { file: 'activations.ts', find: 'const a = sigmoidForward(z);', replace: 'const a = z;' },
    ],
  },
  {
    id: 'derivative_at_a',
    hint: "A hidden layer's backward is given the activation a = g(z) where it needs the pre-activation z: keep z from the forward pass and pass that (the activation backward applies g' itself).",
    edits: [{ file: 'network.ts', find: 'activationBackward(dx, zs[k - 1], options)', replace: 'activationBackward(dx, inputs[k], options)' }],
  },
  {
    id: 'transposed_dW',
    hint: 'dW is transposed: dW = X^T dout has the shape of W (D x M); dout^T X is M x D.',
    edits: [
      { file: 'layers.ts', find: 'const dW = matmul(x, dout, true, false);', replace: 'const dW = matmul(dout, x, true, false);' },
      // the reference's input layer takes dW without affineBackward (it needs no dx); a student's mlpLoss calls affineBackward there too
      { file: 'network.ts', find: 'dW: matmul(X, delta, true)', replace: 'dW: matmul(delta, X, true, false)' },
    ],
  },
  {
    id: 'regularized_biases',
    hint: 'The biases are regularised: the penalty and its gradient apply to the weights W only, never to the biases b.',
    edits: [
      { file: 'network.ts', find: 'penalty(params.W, lambda)', replace: 'penalty([...params.W, ...params.b], lambda)' },
      { file: 'network.ts', find: 'gradB[k] = db;', replace: 'if (reg) for (let i = 0; i < db.data.length; i++) db.data[i] += reg.grads[L + k].data[i];\n    gradB[k] = db;' },
    ],
  },
  {
    id: 'l2_missing_half',
    hint: 'The L2 term is off by a factor of 2: the penalty is (lambda/2) sum W^2, so its gradient is lambda W, not 2 lambda W.',
    edits: [{ file: 'regularization.ts', find: 'return { loss: 0.5 * lambda * sq, grads: weights.map((W) => scale(W, lambda)) };', replace: 'return { loss: lambda * sq, grads: weights.map((W) => scale(W, 2 * lambda)) };' }],
  },
  {
    id: 'softmax_no_shift',
    hint: "NaN or Infinity from large scores: subtract each row's maximum before exponentiating. Softmax does not change, and e^1000 no longer overflows.",
    edits: [{ file: 'layers.ts', find: 'const e = Math.exp(scores.data[i * cols + j] - max);', replace: 'const e = Math.exp(scores.data[i * cols + j]);' }],
  },
  {
    id: 'zero_init',
    hint: 'All weights start at zero, so every hidden unit computes the same thing and stays that way. Draw W with the chosen scheme; only the biases start at 0.',
    edits: [{ file: 'init.ts', find: 'W.push(draw(sizes[k], sizes[k + 1], rng));', replace: 'W.push(Matrix.zeros(sizes[k], sizes[k + 1]));' }],
  },
  {
    id: 'gradcheck_no_restore',
    hint: 'Put every element of x back after perturbing it (x.data[i] = old once f(x + eps) and f(x - eps) are taken): an element left at old - eps shifts the point where every later difference is taken, which matters as soon as f couples the elements.',
    edits: [{ file: 'gradcheck.ts', find: '    x.data[i] = old;\n', replace: '' }],
  },
  {
    id: 'shuffle_x_only',
    hint: 'X is shuffled but y is not: reorder the inputs and the labels with the same permutation, or every example is trained on a random label.',
    edits: [{ file: 'train.ts', find: 'idx.map((i) => y[i])', replace: 'y.slice(start, start + idx.length)' }],
  },
  {
    id: 'lr_sign_flipped',
    hint: 'The parameters move uphill: the update is w <- w - lr * dw (minus), so the loss should go down.',
    edits: [{ file: 'optim.ts', find: 'for (let i = 0; i < out.length; i++) out[i] = x[i] - lr * g[i];', replace: 'for (let i = 0; i < out.length; i++) out[i] = x[i] + lr * g[i];' }],
  },
  {
    id: 'untrained_params',
    hint: 'The returned parameters are the initial ones: return the parameters after the last update.',
    edits: [{ file: 'train.ts', find: '      params = { W, b };', replace: '      void W; void b;' }],
  },
];

/** Applies a mistake's edits to one reference file; every edit must match exactly once. */
export function applyMistake(mistake: Mistake, file: string, source: string): string {
  let out = source;
  for (const edit of mistake.edits.filter((e) => e.file === file)) {
    const count = out.split(edit.find).length - 1;
    if (count !== 1) throw new Error(`mistake ${mistake.id}: "${edit.find}" occurs ${count} times in reference/${file}, expected once`);
    out = out.replace(edit.find, () => edit.replace);
  }
  return out;
}
