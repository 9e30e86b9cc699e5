/**
 * Feedback for the exact-run trainMLP cases (train_loop): the first mini-batch
 * where the student's loss history departs from the reference's, with both
 * values, and a hint restating the documented draw order when the departure
 * points at it (the same losses in another order, the very first loss, or the
 * first batch of a later epoch).
 */
import type { Encoded } from './codec.js';
import { asNumeric, compare } from './compare.js';
import type { Tolerance, UnitCase } from './fixtures/types.generated.js';
import { getPath } from './paths.js';
import { fmt } from './selfcheck.js';

const PATH = 'history.batchLoss';

/** The draw order the starter's doc comment of trainMLP requires, restated for a hint. */
export const DRAW_ORDER = 'initMLP([D, ...hidden, C], init, rng) makes the first draws; then each epoch draws order = rng.permutation(N) once, at its start, reorders X and y together with it, and cuts batches of batchSize in that order (the last one smaller); rng is used for nothing else';

/** Mini-batches per epoch of the case's run: ceil(N / batchSize). */
function batchesPerEpoch(c: UnitCase): number | undefined {
  const rows = getPath(c.args[0], 'X.rows');
  const batchSize = getPath(c.args[1], 'batchSize');
  return typeof rows === 'number' && typeof batchSize === 'number' && batchSize > 0 ? Math.ceil(rows / batchSize) : undefined;
}

/** Within the tolerance, measured as compare.ts measures it. */
function close(e: number, g: number, tol: Tolerance): boolean {
  return Math.abs(g - e) <= tol.abs + tol.rel * (Math.abs(e) + Math.abs(g));
}

/** True when got holds the expected values in another order (within the tolerance). */
function sameValuesReordered(expected: ArrayLike<number>, got: ArrayLike<number>, tol: Tolerance): boolean {
  if (expected.length !== got.length) return false;
  const e = Array.from(expected).sort((a, b) => a - b);
  const g = Array.from(got).sort((a, b) => a - b);
  return e.every((x, i) => close(x, g[i], tol));
}

/** Feedback and hints about where a trainMLP case's batch losses leave the reference's; empty when they match or cannot be read. */
export function historyDeparture(c: UnitCase, value: Encoded): { feedback: string[]; hints: string[] } {
  const out = c.outputs.find((o) => o.path === PATH);
  const perEpoch = batchesPerEpoch(c);
  if (c.fn !== 'trainMLP' || !out || perEpoch === undefined) return { feedback: [], hints: [] };
  const expected = asNumeric(out.expected);
  const got = asNumeric(getPath(value, PATH));
  if (!expected || !got || compare(out.expected, getPath(value, PATH), out.tolerance).ok) return { feedback: [], hints: [] };
  const n = Math.min(expected.data.length, got.data.length);
  let i = 0;
  while (i < n && close(expected.data[i], got.data[i], out.tolerance)) i++;
  if (i === n) {
    return { feedback: [`${PATH} has ${got.data.length} entries where the reference has ${expected.data.length}, and the first ${n} match: record one loss per mini-batch, ceil(N / batchSize) = ${perEpoch} per epoch`], hints: [] };
  }
  const epoch = Math.floor(i / perEpoch), batch = i % perEpoch;
  const before = i === 0 ? 'it is the first loss' : `all ${i} before it match`;
  const feedback = [`${PATH} departs from the reference at mini-batch ${i} (counting from 0: epoch ${epoch}, batch ${batch}): expected ${fmt(expected.data[i])}, got ${fmt(got.data[i])}; ${before}`];
  const hints: string[] = [];
  if (sameValuesReordered(expected.data, got.data, out.tolerance)) {
    hints.push(`Only the order differs: the batch losses are the reference's, in another order. The order required: ${DRAW_ORDER}.`);
  } else if (i === 0) {
    hints.push(`The first loss is taken before any step, so it depends only on the initial parameters and on which examples the first batch holds: if mlpLoss passes its own cases, check the order of the draws: ${DRAW_ORDER}.`);
  } else if (batch === 0) {
    hints.push(`Every loss of the epochs before matches, and the run departs at the first batch of epoch ${epoch}: either that epoch's order differs or the step of the last (smaller) batch before it does. The order: ${DRAW_ORDER}.`);
  }
  return { feedback, hints };
}
