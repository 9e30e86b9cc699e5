/**
 * One call of the student's trainMLP in the sandboxed child, read back into a
 * network the grader can measure. Shared by the graded training parts and
 * `npm run tune -- --submission`, so the shape checks, the time limit and the
 * cleaning of progress reports live in one place.
 */
import type { Dataset } from '../starter/provided/data/index.js';
import type { Matrix } from '../starter/provided/matrix.js';
import { encode, type Encoded } from './codec.js';
import { readParams, type Network } from './evaluate.js';
import type { Hyperparameters } from './fixtures/types.generated.js';
import { getPath } from './paths.js';
import type { CaseStatus } from './results.js';
import type { SubmissionRunner } from './sandbox/runner.js';
import { outcomeProblem } from './unit.js';

/** What trainMLP receives: the hyperparameters without the data-set option trainSize. */
export type TrainSettings = Omit<Hyperparameters, 'trainSize'>;

/** What a progress listener gets: only numbers, whatever the submission put in its history. */
export interface ProgressHistory { loss: number[] }

/** A finished call: the network with the settings' activation, the raw history, and timing. */
export interface TrainCall {
  ok: true;
  network: Network;
  history: Encoded | undefined;
  paramsFinite: boolean;
  seconds: number;
}

/** A call that gave no usable network: the case status and one line saying why. */
export interface TrainCallFailure { ok: false; status: CaseStatus; line: string; seconds: number }

const encoded = new WeakMap<Dataset, Encoded>();

/** The data set as trainMLP's first argument; encoded once per data set, since tuning passes the same one to every trial. */
export function datasetArg(d: Dataset): Encoded {
  let e = encoded.get(d);
  if (!e) encoded.set(d, (e = { X: encode(d.X), y: d.y, classes: d.classes }));
  return e;
}

/** True when no weight or bias is NaN or Infinity. */
export function allFinite(params: { W: Matrix[]; b: Matrix[] }): boolean {
  return [...params.W, ...params.b].every((m) => m.data.every(Number.isFinite));
}

/** The numbers of history[key]: anything that is not a number reads NaN; a missing or non-array entry reads []. */
export function historyNumbers(history: Encoded | undefined, key: string): number[] {
  const v = getPath(history, key);
  return Array.isArray(v) ? v.map((x) => (typeof x === 'number' ? x : NaN)) : [];
}

const secondsSince = (started: number) => (performance.now() - started) / 1000;

/**
 * Runs trainMLP(data, options, Random(seed), { onEpoch }) in the child under
 * `limitSec`. `onProgress` gets the 0-based number of the report and the
 * cleaned loss history. The returned params must be exactly the network of
 * the settings, [D, ...options.hidden, C].
 */
export async function runTrainMLP(
  runner: SubmissionRunner, data: Dataset, options: TrainSettings, seed: string, limitSec: number,
  onProgress?: (epoch: number, history: ProgressHistory) => void,
): Promise<TrainCall | TrainCallFailure> {
  const started = performance.now();
  const timeoutMs = limitSec * 1000;
  let reports = 0;
  const outcome = await runner.call('trainMLP', [datasetArg(data), options as unknown as Encoded, { $type: 'random', seed }, { onEpoch: { $type: 'progress' } }], {
    timeoutMs,
    onProgress: onProgress && ((value) => onProgress(reports++, { loss: historyNumbers(value, 'loss') })),
  });
  if (outcome.kind !== 'ok') {
    const problem = outcomeProblem('trainMLP', outcome, timeoutMs);
    const advice = outcome.kind === 'timeout' ? ': train for fewer epochs, on fewer examples (trainSize) or with a smaller network' : '';
    return { ok: false, status: problem.status, line: problem.line + advice, seconds: secondsSince(started) };
  }
  try {
    const params = readParams(getPath(outcome.value, 'params'), [data.X.cols, ...options.hidden, data.classes]);
    const network: Network = { ...params, activation: options.activation, alpha: options.alpha };
    return { ok: true, network, history: getPath(outcome.value, 'history'), paramsFinite: allFinite(params), seconds: secondsSince(started) };
  } catch (err) {
    return { ok: false, status: 'failed', line: `trainMLP returned something the grader cannot use: ${(err as Error).message}`, seconds: secondsSince(started) };
  }
}
