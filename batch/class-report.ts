/**
 * The class picture after a batch, for the course staff: one offline HTML
 * file (no scripts, a strict Content-Security-Policy, everything a submission
 * can influence escaped) with the score histogram, each part's mean and
 * full-marks rate, the hints most students got (and who), the slowest
 * submissions, the ones that could not be graded, and the pairs of students
 * whose code is unusually alike, side by side.
 */
import type { PairScore } from './similarity.js';
import type { StoredResult } from './store.js';
import { esc } from '../grader/report/html.js';
import { formatDuration, formatNumber } from '../grader/report/text.js';

/** One flagged pair's code for the side-by-side view: per file, each student's lines and the lines the other shares. */
export interface PairView {
  pair: PairScore;
  files: { file: string; a: string; b: string; matchedA: number[]; matchedB: number[] }[];
}

export interface ClassReportInput {
  title: string;
  results: StoredResult[];
  /** Every pair's score, most alike first (empty without --similarity). */
  pairs: PairScore[];
  threshold: number;
  /** The code of each flagged pair. */
  views: PairView[];
  /** ISO time the report was made. */
  madeAt: string;
}

/** How many of the slowest submissions and of the common hints are listed. */
const TOP = 10;
/** Histogram bins over the share of the maximum score. */
const BINS = 10;

function percent(x: number): string {
  return `${Math.round(x * 100)}%`;
}

/** An SVG bar chart of how many students scored in each tenth of the maximum. */
function histogram(shares: number[]): string {
  const counts = new Array<number>(BINS).fill(0);
  for (const s of shares) counts[Math.min(BINS - 1, Math.floor(s * BINS))]++;
  const max = Math.max(1, ...counts);
  const width = 640, height = 240, left = 40, bottom = 30, barW = (width - left - 10) / BINS;
  const bars = counts.map((n, i) => {
    const h = ((height - bottom - 20) * n) / max;
    const x = left + i * barW;
    const y = height - bottom - h;
    return `<rect x="${x + 2}" y="${y}" width="${barW - 4}" height="${h}" fill="#0969da"/>` +
      `<text x="${x + barW / 2}" y="${y - 4}" text-anchor="middle" font-size="12">${n}</text>` +
      `<text x="${x + barW / 2}" y="${height - bottom + 16}" text-anchor="middle" font-size="11">${i * 10}-${i === BINS - 1 ? 100 : i * 10 + 9}%</text>`;
  }).join('');
  return `<svg class="hist" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="score histogram">` +
    `<line x1="${left}" y1="${height - bottom}" x2="${width - 10}" y2="${height - bottom}" stroke="#656d76"/>${bars}</svg>`;
}

/** Per part: maximum, mean, full-marks rate, and how many did not run it. */
function partTable(graded: StoredResult[]): string {
  const parts = new Map<string, { title: string; max: number; scores: number[]; notRun: number }>();
  for (const r of graded) {
    for (const p of r.results!.parts) {
      const row = parts.get(p.id) ?? { title: p.title, max: p.maxScore, scores: [], notRun: 0 };
      if (p.status === 'not_run') row.notRun++;
      else row.scores.push(p.score);
      parts.set(p.id, row);
    }
  }
  const rows = [...parts].map(([id, p]) => {
    const mean = p.scores.length ? p.scores.reduce((a, b) => a + b, 0) / p.scores.length : 0;
    const full = p.scores.filter((s) => s >= p.max - 1e-9).length;
    return `<tr><td><code>${esc(id)}</code></td><td>${esc(p.title)}</td><td class="num">${formatNumber(p.max)}</td>` +
      `<td class="num">${formatNumber(Math.round(mean * 100) / 100)}</td><td class="num">${p.scores.length ? percent(full / p.scores.length) : '-'}</td><td class="num">${p.notRun}</td></tr>`;
  });
  return `<table><thead><tr><th>part</th><th>title</th><th>max</th><th>mean</th><th>full marks</th><th>not run</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** The hints most students got, with the students who got each. */
function commonHints(graded: StoredResult[]): string {
  const byHint = new Map<string, Set<string>>();
  for (const r of graded) {
    for (const p of r.results!.parts) for (const c of p.cases) for (const h of c.hints) {
      const who = byHint.get(h) ?? new Set<string>();
      who.add(r.student.id);
      byHint.set(h, who);
    }
  }
  const top = [...byHint].sort((a, b) => b[1].size - a[1].size || a[0].localeCompare(b[0])).slice(0, TOP);
  if (top.length === 0) return '<p class="muted">No hints were given.</p>';
  return `<table><thead><tr><th>students</th><th>hint</th><th>who</th></tr></thead><tbody>${top.map(([hint, who]) =>
    `<tr><td class="num">${who.size}</td><td>${esc(hint)}</td><td class="who">${esc([...who].sort((a, b) => a.localeCompare(b, undefined, { numeric: true })).join(', '))}</td></tr>`).join('')}</tbody></table>`;
}

function slowest(results: StoredResult[]): string {
  const top = [...results].sort((a, b) => b.timeMs - a.timeMs).slice(0, TOP);
  return `<table><thead><tr><th>student</th><th>time</th><th>score</th></tr></thead><tbody>${top.map((r) =>
    `<tr><td>${esc(r.student.id)}</td><td class="num">${formatDuration(r.timeMs)}</td><td class="num">${r.results ? `${formatNumber(r.results.score)}/${formatNumber(r.results.maxScore)}` : '-'}</td></tr>`).join('')}</tbody></table>`;
}

function ungraded(results: StoredResult[]): string {
  const failed = results.filter((r) => !r.results);
  if (failed.length === 0) return '<p class="muted">Every submission was graded.</p>';
  return `<table><thead><tr><th>student</th><th>why it could not be graded</th></tr></thead><tbody>${failed.map((r) =>
    `<tr><td>${esc(r.student.id)}</td><td>${esc(r.error ?? 'unknown')}</td></tr>`).join('')}</tbody></table>`;
}

/** One file of a pair, two columns of numbered lines, the shared ones marked. */
function sideBySide(view: PairView): string {
  const column = (text: string, matched: number[]) => {
    const marked = new Set(matched);
    return `<pre class="code">${text.split('\n').map((line, i) =>
      `<span class="${marked.has(i + 1) ? 'line shared' : 'line'}"><span class="ln">${i + 1}</span>${esc(line) || ' '}</span>`).join('\n')}</pre>`;
  };
  const files = view.files.filter((f) => f.matchedA.length > 0).map((f) =>
    `<h4><code>${esc(f.file)}</code></h4><div class="pair"><div><div class="who">${esc(view.pair.a)}</div>${column(f.a, f.matchedA)}</div>` +
    `<div><div class="who">${esc(view.pair.b)}</div>${column(f.b, f.matchedB)}</div></div>`).join('');
  return `<details><summary>${esc(view.pair.a)} and ${esc(view.pair.b)}: ${view.pair.score.toFixed(2)}</summary>${files}</details>`;
}

function similaritySection(input: ClassReportInput): string {
  if (input.pairs.length === 0) return '<p class="muted">Not checked (run with --similarity).</p>';
  const flagged = input.pairs.filter((p) => p.score >= input.threshold);
  const shown = input.pairs.slice(0, Math.max(TOP, flagged.length));
  const table = `<table><thead><tr><th>students</th><th>score</th><th>shared fingerprints</th></tr></thead><tbody>${shown.map((p) =>
    `<tr class="${p.score >= input.threshold ? 'flag' : ''}"><td>${esc(p.a)} ~ ${esc(p.b)}</td><td class="num">${p.score.toFixed(2)}</td><td class="num">${p.shared} of ${Math.min(...p.sizes)}</td></tr>`).join('')}</tbody></table>`;
  const note = `<p>${flagged.length} pair(s) at or above ${input.threshold} (names, comments, literals and layout ignored; the starter's own code never counts). ` +
    'A high score is a reason to look, not proof: read the code side by side.</p>';
  return note + table + input.views.map(sideBySide).join('');
}

/** The class report as one self-contained HTML page. */
export function classReport(input: ClassReportInput): string {
  const graded = input.results.filter((r) => r.results);
  const shares = graded.map((r) => (r.results!.maxScore > 0 ? r.results!.score / r.results!.maxScore : 0));
  const mean = shares.length ? shares.reduce((a, b) => a + b, 0) / shares.length : 0;
  return [
    '<!DOCTYPE html>', '<html lang="en">', '<head>', '<meta charset="utf-8"/>',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"/>`,
    `<title>${esc(input.title)}</title>`, `<style>${CSS}</style>`, '</head>', '<body>', '<main>',
    `<h1>${esc(input.title)}</h1>`,
    `<p class="summary">${input.results.length} submissions, ${graded.length} graded, ${input.results.length - graded.length} not graded; mean ${percent(mean)} of the maximum.</p>`,
    '<h2>Scores</h2>', histogram(shares),
    '<h2>Parts</h2>', partTable(graded),
    '<h2>Most common hints</h2>', commonHints(graded),
    '<h2>Slowest submissions</h2>', slowest(input.results),
    '<h2>Not graded</h2>', ungraded(input.results),
    '<h2>Similar submissions</h2>', similaritySection(input),
    `<footer>Made ${esc(input.madeAt)} from the per-student results. This page loads nothing and runs no scripts.</footer>`,
    '</main>', '</body>', '</html>', '',
  ].join('\n');
}

const CSS = `
body { margin: 0; background: #f6f8fa; color: #1f2328; font: 15px/1.5 system-ui, sans-serif; }
main { max-width: 1200px; margin: 0 auto; padding: 24px 20px 40px; }
h1 { margin: 0 0 4px; } h2 { margin-top: 32px; border-bottom: 1px solid #d0d7de; }
table { border-collapse: collapse; background: #fff; width: 100%; }
th, td { border: 1px solid #d0d7de; padding: 4px 8px; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.who { font-size: 13px; color: #656d76; }
tr.flag td { background: #ffebe9; }
.muted { color: #656d76; }
.hist { background: #fff; border: 1px solid #d0d7de; max-width: 100%; height: auto; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 8px; }
.pair .who { font-weight: 600; }
pre.code { background: #fff; border: 1px solid #d0d7de; padding: 6px; overflow-x: auto; font-size: 12px; margin: 0; }
.line { display: block; } .line.shared { background: #fff8c5; }
.ln { display: inline-block; width: 3em; color: #8c959f; user-select: none; }
footer { margin-top: 32px; color: #656d76; font-size: 13px; }
`;
