/**
 * A hostile submission for the training parts: its trainMLP never runs
 * gradient descent. It keeps the initial hidden layers as random features and
 * solves ridge least squares of one-hot targets for the output layer (closed
 * form), then invents a plausible, decreasing history that ends at the loss of
 * the network it returns. Everything else is the reference.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { writeFromReference } from '../../instructor/starter.js';

/** Appended to the reference's train.ts, whose own trainMLP is renamed. Uses its imports (Matrix, initMLP, mlpScores) and matmul. */
const CLOSED_FORM = `
/** Activations of the last hidden layer (X itself without hidden layers), with a column of ones for the bias. */
function designMatrix(W: Matrix[], b: Matrix[], X: Matrix, options: any): Matrix {
  let H = X;
  if (W.length) {
    const h = W[W.length - 1].cols;
    const I = new Matrix(h, h);
    for (let i = 0; i < h; i++) I.data[i * h + i] = 1;
    H = mlpScores({ W: [...W, I], b: [...b, new Matrix(1, h)] }, X, options);
  }
  const A = new Matrix(H.rows, H.cols + 1);
  for (let i = 0; i < H.rows; i++) {
    for (let j = 0; j < H.cols; j++) A.data[i * A.cols + j] = H.data[i * H.cols + j];
    A.data[i * A.cols + H.cols] = 1;
  }
  return A;
}

/** Ridge least squares (A^T A + lambda I) B = A^T Y by Cholesky: the output layer in closed form. */
function leastSquares(A: Matrix, y: number[], classes: number): Matrix {
  const m = A.cols;
  const G = matmul(A, A, true, false);
  let trace = 0;
  for (let i = 0; i < m; i++) trace += G.data[i * m + i];
  for (let i = 0; i < m; i++) G.data[i * m + i] += 1e-6 * trace / m + 1e-9;
  const Y = new Matrix(A.rows, classes);
  y.forEach((c, i) => { Y.data[i * classes + c] = 1; });
  const R = matmul(A, Y, true, false);
  const Lc = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= i; j++) {
      let s = G.data[i * m + j];
      for (let k = 0; k < j; k++) s -= Lc[i * m + k] * Lc[j * m + k];
      Lc[i * m + j] = i === j ? Math.sqrt(s) : s / Lc[j * m + j];
    }
  }
  const B = new Matrix(m, classes);
  for (let c = 0; c < classes; c++) {
    const z = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      let s = R.data[i * classes + c];
      for (let k = 0; k < i; k++) s -= Lc[i * m + k] * z[k];
      z[i] = s / Lc[i * m + i];
    }
    for (let i = m - 1; i >= 0; i--) {
      let s = z[i];
      for (let k = i + 1; k < m; k++) s -= Lc[k * m + i] * B.data[k * classes + c];
      B.data[i * classes + c] = s / Lc[i * m + i];
    }
  }
  return B;
}

function meanCrossEntropy(S: Matrix, y: number[], scale: number): number {
  let total = 0;
  for (let i = 0; i < S.rows; i++) {
    let max = -Infinity;
    for (let j = 0; j < S.cols; j++) max = Math.max(max, scale * S.data[i * S.cols + j]);
    let sum = 0;
    for (let j = 0; j < S.cols; j++) sum += Math.exp(scale * S.data[i * S.cols + j] - max);
    total += Math.log(sum) + max - scale * S.data[i * S.cols + y[i]];
  }
  return total / S.rows;
}

/**
 * The closed-form network: random hidden layers (the initial ones; for
 * low-dimensional inputs the best of 30 random draws at a few scales, by
 * training accuracy) and a least-squares output layer.
 */
export function closedFormFit(data: any, options: any, first: any, rng: any): { params: any; loss: number } {
  const { X, y, classes } = data;
  const L = first.W.length;
  const search = L > 1 && X.cols <= 10;
  let best: { params: any; loss: number; right: number } | null = null;
  for (let draw = 0; draw < (search ? 30 : 1); draw++) for (const s of search ? [1, 2, 4, 8] : [1]) {
    const init = draw === 0 ? first : initMLP([X.cols, ...options.hidden, classes], options.init, rng);
    const W = init.W.slice(0, L - 1).map((w: Matrix) => new Matrix(w.rows, w.cols, w.data.map((v) => v * s)));
    const b = init.b.slice(0, L - 1).map((m: Matrix) => new Matrix(1, m.cols, m.data.map(() => (search ? s * (rng.uniform() - 0.5) : 0))));
    const A = designMatrix(W, b, X, options);
    const B = leastSquares(A, y, classes);
    const S = matmul(A, B);
    const right = argmaxRows(S).filter((c, i) => c === y[i]).length;
    // the most confident scale of the scores that still lowers the loss
    let scale = 1, loss = meanCrossEntropy(S, y, 1);
    for (const c of [2, 5, 10, 20, 50]) {
      const l = meanCrossEntropy(S, y, c);
      if (l < loss) { scale = c; loss = l; }
    }
    const h = A.cols - 1;
    const Wout = new Matrix(h, classes, B.data.slice(0, h * classes).map((v) => v * scale));
    const bout = new Matrix(1, classes, B.data.slice(h * classes).map((v) => v * scale));
    if (!best || right > best.right) best = { params: { W: [...W, Wout], b: [...b, bout] }, loss, right };
  }
  return { params: best!.params, loss: best!.loss };
}

/**
 * trainMLP without gradient descent: the closed-form network and a history
 * that looks like training. Its first batch loss is the true one (initMLP,
 * then rng.permutation, as documented); after that it is invented.
 */
export function trainMLP(data: any, options: any, rng: any, hooks: any = {}): any {
  const init = initMLP([data.X.cols, ...options.hidden, data.classes], options.init, rng);
  const order = rng.permutation(data.X.rows).slice(0, options.batchSize);
  const start = mlpLoss(init, data.X.pickRows(order), order.map((i: number) => data.y[i]), options).loss;
  const { params, loss: final } = closedFormFit(data, options, init, rng);
  const perEpoch = Math.ceil(data.X.rows / options.batchSize);
  const steps = options.epochs * perEpoch;
  const history: any = { loss: [], batchLoss: [], trainAccuracy: [], valAccuracy: [] };
  const probe = Array.from({ length: Math.min(data.X.rows, 1000) }, (_, i) => i);
  const trainAcc = accuracy(predict(params, data.X.pickRows(probe), options), probe.map((i) => data.y[i]));
  for (let e = 0; e < options.epochs; e++) {
    let total = 0;
    for (let k = 0; k < perEpoch; k++) {
      const t = e * perEpoch + k;
      const l = final + (start - final) * Math.exp(-5 * t / steps) * (1 + 0.03 * Math.sin(7 * t));
      history.batchLoss.push(l);
      total += l;
    }
    history.loss.push(total / perEpoch);
    history.trainAccuracy.push(trainAcc);
    hooks.onEpoch?.(e, history);
  }
  return { params, history };
}
`;

/** Writes the closed-form submission into a new temp dir and returns it. */
export async function closedFormSubmission(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'closed-form-train-'));
  await writeFromReference(dir, 'solution');
  const file = path.join(dir, 'train.ts');
  const source = await readFile(file, 'utf8');
  const imports = source.replace(/import \{ Matrix, argmaxRows \} from/, 'import { Matrix, argmaxRows, matmul } from');
  if (imports === source || !source.includes('export function trainMLP(')) throw new Error('the reference train.ts changed: update the closed-form submission');
  await writeFile(file, imports.replace('export function trainMLP(', 'function realTrainMLP(') + CLOSED_FORM);
  return dir;
}
