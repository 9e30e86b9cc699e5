/**
 * A grader-like parent for the orphan test: starts a runner under the probed
 * OS layers (the test switches pdeathsig off with "no-pdeathsig"), prints the
 * child's pid and bundle dir, leaves a call looping, and waits to be SIGKILLed.
 */
import { bundleSubmission } from '../../grader/sandbox/bundle.js';
import { probeIsolation, slotJail } from '../../grader/sandbox/layers.js';
import { SubmissionRunner } from '../../grader/sandbox/runner.js';

const [submission, mode] = process.argv.slice(2);
const isolation = await probeIsolation(mode === 'no-pdeathsig' ? { disable: ['pdeathsig'] } : {});
const bundle = await bundleSubmission(submission, ['activations.ts']);
const runner = await SubmissionRunner.start(bundle, { jail: slotJail(isolation, 0) });
const pid = await runner.call('pid', []);
if (pid.kind !== 'ok') throw new Error(`pid call failed: ${JSON.stringify(pid)}`);
void runner.call('spin', [], { timeoutMs: 60_000 });
// gives the child time to enter the endless loop, where it cannot notice the parent going away
setTimeout(() => console.log(`pid ${String(pid.value)} bundle ${bundle.dir}`), 300);
setInterval(() => undefined, 1000);
