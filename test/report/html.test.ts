import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { htmlReport } from '../../grader/report/html.js';
import { reporters } from '../../grader/report/index.js';
import type { GradingResults, PartArtifacts, PartResult } from '../../grader/results.js';
import { colour } from '../../starter/provided/plot.js';
import { sampleResults } from './sample-results.js';

const ATTACK = '<script>alert(1)</script>';

/** A 20 x 20 grid split by the curve y = 0.5 - 0.5 x, with test points on both sides. */
function moonsArtifacts(): PartArtifacts {
  const n = 20;
  const x: [number, number] = [-1.5, 2.5], y: [number, number] = [-1, 1.5];
  const grid: number[] = [];
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      const px = x[0] + ((c + 0.5) * (x[1] - x[0])) / n, py = y[0] + ((r + 0.5) * (y[1] - y[0])) / n;
      grid.push(py > 0.5 - 0.5 * px ? 0 : 1);
    }
  }
  const points = [{ x: -1, y: 0.8, label: 0 }, { x: 0, y: 1, label: 0 }, { x: 1.5, y: -0.5, label: 1 }, { x: 2, y: 0, label: 1 }];
  const epochs = 10, batches = 4;
  return {
    accuracy: 0.925,
    threshold: 0.95,
    boundary: { x, y, resolution: n, grid, points },
    curves: [
      { name: 'loss', values: Array.from({ length: epochs }, (_, e) => 0.7 / (e + 1)) },
      { name: 'batchLoss', values: Array.from({ length: epochs * batches }, (_, i) => 0.7 / (i / batches + 1) + (i % 2) * 0.02) },
      { name: 'trainAccuracy', values: Array.from({ length: epochs }, (_, e) => 0.5 + 0.045 * e) },
      { name: 'valAccuracy', values: [] },
    ],
  };
}

/** sampleResults plus a moons part that missed its threshold (hostile text in every student-influenced field) and an MNIST confusion matrix. */
function results(): GradingResults {
  const r = sampleResults();
  const moons: PartResult = {
    id: 'train_moons',
    title: 'Training: two half-moons',
    visibility: 'visible',
    status: 'partial',
    score: 4,
    maxScore: 10,
    timeMs: 3400,
    output: `epoch 1 loss 0.7\n${ATTACK}\n</pre></details><img src=x onerror=alert(2)>\n`,
    cases: [
      {
        id: 'accuracy', name: `test accuracy ${ATTACK}`, status: 'failed', score: 0, maxScore: 6,
        feedback: [`test accuracy 0.9250 is below the threshold 0.95 ${ATTACK}`],
        hints: [`hint with "quotes" & ${ATTACK}`], timeMs: 0,
      },
      { id: 'loss_decreases', name: 'the loss goes down', status: 'passed', score: 4, maxScore: 4, feedback: [], hints: [], timeMs: 0 },
    ],
    artifacts: moonsArtifacts(),
  };
  r.parts.splice(r.parts.length - 1, 0, moons);
  const mnist = r.parts.find((p) => p.id === 'mnist')!;
  mnist.artifacts = { ...mnist.artifacts, confusion: [[50, 2, 1], [3, 40, 7], [0, 5, 44]] };
  r.warnings.push(`submission printed ${ATTACK}`);
  r.submission = `submissions/${ATTACK}`;
  return r;
}

function count(text: string, re: RegExp): number {
  return text.match(re)?.length ?? 0;
}

describe('htmlReport', () => {
  const html = htmlReport(results());

  it('is one document with a no-script policy and nothing loaded from elsewhere', () => {
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'`);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<(link|img|iframe|object|embed)\b/i);
    expect(html).not.toMatch(/\b(src|href)="(?!#)/i); // only in-page links
    expect(html).not.toMatch(/url\(|@import|@font-face/i);
    expect(html).not.toMatch(/<[a-z][^<>]*\son[a-z]+=/i); // no tag carries an event handler
  });

  it('escapes hostile text wherever it appears and drops control characters', () => {
    const escaped = /&lt;script&gt;alert\(1\)&lt;\/script&gt;/g;
    expect(count(html, escaped)).toBeGreaterThanOrEqual(6); // title, submission, case name, feedback, hint, output, warning
    expect(html).toContain('hint with &quot;quotes&quot; &amp; &lt;script&gt;');
    expect(html).toContain('&lt;/pre&gt;&lt;/details&gt;&lt;img src=x onerror=alert(2)&gt;');
    expect(html).toContain('x &lt; y &amp;&amp; y &gt; z ]]&gt; done red'); // HOSTILE_OUTPUT, BEL and colour escape gone
    expect(html).not.toMatch(/[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]/);
  });

  it('is well-formed XML, so every element (every <svg> included) closes', () => {
    expect(XMLValidator.validate(html)).toBe(true);
    expect(count(html, /<svg\b/g)).toBe(count(html, /<\/svg>/g));
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(html);
    expect(doc.html.head.title).toContain('Grading report: submissions/');
  });

  it('shows the header: submission, date, total, and the points not attempted with the reason', () => {
    expect(html).toContain('<h1>Grading report</h1>');
    expect(html).toContain('2026-03-01 10:00:00 UTC');
    expect(html).toMatch(/<span class="got">33\.5<\/span><span class="of"> \/ 65<\/span>/);
    expect(html).toContain('<strong>10 points not attempted</strong>');
    expect(html).toContain('<li>CIFAR-10: no CIFAR-10 data: pass --cifar10 DIR');
  });

  it('has a legend and one table row per part with its status colour, points and time', () => {
    for (const label of ['PASS', 'PARTIAL', 'FAIL', 'NOT IMPLEMENTED', 'ERROR', 'NOT RUN']) {
      expect(html).toMatch(new RegExp(`<section class="legend"[^]*<span class="badge \\w+">${label}</span>[^]*</section>`));
    }
    const rows = html.match(/<tr class="\w+"><td>.*<\/tr>/g) ?? [];
    expect(rows).toHaveLength(results().parts.length);
    expect(rows[0]).toMatch(/^<tr class="pass"><td><a href="#part-1-activations"><code>activations<\/code><\/a><\/td><td>Activation functions<\/td><td><span class="badge pass">PASS<\/span><\/td><td class="num"><span class="pts">10\/10<\/span>/);
    expect(rows[0]).toContain('<td class="num">420ms</td>');
    expect(rows[1]).toMatch(/^<tr class="partial">.*<span class="badge partial">PARTIAL<\/span>.*3\.5\/5.*1\.23s/);
    expect(rows[3]).toMatch(/^<tr class="fail">.*Regularisation <span class="tag">hidden<\/span>.*<span class="badge fail">FAIL<\/span>/);
    expect(rows.at(-1)).toMatch(/^<tr class="skip">.*NOT RUN.*<td class="num">-<\/td><\/tr>$/);
    // every link leads to a section
    for (const [, id] of html.matchAll(/href="#([^"]+)"/g)) expect(html).toContain(`id="${id}"`);
  });

  it('lists each failing case with its feedback and hints, and a status message when there is no feedback', () => {
    expect(html).toMatch(/<span class="badge fail">FAIL<\/span> <span class="name">affineBackward: batch of 4<\/span> <span class="case-pts">0\/0\.5<\/span>/);
    expect(html).toContain('<li>dW has shape 5x3, expected 3x5</li>');
    expect(html).toContain('<div class="hint"><span class="k">Hint</span> dW = X^T dout, not dout^T X: the weight gradient looks transposed.</div>');
    expect(html).toContain('<span class="badge error">TIMEOUT</span> <span class="name">affineBackward: large batch</span>');
    // the two identical not-implemented cases of softmaxLoss are folded into one line
    expect(html).toMatch(/softmaxLoss \(2 cases\)<\/span> <span class="case-pts">0\/10<\/span>.*\n<ul class="feedback"><li>not implemented yet \(threw NotImplementedError\)<\/li>/);
    expect(html).toContain('<p class="count">2 of 6 cases passed.</p>');
  });

  it('puts captured output in a collapsed <details> block', () => {
    expect(html).toMatch(/<details class="output"><summary>What your code printed \(50 lines\)<\/summary><pre>epoch 1 loss 2\.0000\n/);
    expect(html).not.toMatch(/<details class="output" open/);
  });

  it('draws the training pictures: loss and accuracy curves, the decision boundary with its points, the gauge', () => {
    const moons = html.slice(html.indexOf('id="part-7-train_moons"'), html.indexOf('id="part-8-cifar10"'));
    expect(count(moons, /<svg\b/g)).toBe(4); // gauge, loss, accuracy, boundary
    expect(moons).toMatch(/<figure class="loss">\n<svg[^]*<title>Loss<\/title>[^]*>batchLoss<\/text>[^]*>loss<\/text>[^]*<\/svg>/);
    expect(moons).toMatch(/<figure class="accuracy">\n<svg[^]*>trainAccuracy<\/text>[^]*>threshold<\/text>/);
    expect(moons).toContain('<figcaption>The loss should go down. batchLoss is the loss of each mini-batch (noisy); loss is the mean loss of each epoch.</figcaption>');
    expect(moons).not.toContain('valAccuracy'); // empty curves are left out
    const boundary = moons.slice(moons.indexOf('<figure class="boundary">'));
    expect(boundary).toContain(`fill="${colour(0)}"`);
    expect(boundary).toContain(`fill="${colour(1)}"`);
    const points = boundary.slice(boundary.indexOf('<g class="points"'), boundary.indexOf('</g>', boundary.indexOf('<g class="points"')));
    expect(count(points, /<circle /g)).toBe(4);
    expect(moons).toContain('Test accuracy <strong>92.5%</strong>, threshold 95%: <span class="bad">2.5 percentage points short</span>.');
    expect(moons).not.toContain('<figure class="confusion">');
  });

  it('draws the batch losses on the epoch axis, under the per-epoch loss', () => {
    const loss = html.slice(html.indexOf('<figure class="loss">'), html.indexOf('</figure>', html.indexOf('<figure class="loss">')));
    expect(loss).toContain('>epoch</text>');
    const lines = [...loss.matchAll(/points="([^"]+)"/g)].map((m) => m[1].split(' ').map((p) => Number(p.split(',')[0])));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toHaveLength(40);
    expect(lines[0].at(-1)).toBeCloseTo(lines[1].at(-1)!, 6); // both end at epoch 10
    expect(lines[0][3]).toBeCloseTo(lines[1][0], 6); // the 4th batch ends epoch 1
  });

  it('draws the confusion matrix of the MNIST part and its passing gauge', () => {
    const mnist = html.slice(html.indexOf('id="part-6-mnist"'), html.indexOf('id="part-7-train_moons"'));
    expect(mnist).toMatch(/<figure class="confusion">\n<svg[^]*<title>Confusion matrix \(test set\)<\/title>[^]*>44<\/text>[^]*<\/svg>/);
    expect(mnist).toContain('Test accuracy <strong>93%</strong>, threshold 90%: <span class="ok">reached</span>.');
  });

  it('names the CIFAR-10 classes in its confusion matrix', () => {
    const r = results();
    const cifar = r.parts.find((p) => p.id === 'cifar10')!;
    cifar.artifacts = { confusion: Array.from({ length: 10 }, (_, t) => Array.from({ length: 10 }, (_, p) => (t === p ? 9 : 1))) };
    expect(htmlReport(r)).toContain('>airplane</text>');
  });

  it('still opens when an artifact cannot be drawn, and says why', () => {
    const r = results();
    r.parts.find((p) => p.id === 'mnist')!.artifacts!.confusion = [[1, 2], [3]];
    const out = htmlReport(r);
    expect(out).toContain('<p class="cannot-draw">Could not draw this plot: confusionMatrixSvg: the matrix must be square');
    expect(XMLValidator.validate(out)).toBe(true);
  });

  it('leaves the not-attempted note out when everything ran, and is the html entry of the reporter map', () => {
    const r = sampleResults();
    r.parts = r.parts.filter((p) => p.status !== 'not_run');
    r.notAttempted = 0;
    expect(htmlReport(r)).not.toContain('not attempted</strong>');
    expect(reporters.html(r)).toBe(htmlReport(r));
  });
});
