/**
 * Progress of a tuning run on stderr: one line per finished trial (trial k/N,
 * setting, validation accuracy, seconds); on a terminal the running trial is
 * also a redrawn bar over its epochs.
 */
import { progressBar, type ProgressStream } from '../common/progress-bar.js';
import { describeSetting } from './space.js';
import type { TrialResult, TuneEvent } from './search.js';

/** "trial  3/12  20-20 relu adam lr 0.0031 reg 0 batch 50  val 0.969  2.1s" (fixed widths, so a log lines up). */
export function formatTrial(result: TrialResult, of: number): string {
  const width = String(of).length;
  const score = Number.isNaN(result.valAccuracy) ? 'val   -  ' : `val ${result.valAccuracy.toFixed(3)}`;
  const note = result.status === 'ok' ? '' : `  ${result.status}${result.problem ? `: ${result.problem}` : ''}`;
  return `trial ${String(result.trial).padStart(width)}/${of}  ${describeSetting(result.setting).padEnd(48)}  ${score}  ${result.seconds.toFixed(1)}s${note}`;
}

/** An event handler for tune() that reports to `stream` (process.stderr). */
export function createTuneProgress(stream: ProgressStream): (e: TuneEvent) => void {
  let current = '';
  let drawn = false;
  const clear = () => {
    if (drawn) stream.write('\r\x1b[2K');
    drawn = false;
  };
  return (e) => {
    switch (e.type) {
      case 'start': {
        const grid = e.gridSize === undefined ? '' : e.gridSize > e.trials
          ? ` (the grid has ${e.gridSize} settings: running ${e.trials} of them picked with --seed; raise --trials or narrow the space to run all)`
          : ` (the whole grid)`;
        stream.write(`${e.examples.train} train, ${e.examples.validation} validation, ${e.examples.test} test examples; ${e.trials} trials${grid}, trained by ${e.trainer}\n`);
        return;
      }
      case 'trial-start':
        current = `trial ${e.trial}/${e.of} ${describeSetting(e.setting)}`;
        return;
      case 'final-start':
        current = `best setting on the whole training set: ${describeSetting(e.setting)}`;
        if (!stream.isTTY) stream.write(`${current}\n`);
        return;
      case 'epoch':
        if (!stream.isTTY) return;
        stream.write(`\r\x1b[2K${`${progressBar(e.epoch, e.epochs)} epoch ${e.epoch}/${e.epochs}  ${current}`.slice(0, Math.max(20, (stream.columns || 120) - 1))}`);
        drawn = true;
        return;
      case 'trial-end':
        clear();
        stream.write(`${formatTrial(e.result, e.of)}\n`);
        return;
      case 'final-end':
        clear();
        return;
      case 'budget':
        clear();
        stream.write(`budget of ${e.budgetSec}s used up: ${e.ran} of ${e.of} trials ran\n`);
    }
  };
}
