/**
 * The files a submission consists of. Fixed here, not read from the
 * submission, so a student cannot add or drop modules from grading.
 * A test keeps this list equal to the modules of reference/.
 */
export const STUDENT_MODULES = [
  'activations.ts',
  'dropout.ts',
  'gradcheck.ts',
  'init.ts',
  'layers.ts',
  'network.ts',
  'optim.ts',
  'regularization.ts',
  'train.ts',
] as const;
