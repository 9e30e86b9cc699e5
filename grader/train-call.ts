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
import { CPU_UNAVAILABLE } from './sandbox/cpu-time.js';
import type { CaseStatus } from './results.js';
import type { SubmissionRunner } from './sandbox/runner.js';
import { WALL_BACKSTOP_FACTOR } from './time-budget.js';
import { outcomeProblem } from './unit.js';

/** What trainMLP receives: the hyperparameters without the data-set option trainSize. */
export type TrainSettings = Omit<Hyperparameters, 'trainSize'>;

/** What a progress listener gets: only numbers, whatever the submission put in its history. */
export interface ProgressHistory { loss: number[]; valAccuracy: number[] }

/** A training run that computes nothing for this long is stopped (not at the wall-clock backstop, up to 3x its limit later). */
export const IDLE_LIMIT_MS = 30_000;

/** A run that used more than this share of its limit gets a warning: on a slower grading machine it may not finish. */
const WARN_SHARE = 0.5;

/** How long a run took against its limit: CPU time of the child where the OS gives it, wall time elsewhere. */
export interface RunTime {
  /** Which clock the limit was measured on. */
  clock: 'cpu' | 'wall';
  /** The run's time on that clock, in seconds. */
  usedSec: number;
  limitSec: number;
  /** Wall time of the run, in seconds, whatever the clock. */
  wallSec: number;
}

/** A finished call: the network with the settings' activation, the raw history, and timing. */
export interface TrainCall {
  ok: true;
  network: Network;
  history: Encoded | undefined;
  paramsFinite: boolean;
  /** Wall time of the call. */
  seconds: number;
  time: RunTime;
  /** The line naming the argument the run changed, when it did (the grader's own copy is unaffected). */
  modifiedInput?: string;
}

/** A call that gave no usable network: the case status and one line saying why. */
export interface TrainCallFailure { ok: false; status: CaseStatus; line: string; seconds: number; time: RunTime }

/** "12.3 s of CPU time, limit 300 s" (or "of wall time"). */
function timeAgainstLimit(t: RunTime): string {
  return `${t.usedSec.toFixed(1)} s of ${t.clock === 'cpu' ? 'CPU time, limit' : 'wall time, limit'} ${t.limitSec} s`;
}

/**
 * Notes on a run's time for its feedback: a warning when it finished but used
 * more than half its limit (a run that timed out says so already), and a note
 * when the limit fell back to wall time.
 */
export function timeNotes(t: RunTime, timedOut = false): string[] {
  const notes: string[] = [];
  if (!timedOut && t.usedSec > WARN_SHARE * t.limitSec) {
    notes.push(`warning: this run used ${timeAgainstLimit(t)}, more than half of it: on a slower or busier grading machine it may not finish; train for fewer epochs, on fewer examples (trainSize) or with a smaller network, or make the loop faster`);
  }
  if (t.clock === 'wall') notes.push(`note: ${CPU_UNAVAILABLE}`);
  return notes;
}

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
 * Runs trainMLP(data, options, Random(seed), { onEpoch, validation }) in the child under
 * `limitSec`. `onProgress` gets the 0-based number of the report and the
 * cleaned loss and validation-accuracy histories; `validation` (npm run train's
 * held-out split) is passed as hooks.validation when given. The returned params must be exactly the network of
 * the settings, [D, ...options.hidden, C].
 */
export async function runTrainMLP(
  runner: SubmissionRunner, data: Dataset, options: TrainSettings, seed: string, limitSec: number,
  onProgress?: (epoch: number, history: ProgressHistory) => void, validation?: Dataset,
): Promise<TrainCall | TrainCallFailure> {
  const started = performance.now();
  const limitMs = limitSec * 1000;
  const backstopMs = WALL_BACKSTOP_FACTOR * limitMs;
  let reports = 0;
  const hooks: Encoded = { onEpoch: { $type: 'progress' }, ...(validation ? { validation: datasetArg(validation) } : {}) };
  const outcome = await runner.call('trainMLP', [datasetArg(data), options as unknown as Encoded, { $type: 'random', seed }, hooks], {
    timeoutMs: backstopMs,
    cpuLimitMs: limitMs,
    idleLimitMs: IDLE_LIMIT_MS,
    onProgress: onProgress && ((value) => onProgress(reports++, { loss: historyNumbers(value, 'loss'), valAccuracy: historyNumbers(value, 'valAccuracy') })),
    argNames: ['data', 'options', 'rng', 'hooks'],
  });
  const seconds = secondsSince(started);
  const cpuMs = 'cpuMs' in outcome ? outcome.cpuMs : undefined;
  const time: RunTime = cpuMs === undefined
    ? { clock: 'wall', usedSec: seconds, limitSec, wallSec: seconds }
    : { clock: 'cpu', usedSec: cpuMs / 1000, limitSec, wallSec: seconds };
  if (outcome.kind === 'timeout') return { ok: false, status: 'timeout', line: timeoutLine(time, backstopMs / 1000, outcome.idleMs), seconds, time };
  if (outcome.kind !== 'ok') {
    const problem = outcomeProblem('trainMLP', outcome, limitMs);
    return { ok: false, status: problem.status, line: problem.line, seconds, time };
  }
  try {
    const params = readParams(getPath(outcome.value, 'params'), [data.X.cols, ...options.hidden, data.classes]);
    const network: Network = { ...params, activation: options.activation, alpha: options.alpha };
    const modifiedInput = outcome.modifiedInput && `trainMLP ${outcome.modifiedInput}`;
    return { ok: true, network, history: getPath(outcome.value, 'history'), paramsFinite: allFinite(params), seconds, time, ...(modifiedInput ? { modifiedInput } : {}) };
  } catch (err) {
    return { ok: false, status: 'failed', line: `trainMLP returned something the grader cannot use: ${(err as Error).message}`, seconds, time };
  }
}

const FASTER = 'train for fewer epochs, on fewer examples (trainSize) or with a smaller network';

/** Why a run was stopped: its CPU time ran out, it computed nothing for the idle window, or (waiting rather than computing) the wall-clock backstop did. */
export function timeoutLine(t: RunTime, backstopSec: number, idleMs?: number): string {
  if (idleMs !== undefined) return `trainMLP computed nothing for ${idleMs / 1000} s (it used ${t.usedSec.toFixed(1)} s of CPU in ${t.wallSec.toFixed(0)} s), so the grader stopped it: it waits (Atomics.wait, a promise that never settles, a blocking read) instead of computing`;
  if (t.clock === 'wall') return `trainMLP did not return within ${t.limitSec} s (wall time; ${CPU_UNAVAILABLE}): ${FASTER}`;
  if (t.usedSec >= t.limitSec) return `trainMLP did not return within ${t.limitSec} s of CPU time (an endless loop, or too much work): ${FASTER}`;
  return `trainMLP did not return within ${backstopSec} s of wall time, though it used only ${t.usedSec.toFixed(1)} s of CPU: it waits (Atomics.wait, a blocking read) instead of computing, or the grading machine was overloaded`;
}
