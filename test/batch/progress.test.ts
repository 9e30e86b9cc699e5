/** Issue 10: the batch's progress says what is running and for how long, live on a terminal and in plain lines elsewhere. */
import { describe, expect, it } from 'vitest';
import { createBatchProgress, SLOW_NOTICE_MS } from '../../batch/progress.js';

function recorder(isTTY: boolean) {
  const chunks: string[] = [];
  return { stream: { isTTY, columns: 200, write: (t: string) => chunks.push(t) }, text: () => chunks.join('') };
}

describe('batch progress', () => {
  it('plain lines: one per student, and a notice for a slow one with the time left', () => {
    let t = 0;
    const out = recorder(false);
    const p = createBatchProgress(out.stream, 3, () => t);
    p.started('alice');
    p.started('bob');
    t = 10_000;
    p.finished('alice', '100/100', false, false);
    t = 10_000 + SLOW_NOTICE_MS;
    p.tick();
    p.tick();
    p.finished('bob', 'not graded: build failed', true, false);
    p.finished('carol', '50/100', false, true);
    p.done();
    const lines = out.text().trim().split('\n');
    expect(lines[0]).toBe('[1/3] alice: 100/100');
    expect(lines[1]).toMatch(/^\.\.\. still grading bob \(40s\); 1\/3 done, 0 not graded, ~1m20s left, running bob \(40s\)$/);
    expect(lines[2]).toBe('[2/3] bob: not graded: build failed');
    expect(lines[3]).toBe('[3/3] carol: 50/100 (unchanged, not regraded)');
    expect(lines).toHaveLength(4);
    expect(out.text()).not.toContain('\r');
  });

  it('a terminal gets one redrawn line with the running student', () => {
    let t = 0;
    const out = recorder(true);
    const p = createBatchProgress(out.stream, 2, () => t);
    p.started('alice');
    t = 5_000;
    p.tick();
    expect(out.text()).toMatch(/\r\x1b\[2K\[-+\] 0\/2 done, 0 not graded, running alice \(5s\)$/);
    p.finished('alice', '10/10', false, false);
    p.done();
    expect(out.text()).toContain('[1/2] alice: 10/10\n');
    expect(out.text().endsWith('\n')).toBe(true);
  });
});
