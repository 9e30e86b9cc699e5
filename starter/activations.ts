/**
 * Activation functions g and their derivatives.
 *
 * Every forward takes the pre-activation z (any shape) and returns g(z).
 * Every backward takes the upstream gradient dout = dL/da and the same z the
 * forward saw, and returns dL/dz = dout o g'(z) (o is the element-wise product).
 * Work in float64 (Float64Array, plain JS numbers); float32 (Math.fround, Float32Array)
 * loses precision the grader detects.
 * Do not modify the inputs: return a new matrix (map and zip make one) and leave
 * z and dout as they were; the grader checks them after every call.
 */
import { NotImplementedError } from './provided/errors.js';
import { Matrix, map, zip } from './provided/matrix.js';

/**
 * Sigmoid g(z) = 1 / (1 + e^-z).
 * Inputs: z, N x M. Returns: a = g(z), N x M.
 */
export function sigmoidForward(z: Matrix): Matrix {
  // YOUR CODE HERE
  throw new NotImplementedError('sigmoidForward');
}

/**
 * Sigmoid derivative g'(z) = a (1 - a) with a = g(z): compute a from z first (a (1 - a) of z itself is a classic bug).
 * Inputs: dout = dL/da, N x M; z, N x M. Returns: dL/dz, N x M.
 */
export function sigmoidBackward(dout: Matrix, z: Matrix): Matrix {
  // YOUR CODE HERE
  throw new NotImplementedError('sigmoidBackward');
}

/**
 * Hyperbolic tangent g(z) = tanh z (zero-centred, saturates).
 * Inputs: z, N x M. Returns: a = tanh z, N x M.
 */
export function tanhForward(z: Matrix): Matrix {
  // YOUR CODE HERE
  throw new NotImplementedError('tanhForward');
}

/**
 * tanh derivative g'(z) = 1 - tanh^2 z = 1 - a^2 with a = tanh z: again compute a from z first.
 * Inputs: dout = dL/da, N x M; z, N x M. Returns: dL/dz, N x M.
 */
export function tanhBackward(dout: Matrix, z: Matrix): Matrix {
  // YOUR CODE HERE
  throw new NotImplementedError('tanhBackward');
}

/**
 * ReLU g(z) = max(0, z).
 * Inputs: z, N x M. Returns: a, N x M.
 */
export function reluForward(z: Matrix): Matrix {
  // YOUR CODE HERE
  throw new NotImplementedError('reluForward');
}

/**
 * ReLU derivative: 1 where z > 0, else 0.
 * Inputs: dout, N x M; z, N x M. Returns: dL/dz, N x M.
 */
export function reluBackward(dout: Matrix, z: Matrix): Matrix {
  // YOUR CODE HERE
  throw new NotImplementedError('reluBackward');
}

/**
 * Leaky ReLU g(z) = max(alpha z, z) for 0 < alpha < 1 (the lectures show 0.01 and 0.1).
 * Inputs: z, N x M; alpha. Returns: a, N x M.
 */
export function leakyReluForward(z: Matrix, alpha = 0.01): Matrix {
  // YOUR CODE HERE
  throw new NotImplementedError('leakyReluForward');
}

/**
 * Leaky ReLU derivative: 1 where z > 0, else alpha.
 * Inputs: dout, N x M; z, N x M; alpha. Returns: dL/dz, N x M.
 */
export function leakyReluBackward(dout: Matrix, z: Matrix, alpha = 0.01): Matrix {
  // YOUR CODE HERE
  throw new NotImplementedError('leakyReluBackward');
}

/**
 * ELU g(z) = z for z >= 0, alpha (e^z - 1) otherwise (alpha = 1 by default).
 * Inputs: z, N x M; alpha. Returns: a, N x M.
 */
export function eluForward(z: Matrix, alpha = 1): Matrix {
  // YOUR CODE HERE
  throw new NotImplementedError('eluForward');
}

/**
 * ELU derivative: 1 for z >= 0, else g(z) + alpha (= alpha e^z).
 * Inputs: dout, N x M; z, N x M; alpha. Returns: dL/dz, N x M.
 */
export function eluBackward(dout: Matrix, z: Matrix, alpha = 1): Matrix {
  // YOUR CODE HERE
  throw new NotImplementedError('eluBackward');
}
