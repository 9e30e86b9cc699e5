/**
 * Folding for the reports a student reads: an untouched stub fails every case
 * of its function with the same "not implemented" line, so those cases are
 * shown as one entry per function (with their count and points) instead of
 * dozens of identical lines.
 */
import type { CaseResult } from '../results.js';

/** A case as a report shows it: `count` cases of one function folded into one, or a single case (count 1). */
export interface ShownCase extends CaseResult { count: number }

/** The function a case calls, from its name ("affineBackward: batch of one" -> "affineBackward"), else its id's first segment. */
function functionOf(c: CaseResult): string {
  const colon = c.name.indexOf(':');
  return colon > 0 ? c.name.slice(0, colon) : c.id.split('/')[0];
}

/**
 * The cases in order, with every not-implemented case of a function whose
 * feedback and hints are identical folded into the first one of its kind.
 */
export function foldNotImplemented(cases: readonly CaseResult[]): ShownCase[] {
  const shown: ShownCase[] = [];
  const groups = new Map<string, ShownCase>();
  for (const c of cases) {
    if (c.status !== 'not_implemented') {
      shown.push({ ...c, count: 1 });
      continue;
    }
    const fn = functionOf(c);
    const key = JSON.stringify([fn, c.feedback, c.hints]);
    const group = groups.get(key);
    if (group) {
      group.count++;
      group.score += c.score;
      group.maxScore += c.maxScore;
      group.timeMs += c.timeMs;
      group.name = `${fn} (${group.count} cases)`;
      continue;
    }
    const first: ShownCase = { ...c, count: 1 };
    groups.set(key, first);
    shown.push(first);
  }
  return shown;
}
