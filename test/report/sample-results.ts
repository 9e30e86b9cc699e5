/**
 * A hand-built GradingResults covering what the reports must handle: a passed
 * part, a partial one with failing cases and hints, a timeout and a crash,
 * not implemented, a hidden part, a compile error, a CIFAR-10 part that was
 * not run, and captured output with XML-hostile text.
 */
import type { CaseResult, GradingResults } from '../../grader/results.js';

function pass(id: string, name: string, maxScore: number, timeMs = 3): CaseResult {
  return { id, name, status: 'passed', score: maxScore, maxScore, feedback: [], hints: [], timeMs };
}

/** Output with `<`, `&`, `]]>`, a BEL control character and a colour escape. */
export const HOSTILE_OUTPUT = 'x < y && y > z ]]> done\x07 \x1b[31mred\x1b[0m\n';

/** Fifty lines of training log, to exercise the output cap. */
const TRAINING_LOG = Array.from({ length: 50 }, (_, i) => `epoch ${i + 1} loss ${(2 / (i + 1)).toFixed(4)}`).join('\n') + '\n';

export function sampleResults(): GradingResults {
  return {
    submission: 'submissions/alice',
    startedAt: '2026-03-01T10:00:00.000Z',
    timeMs: 12345,
    score: 33.5,
    maxScore: 65,
    notAttempted: 10,
    warnings: ['starter/optim.ts does not compile: Expected ";" but found "}" (line 12)'],
    fixtures: { version: '1.0.0', seed: 'bp-2026', hidden: true },
    isolation: {
      strict: true,
      layers: [
        { id: 'child-lockdown', active: true, detail: "Node's permission model and the child's own lockdown" },
        { id: 'sigusr1-guard', active: true, detail: 'SIGUSR1 ignored by the grader' },
        { id: 'uid-drop', active: true, detail: 'uid and gid 64100 + job slot, no supplementary groups' },
        { id: 'pdeathsig', active: true, detail: 'SIGKILL when the grader dies' },
        { id: 'memory-cap', active: true, detail: 'RLIMIT_DATA' },
        { id: 'network-namespace', active: false, detail: '/usr/bin/unshare failed: unshare: unshare failed: Operation not permitted' },
      ],
    },
    parts: [
      {
        id: 'activations',
        title: 'Activation functions',
        visibility: 'visible',
        status: 'passed',
        score: 10,
        maxScore: 10,
        timeMs: 420,
        output: '',
        cases: [
          pass('sigmoid/0', 'sigmoidForward: mixed signs', 2.5),
          pass('tanh/0', 'tanhForward: mixed signs', 2.5),
          pass('relu/0', 'reluForward: away from the kink', 2.5),
          pass('relu_backward/0', 'reluBackward: away from the kink', 2.5),
        ],
      },
      {
        id: 'layers',
        title: 'Affine layer',
        visibility: 'visible',
        status: 'partial',
        score: 3.5,
        maxScore: 5,
        timeMs: 1234,
        output: HOSTILE_OUTPUT,
        cases: [
          pass('affine_forward/0', 'affineForward: batch of 4', 1.5),
          pass('affine_forward/1', 'affineForward: batch of one', 1.5),
          {
            id: 'affine_backward/0', name: 'affineBackward: batch of 4', status: 'failed', score: 0, maxScore: 0.5,
            feedback: ['dW has shape 5x3, expected 3x5'],
            hints: ['dW = X^T dout, not dout^T X: the weight gradient looks transposed.'],
            timeMs: 4,
          },
          {
            id: 'affine_backward/1', name: 'affineBackward: batch of one', status: 'failed', score: 0.5, maxScore: 1,
            feedback: ['dX is right; dW is wrong', 'worst element dW[2,1]: relative error 0.75'],
            hints: ['Did you forget the 1/N? The loss is the batch mean.'],
            timeMs: 5,
          },
          {
            id: 'affine_backward/2', name: 'affineBackward: large batch', status: 'timeout', score: 0, maxScore: 0.25,
            feedback: ['took longer than 2000ms'], hints: [], timeMs: 2000,
          },
          {
            id: 'affine_backward/3', name: 'affineBackward: "quoted", with comma', status: 'crashed', score: 0, maxScore: 0.25,
            feedback: ['the child process exited with code 1 (process.exit called?)'], hints: [], timeMs: 15,
          },
        ],
      },
      {
        id: 'softmax',
        title: 'Softmax loss',
        visibility: 'visible',
        status: 'not_implemented',
        score: 0,
        maxScore: 10,
        timeMs: 20,
        output: '',
        cases: [
          {
            id: 'softmax_loss/0', name: 'softmaxLoss: small batch', status: 'not_implemented', score: 0, maxScore: 5,
            feedback: [], hints: [], timeMs: 1,
          },
          {
            id: 'softmax_loss/1', name: 'softmaxLoss: logits of 1000', status: 'not_implemented', score: 0, maxScore: 5,
            feedback: [], hints: [], timeMs: 1,
          },
        ],
      },
      {
        id: 'regularization',
        title: 'Regularisation',
        visibility: 'hidden',
        status: 'failed',
        score: 0,
        maxScore: 5,
        timeMs: 30,
        output: '',
        cases: [
          {
            id: 'l2/0', name: 'l2Penalty: gradient', status: 'failed', score: 0, maxScore: 2.5,
            feedback: ['gradient: relative error 1 at [0,0]'],
            hints: ['The L2 penalty is (lambda/2) sum W^2, so its gradient is lambda W, not 2 lambda W.'],
            timeMs: 2,
          },
          {
            id: 'l1/0', name: 'l1Penalty: gradient', status: 'error', score: 0, maxScore: 2.5,
            feedback: ["threw TypeError: Cannot read properties of undefined (reading 'rows')"], hints: [], timeMs: 2,
          },
        ],
      },
      {
        id: 'optim',
        title: 'Optimisers',
        visibility: 'after_published',
        status: 'error',
        score: 0,
        maxScore: 5,
        timeMs: 0,
        output: '',
        cases: [
          {
            id: 'sgd/0', name: 'sgdStep', status: 'compile_error', score: 0, maxScore: 2.5,
            feedback: ['starter/optim.ts does not compile'], hints: [], timeMs: 0,
          },
          {
            id: 'momentum/0', name: 'momentumStep', status: 'compile_error', score: 0, maxScore: 2.5,
            feedback: ['starter/optim.ts does not compile'], hints: [], timeMs: 0,
          },
        ],
      },
      {
        id: 'mnist',
        title: 'MNIST 784-500-10',
        visibility: 'after_due_date',
        status: 'passed',
        score: 20,
        maxScore: 20,
        timeMs: 9000,
        output: TRAINING_LOG,
        cases: [pass('mnist/accuracy', 'test accuracy >= 0.9', 20, 9000)],
        artifacts: { accuracy: 0.93, threshold: 0.9 },
        training: {
          accuracy: 0.93, threshold: 0.9, limitSec: 15, clock: 'cpu', usedSec: 8.2, wallSec: 9,
          notes: ['warning: this run used 8.2 s of CPU time, limit 15 s, more than half of it: on a slower or busier grading machine it may not finish'],
        },
      },
      {
        id: 'cifar10',
        title: 'CIFAR-10',
        visibility: 'visible',
        status: 'not_run',
        score: 0,
        maxScore: 10,
        timeMs: 0,
        notRunReason: 'no CIFAR-10 data: pass --cifar10 DIR (the folder with data_batch_1.bin ... test_batch.bin)',
        output: '',
        training: { threshold: 0.4, limitSec: 900, notes: [] },
        cases: [],
      },
    ],
  };
}
