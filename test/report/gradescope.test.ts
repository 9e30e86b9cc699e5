import { describe, expect, it } from 'vitest';
import { gradescopeReport } from '../../grader/report/gradescope.js';
import { sampleResults } from './sample-results.js';

const VISIBILITIES = ['hidden', 'after_due_date', 'after_published', 'visible'];
/** Keys the Gradescope autograder specification defines, with the JS type of each. */
const TOP_LEVEL = {
  score: 'number', execution_time: 'number', output: 'string', output_format: 'string',
  visibility: 'string', stdout_visibility: 'string', tests: 'object',
};
/** Keys the report adds only when it has something for them. */
const OPTIONAL = ['leaderboard'];
const TEST = {
  name: 'string', number: 'string', score: 'number', max_score: 'number', status: 'string',
  output: 'string', visibility: 'string', tags: 'object',
};

type Doc = Record<string, unknown> & { score: number; output: string; tests: Record<string, unknown>[] };

describe('gradescopeReport', () => {
  const doc = JSON.parse(gradescopeReport(sampleResults())) as Doc;

  it('uses exactly the keys and types of the specification', () => {
    expect(Object.keys(doc).filter((k) => !OPTIONAL.includes(k)).sort()).toEqual(Object.keys(TOP_LEVEL).sort());
    for (const [key, type] of Object.entries(TOP_LEVEL)) expect(typeof doc[key], key).toBe(type);
    expect(doc.output_format).toBe('text');
    expect(VISIBILITIES).toContain(doc.visibility);
    expect(VISIBILITIES).toContain(doc.stdout_visibility);
    expect(doc.execution_time).toBe(12.35);
    for (const t of doc.tests) {
      expect(Object.keys(t).sort()).toEqual(Object.keys(TEST).sort());
      for (const [key, type] of Object.entries(TEST)) expect(typeof t[key], `${String(t.number)} ${key}`).toBe(type);
      expect(['passed', 'failed']).toContain(t.status);
      expect(VISIBILITIES).toContain(t.visibility);
      expect(t.number).toMatch(/^\d+\.\d+$/);
      expect((t.tags as unknown[]).every((x) => typeof x === 'string')).toBe(true);
    }
  });

  it('has one test per case (a caseless part counts as one) and scores that add up to the top level', () => {
    expect(doc.tests).toHaveLength(18);
    const sum = doc.tests.reduce((s, t) => s + (t.score as number), 0);
    const max = doc.tests.reduce((s, t) => s + (t.max_score as number), 0);
    expect(sum).toBeCloseTo(doc.score, 9);
    expect(doc.score).toBe(33.5);
    expect(max).toBeCloseTo(65, 9);
  });

  it('numbers tests part.case, tags them with the part id and shows partial credit', () => {
    const t = doc.tests.find((x) => x.number === '2.4')!;
    expect(t).toEqual({
      name: 'Affine layer: affineBackward: batch of one',
      number: '2.4',
      score: 0.5,
      max_score: 1,
      status: 'failed',
      output: 'dX is right; dW is wrong\nworst element dW[2,1]: relative error 0.75\nhint: Did you forget the 1/N? The loss is the batch mean.',
      visibility: 'visible',
      tags: ['layers'],
    });
    expect(doc.tests.find((x) => x.number === '3.1')!.output).toBe('not implemented yet (threw NotImplementedError)');
    const cifar = doc.tests.find((x) => x.number === '7.1')!;
    expect(cifar).toMatchObject({ name: 'CIFAR-10', score: 0, max_score: 10, status: 'failed', tags: ['cifar10'] });
  });

  it('keeps each part\'s visibility and leaves the output of non-visible parts out', () => {
    const byTag = (id: string) => doc.tests.filter((t) => (t.tags as string[])[0] === id);
    expect(byTag('regularization').map((t) => t.visibility)).toEqual(['hidden', 'hidden']);
    expect(byTag('mnist').map((t) => t.visibility)).toEqual(['after_due_date']);
    expect(byTag('optim').map((t) => t.visibility)).toEqual(['after_published', 'after_published']);
    expect(doc.output).toContain('Output of Affine layer:\nx < y && y > z ]]> done red');
    expect(doc.output).not.toContain('epoch 1 loss'); // mnist is after_due_date
    expect(doc.output).not.toContain('\x1b');
    expect(doc.output).toMatch(/^Visible tests: 13\.5 \/ 35\n/);
    expect(doc.output).toMatch(/\nCIFAR-10: 10 points not attempted: no CIFAR-10 data/);
  });

  it('never gives the total (or a hidden score) while some tests are not visible, only how many points are hidden and when they show', () => {
    expect(doc.output).not.toMatch(/Total|33\.5/);
    expect(doc.output).toContain('Hidden tests: 20 more points, results shown after the due date');
    expect(doc.output).toContain('Hidden tests: 5 more points, results shown when the grades are published');
    expect(doc.output).toContain('Hidden tests: 5 more points, results shown only to the course staff');
    const allVisible = sampleResults();
    for (const p of allVisible.parts) p.visibility = 'visible';
    expect((JSON.parse(gradescopeReport(allVisible)) as Doc).output).toMatch(/^Total: 33\.5 \/ 65\n/);
  });

  it('gives the test accuracy of visible training parts to the leaderboard, and leaves parts out of the maximum as no test', () => {
    const r = sampleResults();
    const mnist = r.parts.find((p) => p.id === 'mnist')!;
    mnist.artifacts = { ...mnist.artifacts, accuracy: 0.91234 };
    expect((JSON.parse(gradescopeReport(r)) as { leaderboard?: unknown }).leaderboard).toBeUndefined(); // mnist is after_due_date here
    mnist.visibility = 'visible';
    expect((JSON.parse(gradescopeReport(r)) as { leaderboard?: unknown }).leaderboard).toEqual([{ name: `${mnist.title} accuracy`, value: 0.9123 }]);
    const cifar = r.parts.find((p) => p.id === 'cifar10')!;
    Object.assign(cifar, { maxScore: 0, notRunReason: 'left out of the maximum score: no data' });
    const d = JSON.parse(gradescopeReport(r)) as Doc;
    expect(d.tests.some((t) => (t.tags as string[])[0] === 'cifar10')).toBe(false);
    expect(d.output).toContain('CIFAR-10: not counted: left out of the maximum score: no data');
  });

  it("states each visible training part's accuracy against its threshold and time against its limit, with the half-limit warning; a hidden one stays out", () => {
    const r = sampleResults();
    const mnist = r.parts.find((p) => p.id === 'mnist')!;
    expect(doc.output).not.toMatch(/MNIST 784-500-10: test accuracy/); // after_due_date: not visible yet
    mnist.visibility = 'visible';
    const shown = (JSON.parse(gradescopeReport(r)) as Doc).output;
    expect(shown).toMatch(/^Training:\nMNIST 784-500-10: test accuracy 0\.9300, threshold 0\.9: reached; main run 8\.2 s of CPU time, limit 15 s\n  warning: this run used 8\.2 s of CPU time, limit 15 s, more than half of it/m);
  });

  it('takes the top-level visibilities from its options', () => {
    const d = JSON.parse(gradescopeReport(sampleResults(), { visibility: 'after_due_date', stdoutVisibility: 'visible' })) as Doc;
    expect([d.visibility, d.stdout_visibility]).toEqual(['after_due_date', 'visible']);
    expect([doc.visibility, doc.stdout_visibility]).toEqual(['visible', 'hidden']);
  });

  it('matches the snapshot (times blanked)', async () => {
    const text = gradescopeReport(sampleResults()).replace(/"execution_time": [\d.]+/, '"execution_time": 0');
    await expect(text).toMatchFileSnapshot('__snapshots__/gradescope-results.json');
  });
});
