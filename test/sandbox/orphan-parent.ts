/**
 * A grader-like parent for the orphan test: starts a runner on the given
 * submission, prints the child's pid and bundle dir, leaves a call hanging, then exits
 * (mode "exit") or waits to be killed by a signal (mode "wait").
 */
import { bundleSubmission } from '../../grader/sandbox/bundle.js';
import { SubmissionRunner } from '../../grader/sandbox/runner.js';

const [submission, mode] = process.argv.slice(2);
const bundle = await bundleSubmission(submission, ['activations.ts']);
const runner = await SubmissionRunner.start(bundle);
const pid = await runner.call('pid', []);
if (pid.kind !== 'ok') throw new Error(`pid call failed: ${JSON.stringify(pid)}`);
void runner.call('spin', [], { timeoutMs: 60_000 });
// gives the child time to enter the endless loop, where it cannot notice the parent going away
setTimeout(() => {
  console.log(`pid ${String(pid.value)} bundle ${bundle.dir}`);
  if (mode === 'exit') process.exit(0);
}, 300);
if (mode === 'wait') setInterval(() => undefined, 1000);
