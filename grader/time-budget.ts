/**
 * Wall-clock limits of grading one submission, so that code which hangs
 * everywhere costs a bounded time: a limit per unit-case call, a shorter one
 * for a function that has already timed out once, a deadline per unit part,
 * and one for the whole submission (the sum of its parts' limits plus a margin).
 */
import type { FixturePart } from './fixtures/types.generated.js';

export interface TimeLimits {
  /** One unit-case call, when its fixture sets no limit of its own (--call-timeout). */
  callMs: number;
  /** Every later call of a function that has already timed out once in this submission. */
  afterTimeoutMs: number;
  /** All the cases of one unit part together, self-checks and process restarts included. */
  unitPartMs: number;
  /** Added once to the sum of the parts' limits: the build, process starts, loading data sets. */
  marginMs: number;
  /** The whole submission; by default the sum of its parts' limits plus the margin. */
  submissionMs?: number;
}

export const DEFAULT_CALL_TIMEOUT_MS = 10_000;

/** The limits grading uses unless told otherwise (the figures in the README). */
export const DEFAULT_TIME_LIMITS: Readonly<TimeLimits> = {
  callMs: DEFAULT_CALL_TIMEOUT_MS,
  afterTimeoutMs: 1_000,
  unitPartMs: 60_000,
  marginMs: 60_000,
};

/**
 * A training run's wall-clock backstop, as a multiple of its limit in CPU time: a
 * child that waits (Atomics.wait, a sleep) burns no CPU, and a loaded machine
 * may give a child a third of a core without the run being at fault.
 */
export const WALL_BACKSTOP_FACTOR = 3;

/** Training checks that make a run of their own, each under its own limit (training.ts). */
const OWN_RUN_CHECKS = new Set(['overfit_tiny', 'keeps_pairs']);

/** The longest one part may take: a unit part's deadline, or a training part's main run plus its smaller runs at their wall-clock backstops. */
export function partLimitMs(part: FixturePart, limits: TimeLimits): number {
  const training = part.training;
  if (part.kind === 'unit' || !training) return limits.unitPartMs;
  const runs = training.checks.filter((c) => OWN_RUN_CHECKS.has(c.id)).map((c) => c.timeLimitSec ?? training.timeLimitSec);
  return WALL_BACKSTOP_FACTOR * (training.timeLimitSec + runs.reduce((s, t) => s + t, 0)) * 1000;
}

/** The whole submission's limit: the given one, or the sum of its parts' limits plus the margin. */
export function submissionLimitMs(parts: FixturePart[], limits: TimeLimits): number {
  return limits.submissionMs ?? parts.reduce((s, p) => s + partLimitMs(p, limits), limits.marginMs);
}

/** The state one submission's unit parts share: when the current part must end, and which functions have timed out. */
export interface UnitBudget {
  /** `performance.now()` by which the part must end. */
  deadline: number;
  /** Why the deadline is what it is, for the feedback of the cases it cuts: "the part's time limit (60 s)". */
  deadlineName: string;
  /** The limit of a call of a function that has already timed out. */
  afterTimeoutMs: number;
  /** Functions that timed out earlier in this submission. */
  timedOut: Set<string>;
}

/** "60 s", "0.5 s". */
export function seconds(ms: number): string {
  return `${ms / 1000} s`;
}
