/**
 * A second thread for the matmul kernel in the parent-side commands (train,
 * tune, bench; never in the grader's sandbox child, which keeps one thread).
 * Both threads run the same WebAssembly kernel over one shared memory: the
 * calling thread packs the operands, then each thread computes whole panels of
 * 4 output rows, so every output is summed in the same order as with one
 * thread and the bits are the same.
 */
import { Worker } from 'node:worker_threads';
import { kernelOf, useKernel } from '../starter/provided/kernel/dot.js';
import { DOT_WASM_SHARED_BASE64 } from '../starter/provided/kernel/dot-wasm.js';

/** Below this many multiply-adds a product stays on one thread: waking the other costs more than it saves. */
export const THREAD_MIN_WORK = 2_000_000;

/**
 * Slots of the control array: the job number, which product (0 "matmul", 1
 * "matmulSparse"), its eight arguments, who has the second half of the job
 * (-job: nobody yet, +job: the worker, 0: the calling thread), and the job the
 * worker finished last.
 */
const JOB = 0, KIND = 1, ARGS = 2, CLAIM = 10, DONE = 11;

/**
 * The worker: the kernel over the shared memory; for each new job number, it
 * takes the job's second half unless the calling thread already has (a worker
 * that wakes late then skips it), runs it, and reports it done.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { module, memory, control } = workerData;
const { matmul, matmulSparse } = new WebAssembly.Instance(module, { env: { memory } }).exports;
const kinds = [matmul, matmulSparse];
parentPort.postMessage('ready');
let job = 0;
for (;;) {
  Atomics.wait(control, ${JOB}, job);
  job = Atomics.load(control, ${JOB});
  if (job < 0) break;
  const kind = kinds[control[${KIND}]];
  const args = control.slice(${ARGS}, ${ARGS + 8});
  if (Atomics.compareExchange(control, ${CLAIM}, -job, job) !== -job) continue;
  kind(...args);
  Atomics.store(control, ${DONE}, job);
  Atomics.notify(control, ${DONE});
}
`;

/**
 * The running second thread: how many split products had their second half run
 * by the worker and how many by the calling thread (the worker was not awake in
 * time); stop() ends it and puts the single-threaded kernel back.
 */
export interface KernelThread {
  halves: { worker: number; caller: number };
  /** Resolves true once the worker waits for jobs, false if it could not start (the caller then does all the work). */
  ready: Promise<boolean>;
  stop: () => Promise<void>;
}

/**
 * Starts the second thread and makes matmul use it. Undefined (and nothing
 * changed) where shared WebAssembly memory or worker threads are unavailable.
 */
export function startKernelThread(): KernelThread | undefined {
  let memory: WebAssembly.Memory, module: WebAssembly.Module, main: WebAssembly.Exports;
  try {
    memory = new WebAssembly.Memory({ initial: 1, maximum: 32768, shared: true });
    module = new WebAssembly.Module(Uint8Array.from(atob(DOT_WASM_SHARED_BASE64), (c) => c.charCodeAt(0)));
    main = new WebAssembly.Instance(module, { env: { memory } }).exports;
  } catch {
    return undefined; // no shared memory here: one thread does it all
  }
  const control = new Int32Array(new SharedArrayBuffer(4 * (DONE + 1)));
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module, memory, control } });
  worker.unref(); // a command ends when its work does, whatever the worker waits for
  const ready = new Promise<boolean>((resolve) => {
    worker.once('message', () => resolve(true));
    worker.once('error', () => resolve(false));
    worker.once('exit', () => resolve(false));
  });
  const kernel = kernelOf(main, memory);
  let job = 0;
  const halves = { worker: 0, caller: 0 };
  /** Runs `second` on the worker (or here, if it is not awake in time) while this thread runs `first`. */
  const split = (kind: number, run: (...args: number[]) => void, first: number[], second: number[]) => {
    control[KIND] = kind;
    control.set(second, ARGS);
    job++;
    Atomics.store(control, CLAIM, -job);
    Atomics.store(control, JOB, job);
    Atomics.notify(control, JOB);
    run(...first);
    // a busy machine may not have woken the worker yet: then this thread does the second half too
    if (Atomics.compareExchange(control, CLAIM, -job, 0) === -job) {
      halves.caller++;
      return run(...second);
    }
    halves.worker++;
    for (let done = Atomics.load(control, DONE); done !== job; done = Atomics.load(control, DONE)) Atomics.wait(control, DONE, done);
  };
  const { matmul, matmulSparse } = kernel;
  const small = (np: number, k: number, mp: number) => np < 2 || np * 4 * k * mp * 4 < THREAD_MIN_WORK;
  // the worker takes the row panels from `half` on: their packed rows (and lists of kept columns) and their rows of C
  useKernel({
    ...kernel,
    matmul: (Ap, Bp, C, np, k, mp, kc, m) => {
      if (small(np, k, mp)) return matmul(Ap, Bp, C, np, k, mp, kc, m);
      const half = np >> 1;
      split(0, matmul as (...args: number[]) => void, [Ap, Bp, C, half, k, mp, kc, m], [Ap + half * k * 32, Bp, C + half * m * 32, np - half, k, mp, kc, m]);
    },
    matmulSparse: (Ap, idx, Bp, C, np, k, mp, m) => {
      if (small(np, k, mp)) return matmulSparse(Ap, idx, Bp, C, np, k, mp, m);
      const half = np >> 1;
      const second = [Ap + half * k * 32, idx + half * (k + 1) * 4, Bp, C + half * m * 32, np - half, k, mp, m];
      split(1, matmulSparse as (...args: number[]) => void, [Ap, idx, Bp, C, half, k, mp, m], second);
    },
  });
  return {
    halves,
    ready,
    stop: async () => {
      useKernel(undefined);
      Atomics.store(control, JOB, -1);
      Atomics.notify(control, JOB);
      await worker.terminate();
    },
  };
}
