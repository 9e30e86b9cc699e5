/**
 * Runs a bundled submission in a locked-down child process and calls its
 * functions one at a time. The parent keeps the expected values; the child
 * only ever receives inputs, and whatever it sends back is checked (id, nonce,
 * shape, size) before it is believed. A call that hangs or kills the child is
 * answered as such and the next call gets a fresh child.
 */
import { execa } from 'execa';
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Encoded } from '../codec.js';
import { homeModule } from '../modules.js';
import type { BundleResult, ModuleStatus } from './bundle.js';
import { CpuWatch } from './cpu-time.js';
import { encodeFrame, FrameError, FrameReader, writeFrame } from './frames.js';
import { encodedProblem } from './encoded-check.js';
import { clip, REPLY_LIMITS } from './limits.js';
import { findTool, grantBundle, jailCommand, type Jail } from './jail.js';
import { sandboxFlags } from './node-flags.js';
import { OutputCap } from './output-cap.js';
import { CHANNEL_LOST_EXIT, type CallMessage, type InitMessage, type ReadyMessage, type ResultMessage, type ThrownError } from './protocol.js';

export type CallOutcome =
  | { kind: 'ok'; value: Encoded; timeMs: number; cpuMs?: number; modifiedInput?: string }
  | { kind: 'threw'; name: string; message: string; location?: string; notImplemented: boolean; timeMs: number }
  | { kind: 'timeout'; timeMs: number; cpuMs?: number; idleMs?: number }
  | { kind: 'crashed'; message: string; timeMs: number }
  | { kind: 'compile_error'; message: string }
  | { kind: 'missing'; message: string };

export interface RunnerOptions {
  /** Heap limit of the child (--max-old-space-size), default 4096; under the memory cap, ArrayBuffers are limited too (see memory-limit.ts). */
  memoryMb?: number;
  /** The OS layers the child starts under (grade() passes the probed ones, see layers.ts); default: the memory cap where prlimit exists. */
  jail?: Jail;
  /** How long loading the modules may take before the child counts as hanging, default 5000 ms. */
  startTimeoutMs?: number;
}

export interface CallOptions {
  /** Default 10 s, at most 2^31-1 ms (about 24.8 days); the child is killed when it runs out. */
  timeoutMs?: number;
  /** Receives what the submission passes to a `$type: 'progress'` callback (its history, encoded); a listener that throws is ignored. */
  onProgress?: (p: Encoded) => void;
  /**
   * A limit in CPU time of the child (where /proc/PID/stat gives it), with `timeoutMs`
   * as the wall-clock backstop for a child that waits without computing; where the
   * CPU time cannot be read, this is a wall-time limit and `timeoutMs` is ignored.
   * The outcome then carries `cpuMs` when it was measured.
   */
  cpuLimitMs?: number;
  /**
   * With `cpuLimitMs` measured in CPU time: stop the call as soon as the child computed
   * nothing (less than 2 % of a core) for this long, instead of at the wall-clock backstop;
   * the timeout outcome then carries `idleMs`.
   */
  idleLimitMs?: number;
  /** The parameter names of the arguments, for the line saying which one the call modified (grader/unchanged-inputs.ts). */
  argNames?: string[];
}

/** After this many loads in a row that exit or hang, calls stop starting children. */
const MAX_LOAD_FAILURES = 3;
const LOAD_FAILURE = 'the submission exits/hangs while loading its modules';
/** The longest delay setTimeout honours; Node turns a longer one into 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Exit { code: number | null; signal: NodeJS.Signals | null }

/** A started child process. */
interface Spawned {
  process: Pick<ChildProcess, 'kill' | 'pid'>;
  /** The private channel (fd 3). */
  channel: Socket;
  /** Resolves once the child has exited and its output streams are drained. */
  closed: Promise<Exit>;
  exited: boolean;
  /** Why the grader killed the child for what the submission wrote to the channel. */
  misuse?: string;
  /** Receives the child's messages; replaced per call. */
  onMessage: (m: unknown) => void;
  /** Told when the child is gone; replaced per call (one slot, so finished calls leave nothing behind). */
  onClose: (exit: Exit) => void;
}

/** A child that finished loading the modules. */
interface Child extends Spawned { ready: ReadyMessage }

/** The isolation layer: one submission's bundle, run in a sandboxed child process. */
export class SubmissionRunner {
  private child: Child | undefined;
  private loadFailures = 0;
  private lastLoadFailure = LOAD_FAILURE;
  /** Load status the last child reported (top-level throws). */
  private loadStatus: Record<string, ModuleStatus> = {};
  private queue: Promise<unknown> = Promise.resolve();
  private readonly output = new OutputCap();
  private closing = false;
  /** The start under way (spawned, waiting for the ready message), shared by whoever needs the child meanwhile. */
  private starting: Promise<Child | undefined> | undefined;
  /** The child of that start, so that close() can kill it without waiting for it to load. */
  private spawning: Spawned | undefined;

  private constructor(private readonly bundle: BundleResult, private readonly options: Required<RunnerOptions>) {}

  /** Starts the child and waits for it to load the modules; a submission that cannot load still gives a runner (its calls answer `crashed`). */
  static async start(bundle: BundleResult, options: RunnerOptions = {}): Promise<SubmissionRunner> {
    const runner = await SubmissionRunner.launch(bundle, options);
    await runner.liveChild();
    return runner;
  }

  /**
   * Spawns the child and returns without waiting for it to load the modules: the first call
   * waits for that, so the caller can prepare its data (load a data set) while the child starts.
   */
  static async launch(bundle: BundleResult, options: RunnerOptions = {}): Promise<SubmissionRunner> {
    const prlimit = findTool('prlimit');
    const runner = new SubmissionRunner(bundle, { memoryMb: 4096, startTimeoutMs: 5000, jail: prlimit ? { prlimit } : {}, ...options });
    await grantBundle(bundle.dir, runner.options.jail);
    // spawns now; how the start ends is what the first call finds
    runner.liveChild().catch(() => undefined);
    return runner;
  }

  /** Calls a function of the submission (a graded one in its home module, see FUNCTION_MODULES); calls queue, one at a time. */
  call(fn: string, args: Encoded[], options: CallOptions = {}): Promise<CallOutcome> {
    if (this.closing) return Promise.reject(new Error(`SubmissionRunner: call(${fn}) after close()`));
    const outcome = this.queue.then(() => this.run(fn, args, options));
    this.queue = outcome.catch(() => undefined);
    return outcome;
  }

  /** Stdout+stderr the child printed since the last take, capped; never read as results. */
  takeOutput(): string {
    return this.output.take();
  }

  /** Each module's status: the build's, then the load's (a module whose top-level code throws is not ok). */
  moduleStatus(): Record<string, ModuleStatus> {
    return { ...this.bundle.modules, ...this.loadStatus };
  }

  /** Kills the child if one is running; calls still queued answer `crashed`, later calls are refused. */
  async close(): Promise<void> {
    this.closing = true;
    // a child still loading is killed now, not after its start time-out
    if (this.spawning) void this.kill(this.spawning);
    await this.starting?.catch(() => undefined);
    await this.kill();
  }

  private async run(fn: string, args: Encoded[], options: CallOptions): Promise<CallOutcome> {
    if (this.closing) return { kind: 'crashed', message: `the grader closed the runner before ${fn} ran`, timeMs: 0 };
    const child = await this.liveChild();
    if (!child) return { kind: 'crashed', message: this.closing ? `the grader closed the runner before ${fn} ran` : this.lastLoadFailure, timeMs: 0 };
    const file = moduleOf(child.ready, fn);
    if (!file) return this.unavailable(fn, child.ready);
    return this.send(child, file, fn, args, options);
  }

  private send(child: Child, file: string, fn: string, args: Encoded[], { timeoutMs = 10_000, onProgress, cpuLimitMs, idleLimitMs, argNames }: CallOptions): Promise<CallOutcome> {
    const id = randomUUID();
    const nonce = randomUUID();
    const started = performance.now();
    const elapsed = () => performance.now() - started;
    return new Promise<CallOutcome>((resolve, reject) => {
      // The first verdict wins; when it ends the child, the close handler delivers it.
      let verdict: CallOutcome | Error | undefined;
      let done = false;
      const finish = () => {
        if (done || !verdict) return;
        done = true;
        clearTimeout(timer);
        cpu?.stop();
        child.onMessage = () => undefined;
        child.onClose = () => undefined;
        if (verdict instanceof Error) reject(verdict);
        else resolve(verdict);
      };
      const end = (v: CallOutcome | Error) => {
        verdict ??= v;
        void this.kill(child);
      };
      const cpuUsed = () => (cpu?.measured ? { cpuMs: cpu.usedMs() } : {});
      const idle = idleLimitMs === undefined ? undefined
        : { windowMs: idleLimitMs, onIdle: (cpuMs: number) => end({ kind: 'timeout', timeMs: elapsed(), cpuMs, idleMs: idleLimitMs }) };
      const cpu = cpuLimitMs === undefined ? undefined : new CpuWatch(child.process.pid, cpuLimitMs, (cpuMs) => end({ kind: 'timeout', timeMs: elapsed(), cpuMs }), idle);
      const wallMs = cpu && !cpu.measured ? cpuLimitMs! : timeoutMs;
      const timer = setTimeout(() => end({ kind: 'timeout', timeMs: elapsed(), ...cpuUsed() }), Math.min(wallMs, MAX_TIMER_MS));
      child.onClose = (exit) => {
        verdict ??= { kind: 'crashed', message: this.crashMessage(child, exit, fn), timeMs: elapsed() };
        finish();
      };
      child.onMessage = (m) => {
        if (!isReply(m, id, nonce) || verdict) return;
        if (m.type === 'progress') {
          if (encodedProblem(m.value, 'the history')) return;
          try {
            onProgress?.(m.value);
          } catch {
            // progress output is cosmetic: a failing listener must not fail the call
          }
          return;
        }
        const outcome = this.resultOutcome(m, elapsed());
        verdict = outcome.kind === 'ok' ? { ...outcome, ...cpuUsed() } : outcome;
        // lets output printed just before the result reach the cap before the caller takes it
        setImmediate(finish);
      };
      const message: CallMessage = { type: 'call', id, nonce, file, fn, args, ...(argNames ? { argNames } : {}) };
      let frame: Buffer[];
      try {
        frame = encodeFrame(message);
      } catch (cause) {
        end(new Error(`SubmissionRunner: the arguments of ${fn} cannot be sent to the child`, { cause }));
        return;
      }
      if (child.exited || child.channel.destroyed) end({ kind: 'crashed', message: `the child process could not be reached during ${fn}`, timeMs: elapsed() });
      else writeFrame(child.channel, frame);
    });
  }

  /** A result message as the caller sees it, believing only what it checks: texts cut, a well-formed value (sizes were limited while decoding). */
  private resultOutcome(m: ResultMessage, timeMs: number): CallOutcome {
    if (!m.ok) {
      const error = thrownError(m.error);
      if (error.name === 'RangeError' && error.message === 'Array buffer allocation failed') {
        error.message += ` (out of memory: the submission may use about ${this.options.memoryMb} MB for its heap and as much again for typed arrays)`;
      }
      return { kind: 'threw', ...error, notImplemented: error.name === 'NotImplementedError', timeMs };
    }
    const problem = encodedProblem(m.value, 'the return value');
    if (problem) return { kind: 'threw', name: 'TypeError', message: problem, notImplemented: false, timeMs };
    const modifiedInput = typeof m.modifiedInput === 'string' ? { modifiedInput: clip(m.modifiedInput) } : {};
    return { kind: 'ok', value: m.value, timeMs, ...modifiedInput };
  }

  /** Why `fn` cannot be called: its home module (or, for other names, any module) does not export it, did not build or did not load. */
  private unavailable(fn: string, ready: ReadyMessage): CallOutcome {
    const status = this.moduleStatus();
    const home = homeModule(fn);
    const candidates = home ? [home] : Object.keys(this.bundle.exportNames ?? {});
    for (const file of candidates) {
      const s = status[file];
      if (s && !s.ok && this.bundle.exportNames?.[file]?.includes(fn)) return { kind: 'compile_error', message: s.error };
    }
    const broken = Object.entries(status).filter(([, s]) => !s.ok).map(([f]) => f);
    const note = broken.length > 0 ? ` (not built or loaded: ${broken.join(', ')})` : '';
    if (!home) return { kind: 'missing', message: `no module of the submission exports ${fn}${note}` };
    const elsewhere = Object.keys(ready.exports).find((file) => ready.exports[file].includes(fn));
    const where = elsewhere ? ` (${elsewhere} does, but the grader calls the one in ${home})` : note;
    return { kind: 'missing', message: `${home} does not export ${fn}${where}` };
  }

  private crashMessage(child: Spawned, exit: Exit, fn: string): string {
    if (this.closing) return `the grader closed the runner during ${fn}`;
    if (child.misuse) return `the submission wrote to the grader's private channel (fd 3) during ${fn}: ${child.misuse}`;
    if (exit.code === CHANNEL_LOST_EXIT) return `the submission closed or broke the grader's private channel (fd 3) during ${fn}`;
    const recent = this.output.peekEnd();
    if (/heap out of memory|Reached heap limit|Fatal process out of memory|Array buffer allocation failed/.test(recent)) {
      return `the submission ran out of memory (limit ${this.options.memoryMb} MB) during ${fn}`;
    }
    if (/write (ENOBUFS|EPIPE)/.test(recent)) return `the submission printed too much output during ${fn}: print less (for example once per epoch)`;
    const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
    return `the child process ${how} during ${fn} (process.exit, an uncaught error in a callback, or a crash)`;
  }

  /** The running child, starting one if needed (or joining the start under way); undefined once loading has failed too often. */
  private liveChild(): Promise<Child | undefined> {
    if (this.child && !this.child.exited) return Promise.resolve(this.child);
    this.starting ??= this.startChild().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  /** Starts a child; undefined when it did not load (or the runner was closed meanwhile). */
  private async startChild(): Promise<Child | undefined> {
    this.child = undefined;
    if (this.loadFailures >= MAX_LOAD_FAILURES) return undefined;
    const started = await this.spawn();
    if (typeof started === 'string') {
      this.loadFailures++;
      this.lastLoadFailure = started;
      return undefined;
    }
    this.loadFailures = 0;
    this.child = started;
    if (this.closing) {
      await this.kill(started);
      return undefined;
    }
    return started;
  }

  /** Starts a child and waits for its ready message; a string says why loading failed. */
  private async spawn(): Promise<Child | string> {
    const nonce = randomUUID();
    const [command, args] = jailCommand(this.options.jail, this.options.memoryMb, process.execPath, [...sandboxFlags(this.bundle.dir, this.options.memoryMb), this.bundle.harness]);
    // Plain execa on process.execPath, not execaNode: its `node` mode puts the parent's PATH into the env.
    const proc = execa(command, args, {
      // fd 3 is the private channel (frames.ts), not Node's IPC: a malformed frame must not crash the grader
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      cwd: this.bundle.dir,
      extendEnv: false,
      env: {},
      buffer: false,
      reject: false,
      // on the grader's exit execa kills the child with killSignal: SIGKILL, which a submission cannot ignore
      cleanup: true,
      killSignal: 'SIGKILL',
    });
    proc.stdout?.on('data', (chunk: Buffer) => this.output.add(chunk));
    proc.stderr?.on('data', (chunk: Buffer) => this.output.add(chunk));
    const channel = proc.stdio[3] as Socket;
    const closed = new Promise<Exit>((resolve) => proc.once('close', (code, signal) => resolve({ code, signal })));
    const spawned: Spawned = { process: proc, channel, closed, exited: false, onMessage: () => undefined, onClose: () => undefined };
    this.spawning = spawned;
    const reader = new FrameReader(REPLY_LIMITS);
    channel.on('data', (chunk: Buffer) => {
      if (spawned.misuse) return;
      let messages: unknown[];
      try {
        messages = reader.push(chunk);
      } catch (e) {
        const why = e instanceof FrameError ? e.message : `a message the grader cannot read (${String(e)})`;
        spawned.misuse = why;
        void this.kill(spawned);
        return;
      }
      for (const m of messages) spawned.onMessage(m);
    });
    // a write to a child that is gone (or closed its end) shows up as the exit that follows
    channel.on('error', () => undefined);
    proc.on('error', () => undefined);
    void closed.then((exit) => {
      spawned.exited = true;
      spawned.onClose(exit);
    });

    const ready = await new Promise<ReadyMessage | string>((resolve) => {
      const timer = setTimeout(() => resolve(`${LOAD_FAILURE} (no answer within ${this.options.startTimeoutMs} ms)`), this.options.startTimeoutMs);
      spawned.onMessage = (m) => {
        if (isObject(m) && m.type === 'ready' && m.nonce === nonce) {
          clearTimeout(timer);
          resolve(readyMessage(m, Object.keys(this.bundle.modules).filter((file) => this.bundle.modules[file].ok)));
        }
      };
      spawned.onClose = (exit) => {
        clearTimeout(timer);
        const how = spawned.misuse ? `it wrote to the grader's private channel (fd 3): ${spawned.misuse}` : exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
        resolve(`${LOAD_FAILURE} (${how})`);
      };
      const init: InitMessage = { type: 'init', nonce };
      writeFrame(channel, encodeFrame(init));
    });
    this.spawning = undefined;
    if (typeof ready === 'string') {
      await this.kill(spawned);
      return ready;
    }
    spawned.onMessage = () => undefined;
    spawned.onClose = () => undefined;
    this.loadStatus = ready.modules;
    return Object.assign(spawned, { ready });
  }

  /** SIGKILLs a child (by default the current one) and waits until it is gone. */
  private async kill(child: Spawned | undefined = this.child): Promise<void> {
    if (this.child === child) this.child = undefined;
    if (!child || child.exited) return;
    child.process.kill('SIGKILL');
    await child.closed;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** A progress or result message for exactly this call (one the submission writes to fd 3 without the id and nonce never matches). */
function isReply(m: unknown, id: string, nonce: string): m is ResultMessage | { type: 'progress'; value: Encoded } {
  return isObject(m) && m.id === id && m.nonce === nonce && (m.type === 'result' || m.type === 'progress');
}

/** What the parent believes of a ready message (student code can rewrite it): the status and export names of built modules only, texts cut. */
function readyMessage(m: Record<string, unknown>, built: string[]): ReadyMessage {
  const claimed = isObject(m.modules) ? m.modules : {};
  const lists = isObject(m.exports) ? m.exports : {};
  const modules: Record<string, ModuleStatus> = {};
  const exports: Record<string, string[]> = {};
  for (const file of built) {
    const status = claimed[file];
    if (isObject(status)) modules[file] = status.ok === true ? { ok: true } : { ok: false, error: typeof status.error === 'string' ? clip(status.error) : `${file} fails while loading` };
    const names = lists[file];
    if (Array.isArray(names)) exports[file] = names.filter((name): name is string => typeof name === 'string');
  }
  return { type: 'ready', nonce: String(m.nonce), modules, exports };
}

/** The module to call `fn` in: its home module when it has one (and that module exports it), else the first module that exports it. */
function moduleOf(ready: ReadyMessage, fn: string): string | undefined {
  const home = homeModule(fn);
  if (home) return ready.exports[home]?.includes(fn) ? home : undefined;
  return Object.keys(ready.exports).find((file) => ready.exports[file].includes(fn));
}

/** A thrown error as the child described it, believing only strings, cut to MAX_TEXT. */
function thrownError(e: unknown): ThrownError {
  const text = (v: unknown) => (typeof v === 'string' ? clip(v) : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined);
  const error = isObject(e) ? e : {};
  const location = text(error.location);
  return { name: text(error.name) ?? 'Error', message: text(error.message) ?? '', ...(location ? { location } : {}) };
}
