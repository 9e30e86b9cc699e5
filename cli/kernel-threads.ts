/**
 * A second thread for the matmul kernel in the parent-side commands (`npm run
 * train` of the reference, and bench; never in the grader's sandbox child, which
 * keeps one thread, nor in tune, which times its trials on the one-thread clock
 * the grader limits).
 * Both threads run the same WebAssembly kernel over one shared memory: the
 * calling thread copies the operands in, then the row panels of the product are cut
 * into chunks (chunkStarts) that both threads take one at a time until none is left, so
 * a thread the machine leaves waiting does less of the work instead of holding
 * up the other. Each output row is computed whole by one thread, in the same
 * order as with one thread, so the bits are the same.
 */
import { Worker } from 'node:worker_threads';
import { kernelOf, useKernel } from '../starter/provided/kernel/dot.js';
import { DOT_WASM_SHARED_BASE64 } from '../starter/provided/kernel/dot-wasm.js';

/** Below this many multiply-adds a product stays on one thread: waking the other costs more than it saves. */
export const THREAD_MIN_WORK = 2_000_000;

/** The most chunks a product is cut into. */
export const MAX_CHUNKS = 32;

/**
 * Where the chunks of a product of np row panels begin, then np: each chunk takes a
 * quarter of the panels still left, and at least 1 / MAX_CHUNKS of them all, so the first
 * chunks are long (each chunk is a pass of all of B) and the last ones short (a thread that
 * finishes early waits little for the other's last chunk).
 * 100 panels: 25, 19, 14, 11, 8, 6, 5, 4, 4, 4.
 */
export function chunkStarts(np: number): number[] {
  const starts = [0];
  for (let at = 0; at < np;) {
    at = Math.min(np, at + Math.max(Math.ceil(np / MAX_CHUNKS), Math.ceil((np - at) / 4)));
    starts.push(at);
  }
  return starts;
}

/**
 * Slots of the control array: the job number, which product (0 "matmul", 1
 * "sparseRows"), its arguments (eleven at most), the chunk counter (the job number times
 * 256 plus the next chunk to take, or -1 between jobs, so a worker that wakes
 * late cannot take a chunk of another job), how many chunks the job has, how many
 * are finished, then where each chunk begins (chunkStarts).
 */
const JOB = 0, KIND = 1, ARGS = 2, NEXT = 13, COUNT = 14, FINISHED = 15, STARTS = 16;

/**
 * The arguments of a job's chunk of row panels first to end. matmul: their packed rows
 * (4 a panel) and rows of C. sparseRows: their rows of A as given (2 a panel), room for
 * their packed panels and lists of kept columns, and rows of C. Runs in both threads
 * (its source is the worker's too).
 */
function chunkArgs(kind: number, args: ArrayLike<number>, first: number, end: number): number[] {
  const a = Array.from(args);
  if (kind === 0) {
    const [Ap, Bp, C, , k, mp, kc, m] = a;
    return [Ap + first * k * 32, Bp, C + first * m * 32, end - first, k, mp, kc, m];
  }
  const [src, ld, trans, Ap, idx, Bp, C, n, k, mp, m] = a;
  const r0 = 2 * first;
  return [src + (trans ? r0 : r0 * ld) * 8, ld, trans, Ap + first * k * 16, idx + first * (k + 1) * 4, Bp, C + r0 * m * 8, Math.min(n, 2 * end) - r0, k, mp, m];
}

/**
 * Takes the next chunk of job `job` (its index), or -1 when none is left or the
 * job is over; `at` and `count` are the slots NEXT and COUNT (passed, not named,
 * because its source is the worker's too).
 */
function takeChunk(control: Int32Array, job: number, at: number, count: number): number {
  for (;;) {
    const next = Atomics.load(control, at);
    if (next < 0 || next >>> 8 !== job || (next & 255) >= control[count]) return -1;
    if (Atomics.compareExchange(control, at, next, next + 1) === next) return next & 255;
  }
}

/** The worker: the kernel over the shared memory; for each new job number, it takes chunks until none is left. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { module, memory, control } = workerData;
const { matmul, sparseRows } = new WebAssembly.Instance(module, { env: { memory } }).exports;
const kinds = [matmul, sparseRows];
const chunkArgs = ${chunkArgs.toString()};
const takeChunk = ${takeChunk.toString()};
parentPort.postMessage('ready');
let job = 0;
for (;;) {
  Atomics.wait(control, ${JOB}, job);
  job = Atomics.load(control, ${JOB});
  if (job < 0) break;
  const kind = control[${KIND}], args = control.slice(${ARGS}, ${NEXT});
  for (let c = takeChunk(control, job, ${NEXT}, ${COUNT}); c >= 0; c = takeChunk(control, job, ${NEXT}, ${COUNT})) {
    kinds[kind](...chunkArgs(kind, args, control[${STARTS} + c], control[${STARTS} + c + 1]));
    Atomics.add(control, ${FINISHED}, 1);
    Atomics.notify(control, ${FINISHED});
  }
}
`;

/**
 * The running second thread: how many chunks of split products the worker and
 * the calling thread ran; stop() ends it and puts the single-threaded kernel back.
 */
export interface KernelThread {
  chunks: { worker: number; caller: number };
  /** Resolves true once the worker waits for jobs, false if it could not start (the caller then does all the work). */
  ready: Promise<boolean>;
  /** Two threads (true, as started) or the single-threaded kernel (false) for the products that follow; the worker stays, waiting. */
  use: (two: boolean) => void;
  stop: () => Promise<void>;
}

/** The shared-memory kernel, compiled once per process: a thread started again reuses its optimised code. */
let sharedModule: WebAssembly.Module | undefined;

/**
 * Starts the second thread and makes matmul use it. Undefined (and nothing
 * changed) where shared WebAssembly memory or worker threads are unavailable.
 */
export function startKernelThread(): KernelThread | undefined {
  let memory: WebAssembly.Memory, module: WebAssembly.Module, main: WebAssembly.Exports;
  try {
    memory = new WebAssembly.Memory({ initial: 1, maximum: 32768, shared: true });
    module = sharedModule ??= new WebAssembly.Module(Uint8Array.from(atob(DOT_WASM_SHARED_BASE64), (c) => c.charCodeAt(0)));
    main = new WebAssembly.Instance(module, { env: { memory } }).exports;
  } catch {
    return undefined; // no shared memory here: one thread does it all
  }
  const control = new Int32Array(new SharedArrayBuffer(4 * (STARTS + MAX_CHUNKS + 1)));
  control[NEXT] = -1;
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module, memory, control } });
  worker.unref(); // a command ends when its work does, whatever the worker waits for
  const ready = new Promise<boolean>((resolve) => {
    worker.once('message', () => resolve(true));
    worker.once('error', () => resolve(false));
    worker.once('exit', () => resolve(false));
  });
  const kernel = kernelOf(main, memory);
  const kinds = [kernel.matmul, kernel.sparseRows] as ((...args: number[]) => void)[];
  let job = 0;
  const chunks = { worker: 0, caller: 0 };
  /** Runs a product in chunks on both threads; returns once every chunk is finished. */
  const split = (kind: number, args: number[], np: number) => {
    const starts = chunkStarts(np), count = starts.length - 1;
    job = (job + 1) & 0x7fffff || 1;
    control[KIND] = kind;
    control.set(args, ARGS);
    control.set(starts, STARTS);
    control[COUNT] = count;
    control[FINISHED] = 0;
    Atomics.store(control, NEXT, job * 256);
    Atomics.store(control, JOB, job);
    Atomics.notify(control, JOB);
    let mine = 0;
    for (let c = takeChunk(control, job, NEXT, COUNT); c >= 0; c = takeChunk(control, job, NEXT, COUNT), mine++) kinds[kind](...chunkArgs(kind, args, starts[c], starts[c + 1]));
    Atomics.add(control, FINISHED, mine);
    // the worker's chunk in progress, if any
    for (let done = Atomics.load(control, FINISHED); done < count; done = Atomics.load(control, FINISHED)) Atomics.wait(control, FINISHED, done);
    Atomics.store(control, NEXT, -1); // closed: a worker that wakes only now takes nothing
    chunks.caller += mine;
    chunks.worker += count - mine;
  };
  const small = (rows: number, k: number, m: number) => rows < 8 || rows * k * m < THREAD_MIN_WORK;
  const threaded: typeof kernel = {
    ...kernel,
    matmul: (Ap, Bp, C, np, k, mp, kc, m) => {
      if (small(4 * np, k, m)) return kernel.matmul(Ap, Bp, C, np, k, mp, kc, m);
      split(0, [Ap, Bp, C, np, k, mp, kc, m], np);
    },
    sparseRows: (src, ld, trans, Ap, idx, Bp, C, n, k, mp, m) => {
      if (small(n, k, m)) return kernel.sparseRows(src, ld, trans, Ap, idx, Bp, C, n, k, mp, m);
      split(1, [src, ld, trans, Ap, idx, Bp, C, n, k, mp, m], Math.ceil(n / 2));
    },
  };
  useKernel(threaded);
  return {
    chunks,
    ready,
    use: (two) => useKernel(two ? threaded : undefined),
    stop: async () => {
      useKernel(undefined);
      Atomics.store(control, JOB, -1);
      Atomics.notify(control, JOB);
      await worker.terminate();
    },
  };
}
