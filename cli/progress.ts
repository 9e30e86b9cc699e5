/**
 * Per-epoch progress for long training runs (`npm run train`, `npm run tune`):
 * a redrawn bar on a terminal, one plain line per epoch in a log or a pipe.
 */
import { progressBar, type ProgressStream } from '../common/progress-bar.js';

/** What is known after an epoch. */
export interface EpochStatus {
  /** 1-based. */
  epoch: number;
  epochs: number;
  loss: number;
  /** Not known when the student's trainMLP did not report it. */
  trainAccuracy?: number;
  valAccuracy?: number;
  /** Seconds this epoch took. */
  seconds: number;
}

/** "epoch  3/10  loss 0.3625  train 0.917  val 0.894  12.3s": fixed widths, so lines align in a log. */
export function formatEpoch(s: EpochStatus): string {
  const width = String(s.epochs).length;
  const parts = [
    `epoch ${String(s.epoch).padStart(width)}/${s.epochs}`,
    `loss ${Number.isFinite(s.loss) ? s.loss.toFixed(4) : String(s.loss)}`,
  ];
  if (s.trainAccuracy !== undefined) parts.push(`train ${s.trainAccuracy.toFixed(3)}`);
  if (s.valAccuracy !== undefined) parts.push(`val ${s.valAccuracy.toFixed(3)}`);
  parts.push(`${s.seconds.toFixed(1)}s`);
  return parts.join('  ');
}

/** Reports epochs to a stream: update() after each epoch, done() once at the end. */
export interface Progress {
  update(status: EpochStatus): void;
  done(): void;
}

/**
 * A terminal gets one line redrawn in place (bar, status, time left); anything
 * else gets plain formatted lines, which read well in CI logs: one per epoch, but
 * at most about `maxLines` (the first, the last and every k-th epoch) for long runs.
 */
export function createProgress(stream: ProgressStream, maxLines = 25): Progress {
  if (!stream.isTTY) {
    return {
      update(s) {
        const every = Math.ceil(s.epochs / maxLines);
        if (s.epoch === 1 || s.epoch === s.epochs || s.epoch % every === 0) stream.write(`${formatEpoch(s)}\n`);
      },
      done: () => undefined,
    };
  }
  let total = 0;
  let drawn = false;
  return {
    update(s) {
      total += s.seconds;
      const left = (total / s.epoch) * (s.epochs - s.epoch);
      const line = `${progressBar(s.epoch, s.epochs)} ${formatEpoch(s)}${left >= 1 ? `  ~${Math.round(left)}s left` : ''}`;
      const columns = stream.columns || 120; // 0 when the terminal reports no size
      stream.write(`\r\x1b[2K${line.slice(0, Math.max(20, columns - 1))}`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\n');
      drawn = false;
    },
  };
}
