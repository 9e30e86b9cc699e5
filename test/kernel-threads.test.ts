import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Matrix, matmul } from '../starter/provided/matrix.js';
import { Random } from '../starter/provided/random.js';
import { chunkStarts, MAX_CHUNKS, startKernelThread, THREAD_MIN_WORK, type KernelThread } from '../cli/kernel-threads.js';

function randomMatrix(rng: Random, rows: number, cols: number, zeros = 0): Matrix {
  const m = new Matrix(rows, cols);
  for (let i = 0; i < m.data.length; i++) m.data[i] = rng.uniform() < zeros ? 0 : rng.normal();
  return m;
}

const sameBits = (a: Float64Array, b: Float64Array) => a.length === b.length && a.every((x, i) => Object.is(x, b[i]));
const FLAGS = [[false, false], [true, false], [false, true], [true, true]] as const;

describe('the kernel on two threads', () => {
  let thread: KernelThread | undefined;
  beforeAll(async () => {
    thread = startKernelThread();
    expect(await thread?.ready).toBe(true);
  });
  afterAll(async () => {
    await thread?.stop();
  });

  it('gives the bits of one thread on every shape and transpose flag, above and below the threshold, however its row panels split into chunks (37 rows: 10 panels)', async () => {
    expect(thread).toBeDefined();
    const rng = new Random('threads');
    const shapes: [number, number, number][] = [[200, 784, 500], [61, 517, 70], [203, 130, 90], [9, 300, 1000], [5, 7, 3], [784, 200, 10], [1001, 300, 10], [37, 2000, 30]];
    expect(shapes.filter(([n, k, m]) => n * k * m >= THREAD_MIN_WORK).length).toBeGreaterThan(3);
    const cases = shapes.flatMap(([n, k, m], s) => FLAGS.map(([transA, transB]) => {
      const a = transA ? randomMatrix(rng, k, n, s % 2 ? 0.8 : 0) : randomMatrix(rng, n, k, s % 2 ? 0.8 : 0);
      const b = transB ? randomMatrix(rng, m, k) : randomMatrix(rng, k, m);
      return { a, b, transA, transB, two: matmul(a, b, transA, transB).data };
    }));
    expect(thread!.chunks.worker).toBeGreaterThan(0); // the worker did compute some of them
    await thread!.stop();
    thread = undefined;
    for (const { a, b, transA, transB, two } of cases) {
      const one = matmul(a, b, transA, transB).data;
      if (!sameBits(one, two)) throw new Error(`${a.shape} by ${b.shape} (transA ${transA}, transB ${transB}): two threads differ from one`);
    }
  });
});

describe('switching a running second thread off and on', () => {
  it('runs the products after use(false) on one thread and those after use(true) on two, with the same bits', async () => {
    const thread = startKernelThread();
    expect(await thread?.ready).toBe(true);
    try {
      const rng = new Random('switch');
      const a = randomMatrix(rng, 200, 784, 0.6), b = randomMatrix(rng, 784, 500);
      const two = matmul(a, b).data;
      const after = thread!.chunks.worker + thread!.chunks.caller;
      expect(after).toBeGreaterThan(0);
      thread!.use(false);
      const one = matmul(a, b).data;
      expect(thread!.chunks.worker + thread!.chunks.caller).toBe(after); // no chunk: the single-threaded kernel ran it
      thread!.use(true);
      const again = matmul(a, b).data;
      expect(thread!.chunks.worker + thread!.chunks.caller).toBeGreaterThan(after);
      expect(sameBits(one, two) && sameBits(again, two)).toBe(true);
    } finally {
      await thread?.stop();
    }
  });
});

describe('the chunks of a split product', () => {
  it('cover the row panels once, in order, shrinking from a quarter of them to at least 1/MAX_CHUNKS, never more than MAX_CHUNKS', () => {
    expect(chunkStarts(100)).toEqual([0, 25, 44, 58, 69, 77, 83, 88, 92, 96, 100]);
    for (const np of [1, 2, 3, 7, 50, 100, 392, 1000, 5000]) {
      const starts = chunkStarts(np);
      expect(starts[0]).toBe(0);
      expect(starts.at(-1)).toBe(np);
      expect(starts.length - 1).toBeLessThanOrEqual(MAX_CHUNKS);
      const sizes = starts.slice(1).map((s, i) => s - starts[i]);
      expect(sizes.every((size) => size >= 1)).toBe(true);
      // never growing, except for a last chunk cut short by the end
      expect(sizes.slice(0, -1).every((size, i) => i === 0 || size <= sizes[i - 1])).toBe(true);
    }
  });
});
