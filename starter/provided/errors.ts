/**
 * PROVIDED HELPER: do not edit.
 *
 * The error every unfinished function throws, so the grader can tell
 * "not implemented yet" apart from a bug.
 */
export class NotImplementedError extends Error {
  override name = 'NotImplementedError';

  constructor(readonly functionName: string) {
    super(`${functionName} is not implemented yet: fill in the block marked "YOUR CODE HERE"`);
  }
}
