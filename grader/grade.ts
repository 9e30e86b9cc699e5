/**
 * The grading pipeline, as an ordered list of single-purpose steps: load and
 * verify the fixtures, build the submission, start its child process, grade
 * each part, collect what it printed, and return one GradingResults.
 */
import path from 'node:path';
import { stat } from 'node:fs/promises';
import { loadFixtures, DEFAULT_FIXTURES_DIR, type LoadedFixtures } from './fixtures/load.js';
import type { FixturePart } from './fixtures/types.generated.js';
import { STUDENT_MODULES } from './modules.js';
import type { CaseResult, GradingResults, PartResult } from './results.js';
import { countedPart, partStatus, sumScores } from './status.js';
import { shownPath } from './shown-path.js';
import { bundleSubmission, removeBundle } from './sandbox/bundle.js';
import { probeIsolation, SandboxRefusal, slotJail, strictProblem, type Isolation, type SandboxTestOptions } from './sandbox/layers.js';
import type { Jail } from './sandbox/jail.js';
import { SubmissionRunner } from './sandbox/runner.js';
import { OutputCap } from './sandbox/output-cap.js';
import { Lane, secondLanePart } from './lanes.js';
import { gradeTrainingPart, partWithoutData, type TrainingContext } from './training.js';
import { DEFAULT_TIME_LIMITS, seconds, submissionLimitMs, type TimeLimits, type UnitBudget } from './time-budget.js';
import { gradeUnitCases, MAX_CALL_TIMEOUT_S, type UnitPartOutcome } from './unit.js';

export interface GradeOptions {
  /** Directory laid out like starter/. */
  submission: string;
  fixturesDir?: string;
  /** Only these part ids. */
  parts?: string[];
  /** Time limit of one unit-case call, in ms (default 10 s). */
  callTimeoutMs?: number;
  /** Other wall-clock limits (tests use small ones); defaults in DEFAULT_TIME_LIMITS. */
  timeLimits?: Partial<Omit<TimeLimits, 'callMs'>>;
  /** Where real data sets live (full MNIST IDX files, CIFAR-10 binary version). */
  data?: TrainingContext['data'];
  /** Called when a part starts and ends, for progress output. */
  onPart?: (event: { part: FixturePart; result?: PartResult }) => void;
  /** Progress of training parts (epoch lines). */
  onTrainingProgress?: TrainingContext['onProgress'];
  /** Parts that count even when their data is missing (default: none, such a part is left out of the maximum). */
  requiredParts?: string[];
  /** Refuse to grade (SandboxRefusal, exit code 3) when a layer strict mode requires is missing (see sandbox/layers.ts). */
  strict?: boolean;
  /** Job slot of this submission in a batch (0 to MAX_SLOTS-1, default 0): its child runs as the slot's own uid. */
  slot?: number;
  /**
   * Sandbox children at once (default 1): with 2, the heaviest training part trains in a second
   * child of the same jail while the other parts run (lanes.ts). A grade run alone passes
   * loneGradeChildren(); a batch keeps 1, since it runs --jobs submissions at once.
   */
  children?: 1 | 2;
  /** For tests only (no CLI flag or environment variable reaches it): where the OS tools are, and layers to switch off. */
  sandboxForTests?: SandboxTestOptions;
}

/** Thrown when grading cannot run at all (exit code 2): bad arguments, missing or corrupt fixtures. */
export class GradingSetupError extends Error {
  override name = 'GradingSetupError';
}

/** A GradingSetupError that is the submission's own fault (no assignment files, a build that fails as a whole). */
export class SubmissionError extends GradingSetupError {
  override name = 'SubmissionError';
}

/** The per-call limit a user gave in seconds (--call-timeout), in ms; undefined keeps the default. */
export function callTimeoutOption(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const seconds = Number(text);
  if (!(seconds > 0 && seconds <= MAX_CALL_TIMEOUT_S)) {
    throw new GradingSetupError(`--call-timeout takes a number of seconds from 0 to ${MAX_CALL_TIMEOUT_S}, got "${text}"`);
  }
  return seconds * 1000;
}

/** Refuses a folder that is not a submission; `given` is the folder as the caller named it, for the message. */
async function checkSubmission(dir: string, given: string): Promise<void> {
  const s = await stat(dir).catch(() => null);
  if (!s?.isDirectory()) throw new SubmissionError(`${given}: no such directory; pass --submission DIR, a folder laid out like starter/`);
  const present = await Promise.all(STUDENT_MODULES.map((f) => stat(path.join(dir, f)).then(() => true, () => false)));
  if (!present.some(Boolean)) {
    throw new SubmissionError(`${given}: none of the assignment files (${STUDENT_MODULES.join(', ')}) is there; pass --submission DIR, a folder laid out like starter/`);
  }
}

export async function grade(options: GradeOptions): Promise<GradingResults> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const submission = path.resolve(options.submission);
  await checkSubmission(submission, options.submission);
  // the probe's tiny children, the fixtures and the build do not depend on each other: all at once,
  // their failures reported in this order, and a finished build removed when another step failed
  const probing = probeIsolation(options.sandboxForTests);
  const loading = loadFixtures(options.fixturesDir ?? DEFAULT_FIXTURES_DIR, options.parts);
  const building = bundleSubmission(submission, [...STUDENT_MODULES]);
  const [, , built] = await Promise.allSettled([probing, loading, building]);
  let isolation: Isolation, jail: Jail, fixtures: LoadedFixtures;
  try {
    isolation = await probing;
    const refusal = options.strict ? strictProblem(isolation.layers) : undefined;
    if (refusal) throw new SandboxRefusal(refusal);
    try {
      jail = slotJail(isolation, options.slot ?? 0);
    } catch (cause) {
      throw new GradingSetupError((cause as Error).message, { cause });
    }
    fixtures = await loading.catch((cause: unknown) => {
      throw new GradingSetupError((cause as Error).message, { cause });
    });
  } catch (err) {
    if (built.status === 'fulfilled') await removeBundle(built.value);
    throw err;
  }
  const bundle = await building.catch((cause: unknown) => {
    throw new SubmissionError(`could not build the submission: ${(cause as Error).message}`, { cause });
  });
  const warnings = Object.entries(bundle.modules)
    .filter(([, s]) => !s.ok)
    .map(([file, s]) => `${file}: ${(s as { error: string }).error}`);
  const limits: TimeLimits = { ...DEFAULT_TIME_LIMITS, ...options.timeLimits, callMs: options.callTimeoutMs ?? DEFAULT_TIME_LIMITS.callMs };
  const submissionMs = submissionLimitMs(fixtures.parts, limits);
  const deadline = started + submissionMs;
  const timedOut = new Set<string>();
  // launched, not awaited: a training part loads its data set while its child starts
  const startRunner = () => SubmissionRunner.launch(bundle, { jail }).catch((cause: unknown) => {
    throw new GradingSetupError(`could not start the sandbox: ${(cause as Error).message}`, { cause });
  });
  const second = (options.children ?? 1) >= 2 ? secondLanePart(fixtures.parts, limits, options.data ?? {}) : undefined;
  const lanes = second ? [new Lane(startRunner), new Lane(startRunner)] : [new Lane(startRunner)];
  // results by fixture position, so the report's order does not depend on which lane finishes first
  const parts: PartResult[] = [];

  /** Grades one part in `lane`; `sideRunner` gives a training part the other lane's child for its smaller runs. */
  const gradePart = async (lane: Lane, index: number, sideRunner?: TrainingContext['sideRunner']): Promise<void> => {
    const part = fixtures.parts[index];
    if (performance.now() >= deadline) {
      // a part this run has no data for is left out as it would have been with time to spare
      const noData = part.kind === 'training' ? partWithoutData(part, options.data ?? {}) : undefined;
      parts[index] = countedPart(noData ?? outOfTimePart(part, `not run: the submission's time limit (${seconds(submissionMs)}) was used up by earlier parts`), options.requiredParts);
      return;
    }
    const runner = await lane.runnerFor(part.visibility);
    options.onPart?.({ part });
    const partStarted = performance.now();
    let result: PartResult;
    if (part.kind === 'unit') {
      result = unitPartResult(part, await gradeUnitCases(runner, part, limits.callMs, unitBudget(partStarted, deadline, submissionMs, limits, timedOut)));
    } else {
      const graded = await gradeTrainingPart(runner, part, { data: options.data ?? {}, submission, onProgress: options.onTrainingProgress, sideRunner });
      result = { ...graded, output: joinOutput(runner.takeOutput(), graded.output) };
    }
    result.timeMs = performance.now() - partStarted;
    const counted = countedPart(result, options.requiredParts);
    parts[index] = counted;
    options.onPart?.({ part, result: counted });
  };

  const secondIndex = second ? fixtures.parts.indexOf(second) : -1;
  const firstLane = (async () => {
    for (let i = 0; i < fixtures.parts.length; i++) if (i !== secondIndex) await gradePart(lanes[0], i);
    return lanes[0];
  })();
  const running = [firstLane, ...(second ? [gradePart(lanes[1], secondIndex, () => firstLane.then((lane) => lane.runnerFor(second.visibility)))] : [])];
  try {
    await Promise.all(running);
  } catch (err) {
    // stop the other lane (its calls answer at once) before reporting the first failure
    await Promise.all(lanes.map((lane) => lane.close()));
    await Promise.allSettled(running);
    throw err;
  } finally {
    // a child being killed reads nothing more from its bundle: both at once
    await Promise.all([...lanes.map((lane) => lane.close()), removeBundle(bundle)]);
  }
  const score = sumScores(parts.map((p) => p.score));
  return {
    submission: shownPath(submission),
    startedAt,
    timeMs: performance.now() - started,
    score,
    maxScore: parts.reduce((s, p) => s + p.maxScore, 0),
    notAttempted: parts.filter((p) => p.status === 'not_run').reduce((s, p) => s + p.maxScore, 0),
    parts,
    warnings,
    fixtures: { version: fixtures.manifest.generatorVersion, seed: fixtures.manifest.seed, hidden: fixtures.manifest.hidden },
    isolation: { strict: options.strict ?? false, layers: isolation.layers.map((l) => ({ ...l })) },
  };
}

/** A unit part's budget: its own deadline, or the submission's when that comes first. */
function unitBudget(now: number, submissionDeadline: number, submissionMs: number, limits: TimeLimits, timedOut: Set<string>): UnitBudget {
  const own = now + limits.unitPartMs;
  return {
    deadline: Math.min(own, submissionDeadline),
    deadlineName: own <= submissionDeadline ? `the part's time limit (${seconds(limits.unitPartMs)})` : `the submission's time limit (${seconds(submissionMs)})`,
    afterTimeoutMs: limits.afterTimeoutMs,
    timedOut,
  };
}

/** A part not started because the submission's time ran out: every case timed out, with the reason. */
function outOfTimePart(part: FixturePart, why: string): PartResult {
  const entries = part.kind === 'unit' ? part.cases.map((c) => ({ id: c.id, name: c.name, weight: c.weight })) : part.training?.checks ?? [];
  const totalWeight = entries.reduce((s, e) => s + e.weight, 0);
  const cases: CaseResult[] = entries.map((e) => ({
    id: e.id, name: e.name, status: 'timeout', score: 0, maxScore: totalWeight > 0 ? (part.points * e.weight) / totalWeight : 0,
    feedback: [why], hints: [], timeMs: 0,
  }));
  return unitPartResult(part, { cases, output: '' });
}

/** What the child printed during a part, then what the other lane's child printed during its smaller runs, within one cap. */
function joinOutput(own: string, side: string): string {
  if (!side) return own;
  const cap = new OutputCap();
  cap.add(Buffer.from(own));
  cap.add(Buffer.from(side));
  return cap.take();
}

function unitPartResult(part: FixturePart, { cases, output }: UnitPartOutcome): PartResult {
  return {
    id: part.id, title: part.title, visibility: part.visibility, status: partStatus(cases),
    score: sumScores(cases.map((c) => c.score)), maxScore: part.points, timeMs: 0, cases, output,
  };
}
