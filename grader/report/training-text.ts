/**
 * The one-line summary of a training part that every report shows: the test
 * accuracy the grader measured against the part's threshold, and the main
 * run's time against its limit, on the clock the limit is measured in.
 */
import type { PartResult, TrainingMeasures } from '../results.js';
import { cleanText, formatNumber } from './text.js';

/** "test accuracy 0.9300, threshold 0.9: reached" (or "short by 2.1 points"; "no test accuracy" when no network came back). */
export function accuracyText(t: TrainingMeasures): string {
  if (t.accuracy === undefined) return `no test accuracy (threshold ${formatNumber(t.threshold)}): the main run returned no network`;
  const verdict = t.accuracy >= t.threshold ? 'reached' : `${formatNumber((t.threshold - t.accuracy) * 100)} percentage points short`;
  return `test accuracy ${t.accuracy.toFixed(4)}, threshold ${formatNumber(t.threshold)}: ${verdict}`;
}

/** "8.2 s of CPU time, limit 300 s" (with the wall time when `wall`), or "limit 300 s of CPU time, not run" before a main run. */
export function timeText(t: TrainingMeasures, wall = false): string {
  if (t.usedSec === undefined || t.clock === undefined) return `main run not run (limit ${formatNumber(t.limitSec)} s)`;
  const clock = t.clock === 'cpu' ? 'CPU time' : 'wall time';
  const wallNote = wall && t.clock === 'cpu' && t.wallSec !== undefined ? ` (${t.wallSec.toFixed(1)} s of wall time)` : '';
  return `main run ${t.usedSec.toFixed(1)} s of ${clock}, limit ${formatNumber(t.limitSec)} s${wallNote}`;
}

/** Plain lines for the reports without colour (Gradescope, Markdown): one per training part that ran, each note indented under it. */
export function trainingSummaryLines(parts: readonly PartResult[], wall = false): string[] {
  return parts.filter((p) => p.training && p.status !== 'not_run').flatMap((p) => {
    const t = p.training!;
    return [`${cleanText(p.title)}: ${accuracyText(t)}; ${timeText(t, wall)}`, ...t.notes.map((n) => `  ${cleanText(n)}`)];
  });
}
