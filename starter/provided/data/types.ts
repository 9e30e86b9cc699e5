/**
 * PROVIDED HELPER: do not edit. The grader always uses its own copy of this file.
 *
 * The shapes every data loader returns, and the one error they all throw.
 */
import type { Matrix } from '../matrix.js';

/** A labelled data set: X is N x D (one example per row), y[n] in 0..classes-1. */
export interface Dataset {
  X: Matrix;
  y: number[];
  classes: number;
}

/** A train/test pair; the test part is only for the final score. */
export interface Split {
  train: Dataset;
  test: Dataset;
}

/**
 * A data file or directory that cannot be used. The message is one line:
 * "<file>: <what is wrong> — <what to do>", so a CLI can print it as it is.
 */
export class DataError extends Error {
  override name = 'DataError';

  constructor(readonly file: string, problem: string, options?: { cause?: unknown }) {
    super(`${file}: ${problem}`.replace(/\s*\n\s*/g, ' '), options);
  }
}
