/**
 * The outputs of a tuning run, each a pure function of its ranked trials: the
 * terminal table, results.csv (one row per trial, a spreadsheet reads it) and
 * tune.svg (validation accuracy of the trials, best first).
 */
import { lineChart } from '../starter/provided/plot.js';
import type { TrialResult } from './search.js';
import type { LimitTime } from './trainers.js';

const COLUMNS = ['rank', 'trial', 'hidden', 'activation', 'init', 'optimizer', 'lr', 'reg', 'batch', 'epochs', 'val acc', 'seconds', 'status'] as const;

function cells(t: TrialResult, rank: number): string[] {
  const s = t.setting;
  return [
    String(rank), String(t.trial), s.hidden.length ? s.hidden.join('-') : 'none', s.activation, s.init, s.optimizer,
    String(s.lr), String(s.reg ?? 0), String(s.batchSize), String(s.epochs),
    Number.isNaN(t.valAccuracy) ? '-' : t.valAccuracy.toFixed(4), t.seconds.toFixed(1), t.status,
  ];
}

/** The ranked trials as aligned text columns (numbers right-aligned), header first. */
export function formatTable(ranked: readonly TrialResult[]): string {
  const rows = [[...COLUMNS], ...ranked.map((t, i) => cells(t, i + 1))];
  const widths = COLUMNS.map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const numeric = new Set(['rank', 'trial', 'lr', 'reg', 'batch', 'epochs', 'val acc', 'seconds']);
  return rows.map((r) => r.map((cell, c) => (numeric.has(COLUMNS[c]) ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd()).join('\n');
}

/** RFC 4180 quoting: only cells with a comma, quote or line break are quoted. */
function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** results.csv: one row per trial, best first, full-precision numbers; hidden sizes as "20 20". */
export function resultsCsv(ranked: readonly TrialResult[]): string {
  const header = ['rank', 'trial', 'hidden', 'activation', 'init', 'optimizer', 'lr', 'reg', 'batch_size', 'epochs', 'train_size', 'val_accuracy', 'seconds', 'status', 'problem'];
  const rows = ranked.map((t, i) => {
    const s = t.setting;
    return [
      String(i + 1), String(t.trial), s.hidden.join(' '), s.activation, s.init, s.optimizer, String(s.lr), String(s.reg ?? 0),
      String(s.batchSize), String(s.epochs), s.trainSize === undefined ? '' : String(s.trainSize),
      Number.isNaN(t.valAccuracy) ? '' : String(t.valAccuracy), t.seconds.toFixed(3), t.status, t.problem ?? '',
    ];
  });
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** tune.svg: validation accuracy of the trials sorted best first, with the grader's threshold for scale. */
export function tunePlot(ranked: readonly TrialResult[], dataset: string, threshold: number): string {
  const scored = ranked.filter((t) => !Number.isNaN(t.valAccuracy));
  const last = Math.max(1, scored.length);
  return lineChart({
    title: `${dataset}: validation accuracy of ${scored.length} trials, best first`,
    xLabel: 'rank (1 = best setting)',
    yLabel: 'validation accuracy',
    series: [
      { name: 'validation accuracy', values: scored.map((t) => t.valAccuracy) },
      { name: `grader threshold ${threshold} (test set)`, values: [threshold, threshold], x: [1, last] },
    ],
  });
}

/**
 * A warning when the final run came near the grader's limit, compared on the limit's own
 * clock (CPU time where the OS gives it): over it, or over half of it as the grader warns.
 */
export function limitWarning(t: LimitTime, limitSec: number): string | undefined {
  const clock = t.clock === 'cpu' ? 'CPU time' : 'wall time';
  const used = `${t.usedSec.toFixed(1)} s of ${clock}`;
  const faster = 'pick a faster setting (fewer epochs, a smaller network or trainSize)';
  if (t.usedSec > limitSec) return `warning: that training used ${used}, more than the ${limitSec} s of ${clock} the grader allows: ${faster}`;
  if (t.usedSec > limitSec / 2) return `warning: that training used ${used}, more than half the ${limitSec} s the grader allows: on a slower grading machine it may not finish; ${faster}`;
  return undefined;
}
