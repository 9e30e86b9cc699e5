/**
 * The batch's progress: on a terminal one line redrawn in place (done/total,
 * failures, time left, the student running longest and for how long); in a
 * log or pipe one plain line per finished student, plus a line when a student
 * has been running for a long while, so a slow one never looks like a hang.
 */
import type { ProgressStream } from '../cli/progress.js';
import { progressBar } from '../cli/progress.js';

/** After this long a running student is named in a plain line (and again every this long). */
export const SLOW_NOTICE_MS = 30_000;

export interface BatchProgress {
  started(student: string): void;
  finished(student: string, line: string, failed: boolean, cached: boolean): void;
  /** Redraws (terminal) or reports slow students (plain); call every second or so. */
  tick(): void;
  done(): void;
}

/** Seconds as "1m05s" or "42s". */
function clock(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** Progress over `total` students; `now` is injectable for tests. */
export function createBatchProgress(stream: ProgressStream, total: number, now: () => number = Date.now): BatchProgress {
  const running = new Map<string, number>();
  const noticed = new Map<string, number>();
  const begin = now();
  let done = 0, failures = 0, graded = 0, drawn = false;

  const status = () => {
    const t = now();
    const left = total - done;
    // time left from the students graded in this run (cached ones cost nothing)
    const eta = graded > 0 && left > 0 ? `, ~${clock(((t - begin) / graded) * left)} left` : '';
    const longest = [...running].sort((a, b) => a[1] - b[1])[0];
    const current = longest ? `, running ${longest[0]} (${clock(t - longest[1])})` : '';
    return `${done}/${total} done, ${failures} not graded${eta}${current}`;
  };
  const redraw = () => {
    const columns = stream.columns || 120;
    stream.write(`\r\x1b[2K${`${progressBar(done, total)} ${status()}`.slice(0, Math.max(20, columns - 1))}`);
    drawn = true;
  };

  return {
    started(student) {
      running.set(student, now());
      if (stream.isTTY) redraw();
    },
    finished(student, line, failed, cached) {
      const startedAt = running.get(student);
      running.delete(student);
      noticed.delete(student);
      done++;
      if (failed) failures++;
      if (!cached && startedAt !== undefined) graded++;
      if (stream.isTTY) {
        stream.write(`\r\x1b[2K[${done}/${total}] ${student}: ${line}\n`);
        redraw();
      } else {
        stream.write(`[${done}/${total}] ${student}: ${line}${cached ? ' (unchanged, not regraded)' : ''}\n`);
      }
    },
    tick() {
      if (stream.isTTY) {
        redraw();
        return;
      }
      const t = now();
      for (const [student, at] of running) {
        const last = noticed.get(student) ?? at;
        if (t - last >= SLOW_NOTICE_MS) {
          noticed.set(student, t);
          stream.write(`... still grading ${student} (${clock(t - at)}); ${status()}\n`);
        }
      }
    },
    done() {
      if (stream.isTTY && drawn) stream.write('\n');
      drawn = false;
    },
  };
}
