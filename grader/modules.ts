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

/** One of the submission's module files. */
export type StudentModule = (typeof STUDENT_MODULES)[number];

/**
 * The module each graded function lives in (the reference module that
 * exports it). The grader calls a function in its home module, so a
 * student's helper of the same name in another module is never called
 * instead. A test keeps this map equal to what reference/ exports.
 */
export const FUNCTION_MODULES: Readonly<Record<string, StudentModule>> = {
  sigmoidForward: 'activations.ts',
  sigmoidBackward: 'activations.ts',
  tanhForward: 'activations.ts',
  tanhBackward: 'activations.ts',
  reluForward: 'activations.ts',
  reluBackward: 'activations.ts',
  leakyReluForward: 'activations.ts',
  leakyReluBackward: 'activations.ts',
  eluForward: 'activations.ts',
  eluBackward: 'activations.ts',
  dropoutForward: 'dropout.ts',
  dropoutBackward: 'dropout.ts',
  numericalGradient: 'gradcheck.ts',
  relError: 'gradcheck.ts',
  xavierUniform: 'init.ts',
  glorotNormal: 'init.ts',
  heNormal: 'init.ts',
  initMLP: 'init.ts',
  affineForward: 'layers.ts',
  affineBackward: 'layers.ts',
  softmax: 'layers.ts',
  softmaxCrossEntropy: 'layers.ts',
  activationForward: 'network.ts',
  activationBackward: 'network.ts',
  mlpScores: 'network.ts',
  mlpLoss: 'network.ts',
  sgd: 'optim.ts',
  momentum: 'optim.ts',
  rmsprop: 'optim.ts',
  adam: 'optim.ts',
  l2Penalty: 'regularization.ts',
  l1Penalty: 'regularization.ts',
  optimizerStep: 'train.ts',
  predict: 'train.ts',
  accuracy: 'train.ts',
  trainMLP: 'train.ts',
};

/** The home module of a graded function, or undefined for any other name. */
export function homeModule(fn: string): StudentModule | undefined {
  return Object.hasOwn(FUNCTION_MODULES, fn) ? FUNCTION_MODULES[fn] : undefined;
}
