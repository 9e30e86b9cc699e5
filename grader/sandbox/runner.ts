/**
 * Runs a bundled submission in a locked-down child process and calls its
 * functions one at a time. The parent keeps the expected values; the child
 * only ever receives inputs. A call that hangs or kills the child is answered
 * as such and the next call gets a fresh child.
 */
import { execa, type ResultPromise } from 'execa';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Encoded } from '../codec.js';
import type { BundleResult, ModuleStatus } from './bundle.js';
import { sandboxFlags } from './node-flags.js';
import { OutputCap } from './output-cap.js';
import type { CallMessage, InitMessage, ReadyMessage, ResultMessage } from './protocol.js';

export type CallOutcome =
  | { kind: 'ok'; value: Encoded; timeMs: number }
  | { kind: 'threw'; name: string; message: string; location?: string; notImplemented: boolean; timeMs: number }
  | { kind: 'timeout'; timeMs: number }
  | { kind: 'crashed'; message: string; timeMs: number }
  | { kind: 'compile_error'; message: string }
  | { kind: 'missing'; message: string };

export interface RunnerOptions {
  /** Heap limit of the child (--max-old-space-size), default 4096. */
  memoryMb?: number;
  /** How long loading the modules may take before the child counts as hanging, default 5000 ms. */
  startTimeoutMs?: number;
}

export interface CallOptions {
  /** Default 10 s; the child is killed when it runs out. */
  timeoutMs?: number;
  /** Receives what the submission passes to a `$type: 'progress'` callback (its history, encoded). */
  onProgress?: (p: Encoded) => void;
}

/** After this many loads in a row that exit or hang, calls stop starting children. */
const MAX_LOAD_FAILURES = 3;
const LOAD_FAILURE = 'the submission exits/hangs while loading its modules';

interface Exit { code: number | null; signal: NodeJS.Signals | null }

/** A started child process. */
interface Spawned {
  process: ResultPromise;
  /** Resolves once the child has exited and its output streams are drained. */
  closed: Promise<Exit>;
  exited: boolean;
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

  private constructor(private readonly bundle: BundleResult, private readonly options: Required<RunnerOptions>) {}

  /** Starts the child and waits for it to load the modules; a submission that cannot load still gives a runner (its calls answer `crashed`). */
  static async start(bundle: BundleResult, options: RunnerOptions = {}): Promise<SubmissionRunner> {
    const runner = new SubmissionRunner(bundle, { memoryMb: 4096, startTimeoutMs: 5000, ...options });
    await runner.liveChild();
    return runner;
  }

  /** Calls an exported function of the submission; calls queue, one at a time. */
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
    await this.kill();
  }

  private async run(fn: string, args: Encoded[], options: CallOptions): Promise<CallOutcome> {
    if (this.closing) return { kind: 'crashed', message: `the grader closed the runner before ${fn} ran`, timeMs: 0 };
    const child = await this.liveChild();
    if (!child) return { kind: 'crashed', message: this.closing ? `the grader closed the runner before ${fn} ran` : this.lastLoadFailure, timeMs: 0 };
    if (!(fn in child.ready.functions)) return this.unavailable(fn);
    return this.send(child, fn, args, options);
  }

  private send(child: Child, fn: string, args: Encoded[], { timeoutMs = 10_000, onProgress }: CallOptions): Promise<CallOutcome> {
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
        child.onMessage = () => undefined;
        child.onClose = () => undefined;
        if (verdict instanceof Error) reject(verdict);
        else resolve(verdict);
      };
      const end = (v: CallOutcome | Error) => {
        verdict ??= v;
        void this.kill(child);
      };
      const timer = setTimeout(() => end({ kind: 'timeout', timeMs: elapsed() }), timeoutMs);
      child.onClose = (exit) => {
        verdict ??= { kind: 'crashed', message: this.crashMessage(exit, fn), timeMs: elapsed() };
        finish();
      };
      child.onMessage = (m) => {
        if (!isReply(m, id, nonce) || verdict) return;
        if (m.type === 'progress') {
          try {
            onProgress?.(m.value);
          } catch (cause) {
            end(new Error(`onProgress threw during ${fn}`, { cause }));
          }
          return;
        }
        const timeMs = elapsed();
        verdict = m.ok
          ? { kind: 'ok', value: m.value, timeMs }
          : { kind: 'threw', ...m.error, notImplemented: m.error.name === 'NotImplementedError', timeMs };
        // lets output printed just before the result reach the cap before the caller takes it
        setImmediate(finish);
      };
      const message: CallMessage = { type: 'call', id, nonce, fn, args };
      try {
        child.process.send(message);
      } catch (cause) {
        const gone = child.exited || (cause as { code?: unknown }).code === 'ERR_IPC_CHANNEL_CLOSED';
        if (gone) end({ kind: 'crashed', message: `the child process could not be reached during ${fn}`, timeMs: elapsed() });
        else end(new Error(`SubmissionRunner: the arguments of ${fn} cannot be sent to the child`, { cause }));
      }
    });
  }

  /** Why `fn` cannot be called: its module did not build or load (by the names it declares), or nobody exports it. */
  private unavailable(fn: string): CallOutcome {
    const status = this.moduleStatus();
    for (const [file, names] of Object.entries(this.bundle.exportNames ?? {})) {
      const s = status[file];
      if (s && !s.ok && names.includes(fn)) return { kind: 'compile_error', message: s.error };
    }
    const broken = Object.entries(status).filter(([, s]) => !s.ok).map(([f]) => f);
    const note = broken.length > 0 ? ` (not built or loaded: ${broken.join(', ')})` : '';
    return { kind: 'missing', message: `no module of the submission exports ${fn}${note}` };
  }

  private crashMessage(exit: Exit, fn: string): string {
    if (this.closing) return `the grader closed the runner during ${fn}`;
    const recent = this.output.peekEnd();
    if (/heap out of memory|Reached heap limit/.test(recent)) return `the submission ran out of memory (limit ${this.options.memoryMb} MB) during ${fn}`;
    const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
    return `the child process ${how} during ${fn} (process.exit, an uncaught error in a callback, or a crash)`;
  }

  /** The running child, starting one if needed; undefined once loading has failed too often. */
  private async liveChild(): Promise<Child | undefined> {
    if (this.child && !this.child.exited) return this.child;
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
    // Plain execa on process.execPath, not execaNode: its `node` mode puts the parent's PATH into the env.
    const proc = execa(process.execPath, [...sandboxFlags(this.bundle.dir, this.options.memoryMb), this.bundle.harness], {
      ipc: true,
      serialization: 'advanced',
      cwd: this.bundle.dir,
      extendEnv: false,
      env: {},
      stdin: 'ignore',
      buffer: false,
      reject: false,
      // on the grader's exit execa kills the child with killSignal: SIGKILL, which a submission cannot ignore
      cleanup: true,
      killSignal: 'SIGKILL',
    });
    proc.stdout?.on('data', (chunk: Buffer) => this.output.add(chunk));
    proc.stderr?.on('data', (chunk: Buffer) => this.output.add(chunk));
    const closed = new Promise<Exit>((resolve) => proc.once('close', (code, signal) => resolve({ code, signal })));
    const spawned: Spawned = { process: proc, closed, exited: false, onMessage: () => undefined, onClose: () => undefined };
    proc.on('message', (m) => spawned.onMessage(m));
    proc.on('error', () => undefined); // a failed send shows up as the exit that follows
    void closed.then((exit) => {
      spawned.exited = true;
      spawned.onClose(exit);
    });

    const ready = await new Promise<ReadyMessage | string>((resolve) => {
      const timer = setTimeout(() => resolve(`${LOAD_FAILURE} (no answer within ${this.options.startTimeoutMs} ms)`), this.options.startTimeoutMs);
      spawned.onMessage = (m) => {
        if (isObject(m) && m.type === 'ready' && m.nonce === nonce) {
          clearTimeout(timer);
          resolve(m as unknown as ReadyMessage);
        }
      };
      spawned.onClose = (exit) => {
        clearTimeout(timer);
        resolve(`${LOAD_FAILURE} (${exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`})`);
      };
      const init: InitMessage = { type: 'init', nonce };
      try {
        proc.send(init);
      } catch {
        // the child is already gone: the close handler answers
      }
    });
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

/** A progress or result message for exactly this call (a submission's own process.send never matches). */
function isReply(m: unknown, id: string, nonce: string): m is ResultMessage | { type: 'progress'; value: Encoded } {
  return isObject(m) && m.id === id && m.nonce === nonce && (m.type === 'result' || m.type === 'progress');
}
