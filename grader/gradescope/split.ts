/**
 * Puts the public and the hidden run of one submission into one result: each
 * part's points are split between its public tests (always visible) and its
 * hidden tests (shown when the instructor chose) by the hidden fraction, so
 * the maximum stays the part's points.
 */
import type { GradingResults, PartResult, Visibility } from '../results.js';
import { sumScores } from '../status.js';

export interface SplitOptions {
  /** Share of each part's points that goes to its hidden tests (0 to 1). */
  hiddenFraction: number;
  /** Visibility of the hidden tests. */
  hiddenVisibility: Visibility;
}

/** The part with every score and maximum multiplied by `factor`. */
function scaled(part: PartResult, factor: number, visibility: Visibility, title: string): PartResult {
  return {
    ...part,
    title,
    visibility,
    score: part.score * factor,
    maxScore: part.maxScore * factor,
    cases: part.cases.map((c) => ({ ...c, score: c.score * factor, maxScore: c.maxScore * factor })),
  };
}

/** One GradingResults from a public and a hidden run of the same submission. */
export function splitPoints(pub: GradingResults, hidden: GradingResults, options: SplitOptions): GradingResults {
  const f = options.hiddenFraction;
  const parts = [
    ...pub.parts.map((p) => scaled(p, 1 - f, 'visible', p.title)),
    ...hidden.parts.map((p) => scaled(p, f, options.hiddenVisibility, `${p.title} (hidden tests)`)),
  ];
  return {
    submission: pub.submission,
    startedAt: pub.startedAt,
    timeMs: pub.timeMs + hidden.timeMs,
    score: sumScores(parts.map((p) => p.score)),
    maxScore: sumScores(parts.map((p) => p.maxScore)),
    notAttempted: sumScores(parts.filter((p) => p.status === 'not_run').map((p) => p.maxScore)),
    parts,
    warnings: [...new Set([...pub.warnings, ...hidden.warnings])],
    fixtures: hidden.fixtures,
    // both runs were made in the same process under the same layers
    isolation: hidden.isolation,
  };
}
