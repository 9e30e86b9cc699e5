/**
 * CPU time of the child process, so that a training run's limit counts the
 * work the submission did and not the time it spent waiting for a core on a
 * loaded machine. Linux gives it in /proc/PID/stat; elsewhere (or where that
 * file cannot be read) the caller falls back to wall time.
 */
import { readFileSync } from 'node:fs';

/**
 * Clock ticks per second of the utime/stime fields (USER_HZ). It is 100 on every
 * Linux architecture Node runs on (it is part of the kernel's ABI, unlike HZ).
 */
const USER_HZ = 100;

/** How often a running call's CPU time is read. */
export const CPU_POLL_MS = 100;

/**
 * CPU time (user + system, all threads, plus children it has waited for) that
 * process `pid` has used, in ms; undefined where /proc/PID/stat cannot be read
 * (not Linux, hidepid, the process is gone).
 */
export function processCpuMs(pid: number): number | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return undefined;
  }
  // the command name (field 2) may hold spaces and parentheses: the fields that follow start after the last ')'
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // fields 14-17 of the man page (utime, stime, cutime, cstime) are 11-14 here, counted from field 3
  const ticks = fields.slice(11, 15).map(Number);
  if (ticks.length !== 4 || !ticks.every(Number.isFinite)) return undefined;
  return (ticks.reduce((s, t) => s + t, 0) * 1000) / USER_HZ;
}

/** Why a CPU-time limit could not be applied, said once in the feedback of a call that fell back to wall time. */
export const CPU_UNAVAILABLE = 'the CPU time of the child process cannot be read here (/proc/PID/stat), so this limit was measured in wall time';

/**
 * Below this share of a core over the idle window, a child counts as computing nothing: a
 * child that computes gets a share of a core even on a machine with many graders per core.
 */
export const IDLE_SHARE = 0.02;

/**
 * Watches one call's CPU time: `exceeded` fires once when the child has used
 * `limitMs` of CPU since the watch started; `idle`, when given, fires once when
 * the child used less than IDLE_SHARE of a core over the last `idle.windowMs`
 * of wall time (it waits: Atomics.wait, a promise that never settles) instead of
 * making it wait for the wall-clock backstop. `usedMs()` is the CPU time so far
 * (undefined when it cannot be read).
 */
export class CpuWatch {
  private readonly startMs: number | undefined;
  private lastMs: number | undefined;
  private readonly timer: NodeJS.Timeout | undefined;
  /** Readings of the idle window, oldest first: wall time and CPU time, in ms. */
  private readonly samples: { wall: number; cpu: number }[] = [];

  constructor(
    private readonly pid: number | undefined, limitMs: number, exceeded: (usedMs: number) => void,
    idle?: { windowMs: number; onIdle: (usedMs: number) => void },
  ) {
    this.startMs = pid === undefined ? undefined : processCpuMs(pid);
    this.lastMs = this.startMs;
    if (this.startMs === undefined) return;
    this.timer = setInterval(() => {
      const used = this.usedMs();
      if (used === undefined) return;
      if (used >= limitMs) {
        this.stop();
        exceeded(used);
      } else if (idle && this.idleFor(idle.windowMs, used)) {
        this.stop();
        idle.onIdle(used);
      }
    }, CPU_POLL_MS);
  }

  /** Whether the CPU time grew by less than IDLE_SHARE of the last windowMs of wall time. */
  private idleFor(windowMs: number, used: number): boolean {
    const now = performance.now();
    this.samples.push({ wall: now, cpu: used });
    while (this.samples.length > 1 && now - this.samples[1].wall >= windowMs) this.samples.shift();
    const oldest = this.samples[0];
    return now - oldest.wall >= windowMs && used - oldest.cpu < IDLE_SHARE * (now - oldest.wall);
  }

  /** True when the child's CPU time can be read, so the limit is in CPU time. */
  get measured(): boolean {
    return this.startMs !== undefined;
  }

  /** CPU time the child has used since the watch started, in ms: the last reading once the child is gone. */
  usedMs(): number | undefined {
    if (this.startMs === undefined || this.pid === undefined) return undefined;
    this.lastMs = processCpuMs(this.pid) ?? this.lastMs;
    return this.lastMs! - this.startMs;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
