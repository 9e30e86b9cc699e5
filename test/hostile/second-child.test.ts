/**
 * A grade run alone may train its heaviest training part in a second sandbox
 * child (grader/lanes.ts): that child starts under the same jail as the first
 * (the slot's uid, parent-death signal, memory cap, network namespace), and
 * student code in it meets the same lockdown: a trainMLP that tries to read a
 * file outside its bundle and to signal the grader is refused there too.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { grade } from '../../grader/grade.js';
import { probeIsolation, slotJail } from '../../grader/sandbox/layers.js';
import { SubmissionRunner, type RunnerOptions } from '../../grader/sandbox/runner.js';
import { removeSubmissions, wrappedSubmission } from '../training/grade-part.js';
import { osLayers } from './os-layer.js';

afterAll(removeSubmissions);

const layers = osLayers('uid-drop', 'pdeathsig', 'memory-cap', 'network-namespace');

describe('the second child of a grade run alone', () => {
  it.skipIf(layers.skip)(`starts under the first one's jail and keeps the lockdown${layers.note}`, async () => {
    layers.check();
    const dir = await wrappedSubmission(`const attempt = (what: string, f: () => unknown) => {
    try { f(); console.log(what, 'allowed'); } catch (e) { console.log(what, (e as any).code ?? String(e)); }
  };
  attempt('read /etc/passwd', () => (process as any).getBuiltinModule('node:fs').readFileSync('/etc/passwd'));
  attempt('signal the grader', () => process.kill(process.ppid, 'SIGTERM'));
  return realTrainMLP(data, options, rng, hooks);`);
    const launch = SubmissionRunner.launch;
    const jails: RunnerOptions['jail'][] = [];
    SubmissionRunner.launch = (bundle, options) => {
      jails.push(options?.jail);
      return launch.call(SubmissionRunner, bundle, options);
    };
    let results;
    try {
      results = await grade({ submission: dir, parts: ['activations', 'train_moons'], children: 2 });
    } finally {
      SubmissionRunner.launch = launch;
    }
    const expected = slotJail(await probeIsolation(), 0);
    expect(jails).toHaveLength(2);
    for (const jail of jails) expect(jail).toEqual(expected);
    expect(expected.uid).toBeDefined();
    const moons = results.parts.find((p) => p.id === 'train_moons')!;
    expect(moons.output).toContain('read /etc/passwd ERR_ACCESS_DENIED');
    expect(moons.output).not.toContain('allowed');
    expect(moons.output).toMatch(/signal the grader (ERR_ACCESS_DENIED|Error)/);
    expect(moons.score).toBe(moons.maxScore);
  }, 120_000);
});
