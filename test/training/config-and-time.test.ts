/**
 * An invalid config.json costs only the checks that use it, and a training part
 * reports its main run's time against its limit (CPU time of the child on
 * Linux), with a warning past half of it.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { byCheck, editedSubmission, gradePart, removeSubmissions, trainingPart, wrappedSubmission } from './grade-part.js';
import { IDLE_LIMIT_MS, timeoutLine } from '../../grader/train-call.js';

afterAll(removeSubmissions);

describe('an invalid config.json', () => {
  for (const [what, text] of [
    ['breaks the schema', '{ "moons": { "hidden": [10], "lr": -1 } }'],
    ['is not JSON', '{ "moons": { "hidden": [10], } }'],
  ]) {
    it(`that ${what} fails the checks of the main run only; overfit 20 examples and keeps pairs still run`, async () => {
      const dir = await editedSubmission((s) => s);
      await writeFile(path.join(dir, 'config.json'), text);
      const part = await gradePart(dir, await trainingPart('train_moons'));
      const cases = byCheck(part);
      for (const id of ['accuracy', 'loss_decreases', 'finite_history']) {
        expect(cases[id].status).toBe('error');
        expect(cases[id].feedback).toMatch(/^config\.json /);
      }
      expect(cases.overfit_tiny).toEqual({ status: 'passed', feedback: '' });
      expect(cases.keeps_pairs).toEqual({ status: 'passed', feedback: '' });
      const earned = part.cases.filter((c) => c.id === 'overfit_tiny' || c.id === 'keeps_pairs').reduce((s, c) => s + c.maxScore, 0);
      expect(part.score).toBeCloseTo(earned, 9);
      expect(part.score).toBeGreaterThan(0);
      expect(part.status).toBe('partial');
      // no main run: the limit is known, the time is not
      expect(part.training).toEqual({ threshold: 0.93, limitSec: 60, notes: [] });
    });
  }
});

describe("a training part's time and accuracy", () => {
  it('reports the accuracy against the threshold and the CPU time against the limit', async () => {
    const part = await gradePart(await editedSubmission((s) => s), await trainingPart('train_moons'));
    const t = part.training!;
    expect(t.accuracy).toBeGreaterThanOrEqual(0.93);
    expect(t.threshold).toBe(0.93);
    expect(t.limitSec).toBe(60);
    expect(t.clock).toBe(process.platform === 'linux' ? 'cpu' : 'wall');
    expect(t.usedSec).toBeGreaterThan(0);
    expect(t.wallSec).toBeGreaterThan(0);
    expect(t.notes).toEqual([]);
  });

  it('warns when the main run used more than half its limit', async () => {
    // a fixed amount of CPU before training, so the share of the limit does not hang on how fast training ran
    const dir = await wrappedSubmission(`
  const start = process.cpuUsage();
  for (let u = process.cpuUsage(start); u.user + u.system < 1_000_000; u = process.cpuUsage(start)) { /* 1 s of CPU */ }
  return realTrainMLP(data, options, rng, hooks);`);
    const first = await gradePart(dir, await trainingPart('train_moons'));
    expect(first.training!.usedSec!).toBeGreaterThanOrEqual(1);
    expect(first.training!.notes).toEqual([]);
    const tight = await gradePart(dir, await trainingPart('train_moons', (p) => { p.training!.timeLimitSec = 1.8; }));
    expect(byCheck(tight).accuracy.status).toBe('passed');
    expect(tight.training!.limitSec).toBe(1.8); // more than half of it is spent before training starts
    expect(tight.training!.notes).toHaveLength(1);
    expect(tight.training!.notes[0]).toMatch(/^warning: this run used \d+\.\d s of CPU time, limit 1\.8 s, more than half of it/);
  });
});

describe('why a training run was stopped', () => {
  const time = (usedSec: number, wallSec: number) => ({ clock: 'cpu' as const, usedSec, limitSec: 300, wallSec });

  it('names the cause: the CPU time used up, nothing computed for the idle window, or waiting until the backstop', () => {
    expect(timeoutLine(time(300.2, 310), 900)).toMatch(/^trainMLP did not return within 300 s of CPU time \(an endless loop, or too much work\): train for fewer epochs/);
    expect(timeoutLine(time(0.4, 31), 900, 30_000)).toBe('trainMLP computed nothing for 30 s (it used 0.4 s of CPU in 31 s), so the grader stopped it: it waits (Atomics.wait, a promise that never settles, a blocking read) instead of computing');
    expect(timeoutLine(time(12, 900), 900)).toMatch(/^trainMLP did not return within 900 s of wall time, though it used only 12\.0 s of CPU: it waits/);
    expect(IDLE_LIMIT_MS).toBeLessThan(60_000);
  });
});
