/**
 * The matmul part of `npm run bench`: the kernel's own ceiling (its best rate on
 * packed operands that fit in L1, no packing or copying, over a few shapes) and the rate of
 * matmul() on every product of an MNIST training step, measured in turns so
 * that a busy machine slows both alike.
 */
import { Matrix, matmul } from '../starter/provided/matrix.js';
import { blockLength } from '../starter/provided/kernel/dot.js';
import { DOT_WASM_BASE64 } from '../starter/provided/kernel/dot-wasm.js';
import type { Random } from '../starter/provided/random.js';

/** One product of a 784-500-10 training step with batch 200, and the share of the ceiling it should reach. */
export interface Shape { name: string; n: number; k: number; m: number; transA: boolean; transB: boolean; target?: number }

/** The products of one step: "large" ones should reach 85% of the ceiling, small-output ones 60% (issue 12). */
export const MNIST_SHAPES: Shape[] = [
  { name: 'forward 200x784 * 784x500', n: 200, k: 784, m: 500, transA: false, transB: false, target: 0.85 },
  { name: 'dW (200x784)^T * 200x500', n: 784, k: 200, m: 500, transA: true, transB: false, target: 0.85 },
  { name: 'dX 200x500 * (784x500)^T', n: 200, k: 500, m: 784, transA: false, transB: true, target: 0.85 },
  { name: 'forward 200x500 * 500x10', n: 200, k: 500, m: 10, transA: false, transB: false, target: 0.6 },
  { name: 'dW (200x500)^T * 200x10', n: 500, k: 200, m: 10, transA: true, transB: false, target: 0.6 },
  { name: 'dX 200x10 * (500x10)^T', n: 200, k: 10, m: 500, transA: false, transB: true },
];

/** The ceiling's best rate, and per shape its best rate and its median share of the ceiling. */
export interface KernelFigures { ceiling: number; shapes: { shape: Shape; gflops: number; share: number }[] }

interface Timed { flops: number; run: () => void; best: number }

/** GFLOP/s of one turn of about 20 ms of the job (its best so far is kept). */
function turn(job: Timed): number {
  const t = performance.now();
  let reps = 0;
  do {
    job.run();
    reps++;
  } while (performance.now() - t < 20);
  const rate = (job.flops * reps) / (performance.now() - t) / 1e6;
  job.best = Math.max(job.best, rate);
  return rate;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Operand shapes [n, k, m] whose packed panels fit in L1 together (24 KiB or less): the ceiling is the fastest of them. */
const L1_SHAPES = [[16, 96, 16], [8, 192, 8], [4, 256, 4]] as const;

/** A fresh instance of the kernel with random n x k and k x m operands already packed in its memory. */
function ceilingJob(rng: Random, n: number, k: number, m: number): Timed {
  const bytes = Uint8Array.from(atob(DOT_WASM_BASE64), (c) => c.charCodeAt(0));
  const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports;
  const memory = exports.memory as WebAssembly.Memory;
  const kernel = exports.matmul as (Ap: number, Bp: number, C: number, np: number, k: number, mp: number, kc: number, m: number) => void;
  const heap = new Float64Array(memory.buffer);
  for (let i = 0; i < (n + m) * k; i++) heap[i] = rng.normal();
  return { flops: 2 * n * k * m, run: () => kernel(0, n * k * 8, (n + m) * k * 8, n / 4, k, m / 4, blockLength(k), m), best: 0 };
}

function randomMatrix(rng: Random, rows: number, cols: number): Matrix {
  const m = new Matrix(rows, cols);
  for (let i = 0; i < m.data.length; i++) m.data[i] = rng.normal();
  return m;
}

/**
 * The ceiling and every MNIST shape through matmul(). Each turn of a shape comes
 * right after a turn of the ceiling, and its share is the median over `rounds`
 * of those side-by-side ratios: on a busy machine two neighbouring turns see
 * the same load far more often than the best turns of each do.
 */
export function measureKernel(rng: Random, rounds: number): KernelFigures {
  const candidates = L1_SHAPES.map(([n, k, m]) => ceilingJob(rng, n, k, m));
  for (const c of candidates) for (let r = 0; r < 3; r++) turn(c);
  const ceiling = candidates.reduce((a, b) => (b.best > a.best ? b : a));
  const shapes = MNIST_SHAPES.map((shape) => {
    const { n, k, m, transA, transB } = shape;
    const a = transA ? randomMatrix(rng, k, n) : randomMatrix(rng, n, k);
    const b = transB ? randomMatrix(rng, m, k) : randomMatrix(rng, k, m);
    const job: Timed = { flops: 2 * n * k * m, run: () => void matmul(a, b, transA, transB), best: 0 };
    job.run(); // warm-up
    return { shape, job, shares: [] as number[] };
  });
  for (let r = 0; r < rounds; r++) {
    for (const s of shapes) {
      const top = turn(ceiling);
      s.shares.push(turn(s.job) / top);
    }
  }
  return { ceiling: ceiling.best, shapes: shapes.map((s) => ({ shape: s.shape, gflops: s.job.best, share: median(s.shares) })) };
}
