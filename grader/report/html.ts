/**
 * The visual report a student opens in a browser after `npm run grade`: one
 * self-contained HTML file (inline CSS and SVG, no scripts, no fonts or images
 * from anywhere) with the score, a table of parts, what went wrong in each,
 * and for training parts the loss and accuracy curves, the decision boundary,
 * the confusion matrix and the accuracy against its threshold.
 *
 * Everything a submission can influence (feedback, output, even names) is
 * cleaned of control characters and HTML-escaped, and a Content-Security-Policy
 * forbids scripts outright, so nothing in the report can execute. The markup
 * is also well-formed XML (void elements self-close), which the tests check.
 */
import { confusionMatrixSvg, decisionBoundarySvg, lineChart, type Series } from '../../starter/provided/plot.js';
import { CIFAR10_CLASSES } from '../../starter/provided/data/cifar10.js';
import type { CaseStatus, Curve, GradingResults, PartResult, PartStatus, TrainingMeasures, Visibility } from '../results.js';
import { caseStatusMessage } from './cases.js';
import { foldNotImplemented, type ShownCase } from './fold.js';
import { CASE_LABELS, PART_LABELS, capLines, cleanText, formatDuration, formatNumber } from './text.js';
import { accuracyText, timeText } from './training-text.js';

/** Lines of a part's captured output shown (the grader caps it already; this keeps the page light). */
const MAX_OUTPUT_LINES = 1000;

/** Line charts a little smaller than plot.ts's default, so two fit side by side with readable labels. */
const CHART_SIZE = { width: 560, height: 380 };

/** The colour family of each status: the CSS has one badge style per tone. */
type Tone = 'pass' | 'partial' | 'fail' | 'todo' | 'error' | 'skip';

const PART_TONES: Record<PartStatus, Tone> = {
  passed: 'pass', partial: 'partial', failed: 'fail', not_implemented: 'todo', not_run: 'skip', error: 'error',
};

const CASE_TONES: Record<CaseStatus, Tone> = {
  passed: 'pass', failed: 'fail', not_implemented: 'todo', error: 'error', timeout: 'error',
  crashed: 'error', compile_error: 'error', not_run: 'skip',
};

const LEGEND: { tone: Tone; label: string; meaning: string }[] = [
  { tone: 'pass', label: 'PASS', meaning: 'every case right, full points' },
  { tone: 'partial', label: 'PARTIAL', meaning: 'some cases right, some points' },
  { tone: 'fail', label: 'FAIL', meaning: 'the code ran but the answers are wrong' },
  { tone: 'todo', label: 'NOT IMPLEMENTED', meaning: 'still the stub that throws NotImplementedError' },
  { tone: 'error', label: 'ERROR', meaning: 'threw, timed out, crashed or does not compile' },
  { tone: 'skip', label: 'NOT RUN', meaning: 'skipped (the reason is given), points not attempted' },
];

const VISIBILITY_TAGS: Record<Visibility, string> = {
  visible: '',
  hidden: 'hidden',
  after_due_date: 'after due date',
  after_published: 'after published',
};

/** The grading results as one self-contained HTML page. */
export function htmlReport(results: GradingResults): string {
  const title = `Grading report: ${results.submission}`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8"/>',
    // no scripts, no network: even a slip in escaping could not run anything
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"/>`,
    '<meta name="viewport" content="width=device-width, initial-scale=1"/>',
    `<title>${esc(title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    '<main>',
    header(results),
    legend(),
    warnings(results.warnings),
    partTable(results.parts),
    ...results.parts.map(partSection),
    footer(results),
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** Untrusted text made safe for HTML content and attribute values. */
export function esc(text: string): string {
  return cleanText(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function badge(tone: Tone, label: string): string {
  return `<span class="badge ${tone}">${esc(label)}</span>`;
}

/** A part id made into a unique fragment identifier (ids may hold anything). */
function anchor(part: PartResult, index: number): string {
  return `part-${index + 1}-${part.id.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').slice(0, 40)}`;
}

function percent(score: number, max: number): number {
  return max > 0 ? Math.max(0, Math.min(100, (score / max) * 100)) : 0;
}

/** "2026-03-01 10:00:00 UTC" from an ISO time (the same text wherever the report is opened). */
function readableTime(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Date(t).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

function header(r: GradingResults): string {
  const earned = percent(r.score, r.maxScore);
  const skipped = percent(r.notAttempted, r.maxScore);
  const lost = Math.max(0, 100 - earned - skipped);
  const tone = r.score >= r.maxScore - 1e-9 ? 'pass' : r.score > 0 ? 'partial' : 'fail';
  return `<header class="summary">
<div class="who">
<h1>Grading report</h1>
<p class="submission"><span class="k">Submission</span> <code>${esc(r.submission)}</code></p>
<p class="meta"><span class="k">Graded</span> ${esc(readableTime(r.startedAt))} in ${esc(formatDuration(r.timeMs))}
 <span class="sep">|</span> <span class="k">Fixtures</span> ${esc(r.fixtures.version)}, seed <code>${esc(r.fixtures.seed)}</code>${r.fixtures.hidden ? ', hidden' : ''}</p>
</div>
<div class="total ${tone}">
<div class="score"><span class="got">${formatNumber(r.score)}</span><span class="of"> / ${formatNumber(r.maxScore)}</span></div>
<div class="pct">${Math.round(earned)}% of the points</div>
</div>
<div class="bar" role="img" aria-label="${formatNumber(r.score)} of ${formatNumber(r.maxScore)} points earned">` +
    `<span class="earned" style="width:${earned.toFixed(2)}%"></span>` +
    `<span class="lost" style="width:${lost.toFixed(2)}%"></span>` +
    `<span class="skipped" style="width:${skipped.toFixed(2)}%"></span></div>
<p class="bar-key"><span class="dot earned"></span>earned <span class="dot lost"></span>lost <span class="dot skipped"></span>not attempted</p>
${notAttempted(r)}
</header>`;
}

/** How many points were not attempted, and why (each part's reason once). */
function notAttempted(r: GradingResults): string {
  if (r.notAttempted <= 0) return '';
  const reasons = [...new Set(r.parts
    .filter((p) => p.status === 'not_run')
    .map((p) => `${p.title}: ${p.notRunReason ?? 'not run'}`))];
  const items = reasons.length > 0 ? reasons : ['some parts were not run'];
  return `<div class="not-attempted"><strong>${formatNumber(r.notAttempted)} points not attempted</strong>
<ul>${items.map((t) => `<li>${esc(t)}</li>`).join('')}</ul></div>`;
}

function legend(): string {
  const items = LEGEND.map((l) => `<li>${badge(l.tone, l.label)} ${esc(l.meaning)}</li>`).join('\n');
  return `<section class="legend" aria-label="What the statuses mean"><h2>Legend</h2>\n<ul>\n${items}\n</ul></section>`;
}

function warnings(list: string[]): string {
  if (list.length === 0) return '';
  return `<section class="warnings"><h2>Warnings</h2>\n<ul>${list.map((w) => `<li><pre>${esc(w)}</pre></li>`).join('\n')}</ul></section>`;
}

function visibilityTag(v: Visibility): string {
  const tag = VISIBILITY_TAGS[v];
  return tag ? ` <span class="tag">${esc(tag)}</span>` : '';
}

function pointsCell(score: number, max: number, tone: Tone): string {
  return `<span class="pts">${formatNumber(score)}/${formatNumber(max)}</span>` +
    `<span class="mini ${tone}"><span style="width:${percent(score, max).toFixed(1)}%"></span></span>`;
}

function partTable(parts: PartResult[]): string {
  const rows = parts.map((p, i) => {
    const tone = PART_TONES[p.status];
    return `<tr class="${tone}"><td><a href="#${anchor(p, i)}"><code>${esc(p.id)}</code></a></td>` +
      `<td>${esc(p.title)}${visibilityTag(p.visibility)}</td>` +
      `<td>${badge(tone, PART_LABELS[p.status])}</td>` +
      `<td class="num">${pointsCell(p.score, p.maxScore, tone)}</td>` +
      `<td class="num">${p.status === 'not_run' ? '-' : esc(formatDuration(p.timeMs))}</td></tr>`;
  });
  return `<section class="parts"><h2>Parts</h2>
<table>
<thead><tr><th>Part</th><th>Title</th><th>Status</th><th class="num">Points</th><th class="num">Time</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table></section>`;
}

function partSection(p: PartResult, index: number): string {
  const tone = PART_TONES[p.status];
  const failing = p.cases.filter((c) => c.status !== 'passed');
  const passed = p.cases.length - failing.length;
  const body: string[] = [];
  if (p.notRunReason !== undefined) body.push(`<p class="reason"><strong>Not run:</strong> ${esc(p.notRunReason)}</p>`);
  if (p.cases.length > 0) {
    body.push(`<p class="count">${passed} of ${p.cases.length} ${p.cases.length === 1 ? 'case' : 'cases'} passed.</p>`);
  }
  const shownFailing = p.notRunReason === undefined ? failing : failing.filter((c) => c.status !== 'not_run');
  // an untouched stub fails all its cases alike: one line per function, not one per case
  if (shownFailing.length > 0) body.push(`<ol class="cases">\n${foldNotImplemented(shownFailing).map(caseItem).join('\n')}\n</ol>`);
  if (passed > 0) {
    const names = p.cases.filter((c) => c.status === 'passed').map((c) => `<li>${badge('pass', 'PASS')} ${esc(c.name)}</li>`);
    body.push(`<details class="passed"><summary>Passed cases (${passed})</summary><ul>${names.join('')}</ul></details>`);
  }
  if (p.training && p.status !== 'not_run') body.push(trainingMeasuresBlock(p.training));
  if (p.artifacts) body.push(artifactsBlock(p));
  if (p.output.trim() !== '') body.push(outputBlock(p.output));
  return `<section class="part ${tone}" id="${anchor(p, index)}">
<h2><code>${esc(p.id)}</code> ${esc(p.title)}${visibilityTag(p.visibility)} ${badge(tone, PART_LABELS[p.status])}` +
    ` <span class="part-pts">${formatNumber(p.score)} / ${formatNumber(p.maxScore)} points</span></h2>
${body.join('\n')}
</section>`;
}

function caseItem(c: ShownCase): string {
  const tone = CASE_TONES[c.status];
  const feedback = c.feedback.length > 0 ? c.feedback : [caseStatusMessage(c.status)];
  const hints = c.hints.map((h) => `<div class="hint"><span class="k">Hint</span> ${esc(h)}</div>`);
  return `<li class="case ${tone}">
<div class="case-head">${badge(tone, CASE_LABELS[c.status])} <span class="name">${esc(c.name)}</span>` +
    ` <span class="case-pts">${formatNumber(c.score)}/${formatNumber(c.maxScore)}</span> ${c.count > 1 ? '' : `<code class="case-id">${esc(c.id)}</code>`}</div>
<ul class="feedback">${feedback.map((f) => `<li>${esc(f)}</li>`).join('')}</ul>
${hints.join('\n')}
</li>`;
}

function outputBlock(output: string): string {
  const { lines, more } = capLines(cleanText(output), MAX_OUTPUT_LINES);
  const total = lines.length + more;
  const tail = more > 0 ? `\n… ${more} more ${more === 1 ? 'line' : 'lines'}` : '';
  return `<details class="output"><summary>What your code printed (${total} ${total === 1 ? 'line' : 'lines'})</summary>` +
    `<pre>${esc(lines.join('\n') + tail)}</pre></details>`;
}

/** A figure with its caption, or a short note when the data cannot be drawn (the report must still open). */
function figure(kind: string, draw: () => string, caption: string): string {
  let svg: string;
  try {
    svg = draw();
  } catch (err) {
    svg = `<p class="cannot-draw">Could not draw this plot: ${esc((err as Error).message)}</p>`;
  }
  return `<figure class="${kind}">\n${svg}<figcaption>${esc(caption)}</figcaption></figure>`;
}

/** The accuracy against the threshold and the main run's time against its limit, with any warning about the time. */
function trainingMeasuresBlock(t: TrainingMeasures): string {
  const notes = t.notes.map((n) => `<li>${esc(n)}</li>`).join('');
  return `<p class="measures">${esc(accuracyText(t))}; ${esc(timeText(t, true))}.</p>` + (notes ? `<ul class="time-notes">${notes}</ul>` : '');
}

function artifactsBlock(p: PartResult): string {
  const a = p.artifacts!;
  const figures: string[] = [];
  const curves = new Map((a.curves ?? []).filter((c) => c.values.length > 0).map((c) => [c.name, c]));
  const loss = lossSeries(curves);
  if (loss) {
    figures.push(figure('loss', () => lineChart({ title: 'Loss', xLabel: loss.xLabel, yLabel: 'cross-entropy loss', series: loss.series, ...CHART_SIZE }),
      `The loss should go down. ${loss.series.map((c) => LOSS_MEANINGS[c.name]).join('; ')}.`));
  }
  const accuracy = accuracySeries(curves, a.threshold);
  if (accuracy) {
    figures.push(figure('accuracy', () => lineChart({ title: 'Accuracy', xLabel: 'epoch', yLabel: 'accuracy', series: accuracy, ...CHART_SIZE }),
      'Accuracy after each epoch on the training set (and the validation set, if any); the flat line is the threshold the test accuracy must reach.'));
  }
  if (a.boundary) {
    const boundary = a.boundary;
    figures.push(figure('boundary', () => decisionBoundarySvg(boundary, 'Decision boundary on the test points'),
      'Shaded regions: the class your network predicts at each place. Dots: held-out test points in the colour of their true class, so a dot on the other shade is a mistake.'));
  }
  if (a.confusion) {
    const matrix = a.confusion;
    const labels = /cifar/i.test(p.id) && matrix.length === CIFAR10_CLASSES.length ? [...CIFAR10_CLASSES] : undefined;
    figures.push(figure('confusion', () => confusionMatrixSvg(matrix, labels, 'Confusion matrix (test set)'),
      'Row: the true class; column: what your network predicted. The diagonal holds the right answers; a dark cell off the diagonal is a pair of classes it confuses.'));
  }
  const gauge = a.accuracy !== undefined ? accuracyGauge(a.accuracy, a.threshold) : '';
  if (!gauge && figures.length === 0) return '';
  return `<div class="training">\n<h3>Training</h3>\n${gauge}\n<div class="figures">\n${figures.join('\n')}\n</div>\n</div>`;
}

const LOSS_MEANINGS: Record<string, string> = {
  batchLoss: 'batchLoss is the loss of each mini-batch (noisy)',
  loss: 'loss is the mean loss of each epoch',
};

/** The loss curves on one epoch axis: batchLoss spread over the epochs, loss once per epoch. */
function lossSeries(curves: Map<string, Curve>): { series: Series[]; xLabel: string } | undefined {
  const batch = curves.get('batchLoss');
  const epoch = curves.get('loss');
  const series: Series[] = [];
  if (batch) {
    const perEpoch = epoch ? batch.values.length / epoch.values.length : 1;
    series.push({ name: 'batchLoss', values: batch.values, x: batch.values.map((_, i) => (i + 1) / perEpoch) });
  }
  if (epoch) series.push({ name: 'loss', values: epoch.values });
  if (series.length === 0) return undefined;
  return { series, xLabel: epoch ? 'epoch' : 'iteration' };
}

function accuracySeries(curves: Map<string, Curve>, threshold: number | undefined): Series[] | undefined {
  const series: Series[] = ['trainAccuracy', 'valAccuracy']
    .map((name) => curves.get(name))
    .filter((c): c is Curve => c !== undefined)
    .map((c) => ({ name: c.name, values: c.values }));
  if (series.length === 0) return undefined;
  if (threshold !== undefined && Number.isFinite(threshold)) {
    const epochs = Math.max(...series.map((s) => s.values.length));
    series.push({ name: 'threshold', values: new Array<number>(epochs).fill(threshold) });
  }
  return series;
}

/** A horizontal bar from 0 to 100% filled to the test accuracy, with the threshold marked. */
function accuracyGauge(accuracy: number, threshold: number | undefined): string {
  const ok = threshold === undefined || accuracy >= threshold;
  const pct = (v: number) => `${formatNumber(v * 100)}%`;
  const w = 640, left = 10, barW = w - 2 * left, top = 26, barH = 22;
  const x = (v: number) => (left + Math.max(0, Math.min(1, Number.isFinite(v) ? v : 0)) * barW).toFixed(1);
  let marker = '';
  if (threshold !== undefined) {
    const tx = x(threshold);
    const anchorAt = threshold > 0.85 ? 'end' : threshold < 0.15 ? 'start' : 'middle';
    marker = `<line x1="${tx}" y1="${top - 6}" x2="${tx}" y2="${top + barH + 6}" stroke="#1f2328" stroke-width="2" stroke-dasharray="4 2"/>` +
      `<text x="${tx}" y="${top + barH + 20}" text-anchor="${anchorAt}" font-size="12" fill="#1f2328">threshold ${pct(threshold)}</text>`;
  }
  const fill = ok ? '#2da44e' : '#cf222e';
  const text = threshold === undefined
    ? `Test accuracy <strong>${pct(accuracy)}</strong>.`
    : `Test accuracy <strong>${pct(accuracy)}</strong>, threshold ${pct(threshold)}: ` +
      (ok ? '<span class="ok">reached</span>.' : `<span class="bad">${formatNumber((threshold - accuracy) * 100)} percentage points short</span>.`);
  return `<div class="gauge"><p>${text}</p>
<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="72" viewBox="0 0 ${w} 72" font-family="Helvetica, Arial, sans-serif" role="img" aria-label="accuracy against threshold">` +
    `<title>Test accuracy against the threshold</title>` +
    `<rect x="${left}" y="${top}" width="${barW}" height="${barH}" rx="4" fill="#eaeef2"/>` +
    `<rect x="${left}" y="${top}" width="${(Number(x(accuracy)) - left).toFixed(1)}" height="${barH}" rx="4" fill="${fill}"/>` +
    `<text x="${x(accuracy)}" y="${top - 8}" text-anchor="${accuracy > 0.85 ? 'end' : 'middle'}" font-size="13" font-weight="bold" fill="${fill}">${pct(accuracy)}</text>` +
    `<text x="${left}" y="${top + barH + 20}" font-size="11" fill="#656d76">0%</text>` +
    marker +
    '</svg></div>';
}

function footer(r: GradingResults): string {
  return `<footer>Made by the grader from the fixtures ${esc(r.fixtures.version)}. ` +
    'This page is a single file: it loads nothing from the network and runs no scripts.</footer>';
}

const CSS = `
:root { color-scheme: light; --pass: #1a7f37; --pass-bg: #dafbe1; --partial: #9a6700; --partial-bg: #fff8c5;
  --fail: #cf222e; --fail-bg: #ffebe9; --skip: #656d76; --skip-bg: #eaeef2; --ink: #1f2328; --muted: #656d76;
  --line: #d0d7de; --hint: #0969da; --hint-bg: #ddf4ff; }
* { box-sizing: border-box; }
body { margin: 0; background: #f6f8fa; color: var(--ink); font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 24px 20px 40px; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 13px; }
h1 { font-size: 28px; margin: 0 0 6px; }
h2 { font-size: 19px; margin: 0 0 12px; }
h3 { font-size: 16px; margin: 18px 0 8px; }
section, header.summary { background: #ffffff; border: 1px solid var(--line); border-radius: 10px; padding: 18px 22px; margin-bottom: 18px; }
.k { color: var(--muted); font-size: 13px; text-transform: uppercase; letter-spacing: 0.04em; }
.sep { color: var(--line); margin: 0 6px; }
header.summary { display: grid; grid-template-columns: 1fr auto; gap: 6px 24px; align-items: center; }
header.summary p { margin: 4px 0; }
header.summary .bar, header.summary .bar-key, header.summary .not-attempted { grid-column: 1 / -1; }
.total { text-align: right; }
.total .score { font-size: 44px; font-weight: 700; line-height: 1.1; font-variant-numeric: tabular-nums; }
.total .of { color: var(--muted); font-size: 26px; font-weight: 600; }
.total.pass .got { color: var(--pass); } .total.partial .got { color: var(--partial); } .total.fail .got { color: var(--fail); }
.total .pct { color: var(--muted); }
.bar { display: flex; height: 14px; border-radius: 7px; overflow: hidden; background: var(--skip-bg); margin-top: 8px; }
.bar span { display: block; height: 100%; }
.earned { background: #2da44e; } .lost { background: #ff8182; }
.skipped { background: repeating-linear-gradient(45deg, #afb8c1 0 4px, #d0d7de 4px 8px); }
.bar-key { color: var(--muted); font-size: 13px; }
.dot { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin: 0 4px 0 10px; vertical-align: -1px; }
.dot.earned { margin-left: 0; }
.not-attempted { background: var(--skip-bg); border-radius: 8px; padding: 8px 14px; }
.not-attempted ul { margin: 4px 0 0; padding-left: 20px; }
.badge { display: inline-block; font-size: 12px; font-weight: 700; letter-spacing: 0.03em; padding: 1px 8px; border-radius: 999px; border: 1px solid; white-space: nowrap; vertical-align: 1px; }
.badge.pass { color: var(--pass); background: var(--pass-bg); border-color: #4ac26b; }
.badge.partial { color: var(--partial); background: var(--partial-bg); border-color: #d4a72c; }
.badge.fail { color: var(--fail); background: var(--fail-bg); border-color: #ff8182; }
.badge.todo { color: var(--fail); background: #ffffff; border-color: #ff8182; border-style: dashed; }
.badge.error { color: #ffffff; background: var(--fail); border-color: var(--fail); }
.badge.skip { color: var(--skip); background: var(--skip-bg); border-color: #afb8c1; }
.legend ul { list-style: none; margin: 0; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr)); gap: 6px 18px; }
.legend li { color: var(--muted); font-size: 14px; display: flex; align-items: baseline; gap: 8px; }
.legend .badge { flex: none; min-width: 132px; text-align: center; }
.warnings { border-color: #d4a72c; background: var(--partial-bg); }
.warnings ul { margin: 0; padding-left: 20px; }
.warnings pre { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; padding: 8px 10px; border-bottom: 1px solid var(--line); vertical-align: middle; }
th { font-size: 13px; color: var(--muted); text-transform: uppercase; letter-spacing: 0.04em; }
tbody tr:nth-child(even) { background: #f6f8fa; }
td a { color: var(--ink); text-decoration: none; border-bottom: 1px dotted var(--muted); }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.pts { display: inline-block; min-width: 52px; }
.mini { display: inline-block; width: 70px; height: 8px; border-radius: 4px; background: var(--skip-bg); margin-left: 8px; overflow: hidden; vertical-align: 1px; }
.mini span { display: block; height: 100%; }
.mini.pass span { background: #2da44e; } .mini.partial span { background: #d4a72c; }
.mini.fail span, .mini.todo span, .mini.error span { background: var(--fail); } .mini.skip span { background: #afb8c1; }
.tag { font-size: 12px; color: var(--muted); border: 1px solid var(--line); border-radius: 4px; padding: 0 5px; margin-left: 4px; }
.part { border-left-width: 6px; }
.part.pass { border-left-color: #2da44e; } .part.partial { border-left-color: #d4a72c; }
.part.fail, .part.todo, .part.error { border-left-color: var(--fail); } .part.skip { border-left-color: #afb8c1; }
.part h2 code { font-size: 15px; color: var(--muted); margin-right: 4px; }
.part-pts { float: right; font-size: 15px; font-weight: 600; color: var(--muted); font-variant-numeric: tabular-nums; }
.reason { background: var(--skip-bg); border-radius: 8px; padding: 8px 12px; }
.time-notes { color: #9a6700; }
.count { color: var(--muted); margin: 0 0 8px; }
.cases { list-style: none; padding: 0; margin: 0; }
.case { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; margin-bottom: 10px; background: #ffffff; }
.case.fail, .case.todo { background: #fffafa; } .case.error { background: #fff5f5; }
.case-head .name { font-weight: 600; }
.case-pts { color: var(--muted); font-variant-numeric: tabular-nums; }
.case-id { color: var(--muted); float: right; }
.feedback { margin: 6px 0 0; padding-left: 20px; }
.feedback li { white-space: pre-wrap; overflow-wrap: anywhere; }
.hint { margin-top: 8px; background: var(--hint-bg); border-left: 4px solid var(--hint); border-radius: 4px; padding: 6px 10px; white-space: pre-wrap; overflow-wrap: anywhere; }
.hint .k { color: var(--hint); font-weight: 700; margin-right: 6px; }
details { margin-top: 10px; }
summary { cursor: pointer; color: var(--hint); font-weight: 600; }
details.passed ul { list-style: none; padding-left: 8px; margin: 6px 0; }
details.output pre { background: #1f2328; color: #e6edf3; padding: 12px 14px; border-radius: 8px; overflow: auto; max-height: 480px; white-space: pre-wrap; overflow-wrap: anywhere; }
.training { border-top: 1px solid var(--line); margin-top: 14px; }
.gauge p { margin: 4px 0; }
.gauge svg { max-width: 100%; height: auto; }
.ok { color: var(--pass); font-weight: 600; } .bad { color: var(--fail); font-weight: 600; }
.figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(440px, 1fr)); gap: 16px; margin-top: 10px; }
figure { margin: 0; border: 1px solid var(--line); border-radius: 8px; padding: 10px; background: #ffffff; }
figure svg { display: block; max-width: 100%; height: auto; margin: 0 auto; }
figcaption { color: var(--muted); font-size: 13px; margin-top: 6px; }
.cannot-draw { color: var(--fail); }
footer { color: var(--muted); font-size: 13px; text-align: center; margin-top: 24px; }
@media print { body { background: #ffffff; } details.output pre { max-height: none; } }
`;
