/**
 * Checkpoints of a fixed-settings training run: the fixture builder records
 * what the reference's run reaches (every mini-batch loss and a sketch of the
 * final parameters), and the grader compares a student's run with them, so a
 * network that was not trained along the documented path (least squares,
 * weights computed beforehand) cannot earn the part without reference code at grade time.
 */
import type { Matrix } from '../starter/provided/matrix.js';
import { Random } from '../starter/provided/random.js';
import type { MatrixSketch, TrainingCheckpoints } from './fixtures/types.generated.js';

/** How many random projections each matrix's sketch holds. */
export const SKETCH_PROJECTIONS = 4;

/**
 * Relative tolerance of the checkpoints. A loops-style trainMLP that sums in
 * other orders ends within 1e-15 of the reference after MNIST's 120 steps;
 * any change to the algorithm is off by far more than this.
 */
export const CHECKPOINT_TOLERANCE = 1e-6;

/** Frobenius norm and dot products with seeded random +-1 matrices: a few numbers that pin down a matrix. */
export function sketchMatrix(m: Matrix, seed: string, projections = SKETCH_PROJECTIONS): MatrixSketch {
  let sq = 0;
  for (const v of m.data) sq += v * v;
  const out: number[] = [];
  for (let p = 0; p < projections; p++) {
    const rng = new Random(`${seed}:${p}`);
    let dot = 0;
    // one uniform draw gives 32 signs
    for (let i = 0; i < m.data.length; i += 32) {
      const bits = Math.floor(rng.uniform() * 2 ** 32);
      for (let j = i; j < Math.min(i + 32, m.data.length); j++) dot += (bits >>> (j - i)) & 1 ? m.data[j] : -m.data[j];
    }
    out.push(dot);
  }
  return { norm: Math.sqrt(sq), projections: out };
}

/** The sketch of every W[k] and b[k], each with its own stream of signs. */
export function sketchParams(params: { W: Matrix[]; b: Matrix[] }, seed: string): TrainingCheckpoints['params'] {
  return {
    W: params.W.map((w, k) => sketchMatrix(w, `${seed}:W${k}`)),
    b: params.b.map((b, k) => sketchMatrix(b, `${seed}:b${k}`)),
  };
}

/** The checkpoints of a finished reference run. */
export function recordCheckpoints(batchLoss: readonly number[], params: { W: Matrix[]; b: Matrix[] }, sketchSeed: string): TrainingCheckpoints {
  return { tolerance: CHECKPOINT_TOLERANCE, batchLoss: [...batchLoss], sketchSeed, params: sketchParams(params, sketchSeed) };
}

const close = (got: number, expected: number, scale: number, tol: number) => Math.abs(got - expected) <= tol * scale;

/** Where two sketches of one matrix differ, or null. */
function sketchProblem(name: string, got: MatrixSketch, expected: MatrixSketch, tol: number): string | null {
  const scale = Math.max(expected.norm, Number.MIN_VALUE);
  if (!close(got.norm, expected.norm, scale, tol)) return `${name} has norm ${got.norm.toPrecision(8)}, the reference's run ends with ${expected.norm.toPrecision(8)}`;
  const bad = expected.projections.findIndex((e, p) => !close(got.projections[p], e, scale, tol));
  return bad < 0 ? null : `${name} has the same norm as the reference's but other values (random projection ${bad} is ${got.projections[bad].toPrecision(8)}, expected ${expected.projections[bad].toPrecision(8)})`;
}

/**
 * Compares a run with the checkpoints: every mini-batch loss, then the sketch
 * of the returned parameters. Returns null when the run matches, else one line
 * naming the first place it leaves the reference's path.
 */
export function checkpointProblem(cp: TrainingCheckpoints, batchLoss: readonly number[], params: { W: Matrix[]; b: Matrix[] }): string | null {
  const tol = cp.tolerance;
  if (batchLoss.length !== cp.batchLoss.length) return `history.batchLoss has ${batchLoss.length} entries, the documented run has ${cp.batchLoss.length}`;
  const first = cp.batchLoss.findIndex((e, i) => !close(batchLoss[i], e, Math.abs(e), tol));
  if (first === 0) {
    return `the loss of the first mini-batch is ${batchLoss[0]}, the reference's is ${cp.batchLoss[0]}: before any step, so initialise with initMLP(sizes, options.init, rng) first, then take the epoch's order from rng.permutation(N) and batches in that order`;
  }
  if (first > 0) {
    return `the loss of mini-batch ${first} (counting from 0) is ${batchLoss[first]}, the reference's is ${cp.batchLoss[first]}, and all before it match: the run leaves the documented training there (the optimiser step, the batches, or the shuffle of the next epoch)`;
  }
  const got = sketchParams(params, cp.sketchSeed);
  for (const [key, list] of [['W', cp.params.W], ['b', cp.params.b]] as const) {
    for (let k = 0; k < list.length; k++) {
      const problem = sketchProblem(`the returned ${key}[${k}]`, got[key][k], list[k], tol);
      if (problem) return `every batch loss matches the reference's, but ${problem}: return the parameters as they are after the last step`;
    }
  }
  return null;
}
