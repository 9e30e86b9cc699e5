/** The Markdown summary (for $GITHUB_STEP_SUMMARY) and the folding of identical "not implemented" cases it shares with the HTML report. */
import { describe, expect, it } from 'vitest';
import { foldNotImplemented } from '../../grader/report/fold.js';
import { htmlReport } from '../../grader/report/html.js';
import { markdownReport } from '../../grader/report/markdown.js';
import type { GradingResults } from '../../grader/results.js';
import { sampleResults } from './sample-results.js';

describe('markdownReport', () => {
  const text = markdownReport(sampleResults());

  it('gives the total and one table row per part', () => {
    const r = sampleResults();
    expect(text.startsWith(`## Grade: ${r.score} / ${r.maxScore}\n`)).toBe(true);
    for (const p of r.parts) expect(text).toMatch(new RegExp(`^\\| .+ \\| \`${p.id}\` \\| .+ \\| ${p.score}/${p.maxScore} \\|$`, 'm'));
  });

  it("gives each training part's accuracy against its threshold and time against its limit, with its warnings", () => {
    expect(text).toMatch(/^### Training\n\n- MNIST 784-500-10: test accuracy 0\.9300, threshold 0\.9: reached; main run 8\.2 s of CPU time, limit 15 s\n  - warning: this run used 8\.2 s/m);
    expect(text).not.toMatch(/CIFAR-10: test accuracy/); // not run: no line
  });

  it('lists what lost points, with untrusted text escaped so it cannot break the table or inject HTML', () => {
    const r: GradingResults = sampleResults();
    r.parts[1].cases[2].feedback = ['<img src=x onerror=alert(1)> | a pipe\nsecond line'];
    const out = markdownReport(r);
    expect(out).toContain('&lt;img src=x onerror=alert(1)&gt; \\| a pipe second line');
    expect(out).not.toContain('<img');
  });
});

describe('folding "not implemented" cases', () => {
  const stub = (i: number) => ({
    id: `affine_forward/${i}`, name: `affineForward: case ${i}`, status: 'not_implemented' as const, score: 0, maxScore: 1,
    feedback: ['affineForward is not implemented yet'], hints: [], timeMs: 1,
  });

  it('folds the identical cases of one function into one entry with their count and points', () => {
    const shown = foldNotImplemented([stub(0), stub(1), stub(2), { ...stub(3), status: 'failed', feedback: ['wrong'] }]);
    expect(shown.map((c) => [c.name, c.count, c.maxScore])).toEqual([['affineForward (3 cases)', 3, 3], ['affineForward: case 3', 1, 1]]);
  });

  it('shows a starter part in the HTML report as one line per function', () => {
    const r: GradingResults = sampleResults();
    const part = r.parts[1];
    part.status = 'not_implemented';
    part.cases = [0, 1, 2, 3].map(stub);
    const html = htmlReport(r);
    expect(html.match(/affineForward is not implemented yet/g)).toHaveLength(1);
    expect(html).toContain('affineForward (4 cases)');
  });
});
