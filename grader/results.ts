/**
 * The grading results: the one object every step fills in and every report
 * format is a pure function of (the otter-grader habit).
 */
import type { IsolationRecord } from './sandbox/layers.js';

/** Who may see a part on Gradescope; the same four values the fixtures use. */
export type Visibility = 'visible' | 'hidden' | 'after_due_date' | 'after_published';

/**
 * How a case ended. A crash, a time-out or a compile error is the submission's
 * fault but is not the same thing as a wrong answer, so it is kept apart.
 */
export type CaseStatus =
  | 'passed'
  | 'failed' // ran, answer wrong (shape, NaN or value)
  | 'not_implemented' // threw NotImplementedError
  | 'error' // threw something else
  | 'timeout' // exceeded the per-call time limit
  | 'crashed' // the child process died (process.exit, out of memory, ...)
  | 'compile_error' // the module the function lives in does not build
  | 'not_run'; // skipped on purpose (e.g. no CIFAR-10 data given)

export type PartStatus = 'passed' | 'partial' | 'failed' | 'not_implemented' | 'not_run' | 'error';

export interface CaseResult {
  /** Stable id within the part, e.g. "affine_backward/3". */
  id: string;
  /** What a person reads, e.g. "affineBackward: batch of one". */
  name: string;
  status: CaseStatus;
  score: number;
  maxScore: number;
  /** Feedback lines: what was wrong, the worst element, expected vs actual shape. Empty when passed. */
  feedback: string[];
  /** A hint when the error matches a known mistake from ASSIGNMENT.md. */
  hints: string[];
  timeMs: number;
}

export interface Curve { name: string; values: number[] }

/** Pictures a training part leaves behind for the HTML report. */
export interface PartArtifacts {
  curves?: Curve[];
  /** Row = true class, column = predicted class. */
  confusion?: number[][];
  /** Decision boundary samples: grid of predicted classes over [x0,x1] x [y0,y1], with the test points. */
  boundary?: {
    x: [number, number];
    y: [number, number];
    resolution: number;
    grid: number[];
    points: { x: number; y: number; label: number }[];
  };
  accuracy?: number;
  threshold?: number;
}

/** What a training part measured, shown by every report: the accuracy against its threshold, the main run's time against its limit. */
export interface TrainingMeasures {
  /** Test accuracy of the network the main run returned; absent when it returned none. */
  accuracy?: number;
  threshold: number;
  /** The main run's time limit, in seconds of `clock`. */
  limitSec: number;
  /** 'cpu': CPU time of the child (Linux); 'wall': wall time, where the CPU time cannot be read. Absent when the main run did not run. */
  clock?: 'cpu' | 'wall';
  /** The main run's time on `clock`, and its wall time, in seconds; absent when it did not run. */
  usedSec?: number;
  wallSec?: number;
  /** Warnings about the run's time: more than half the limit used, or the limit measured in wall time. */
  notes: string[];
}

export interface PartResult {
  id: string;
  title: string;
  visibility: Visibility;
  status: PartStatus;
  score: number;
  maxScore: number;
  timeMs: number;
  cases: CaseResult[];
  /** Why a whole part did not run (e.g. how to provide the CIFAR-10 data). */
  notRunReason?: string;
  /** What the submission printed while this part ran, capped. */
  output: string;
  artifacts?: PartArtifacts;
  /** Training parts only: accuracy against threshold, time against limit. */
  training?: TrainingMeasures;
}

export interface GradingResults {
  /** The graded submission as reports show it: relative to the working directory, or its folder name (grader/shown-path.ts). */
  submission: string;
  /** ISO time at which grading started. */
  startedAt: string;
  timeMs: number;
  score: number;
  maxScore: number;
  /** Points in the maximum of parts that were not run (CIFAR-10 without data when it is required; otherwise it is left out). */
  notAttempted: number;
  parts: PartResult[];
  /** Problems with the run as a whole that are not a part's (e.g. a module that does not compile). */
  warnings: string[];
  /** Generator version and seed of the fixtures used, and whether they were hidden. */
  fixtures: { version: string; seed: string; hidden: boolean };
  /** Whether strict mode was on, and each isolation layer as probed (active or not, and what was seen). */
  isolation: IsolationRecord;
}
