/**
 * The numpy side of `npm run bench -- --compare-numpy`: runs
 * scripts/numpy-epoch.py in python3, numpy pinned to one thread, so the bench
 * can print the ratio of the reference to numpy measured in the same run.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT } from '../grader/root.js';

const SCRIPT = path.join(ROOT, 'scripts', 'numpy-epoch.py');

/**
 * The environment of the numpy command: one BLAS thread, and OPENBLAS_CORETYPE
 * and OPENBLAS_L2_SIZE unset together (set on some machines for old OpenBLAS
 * builds, they slow a current numpy), in this command alone.
 */
function numpyEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return env;
}

/** Why numpy cannot be compared here (no python3, no numpy), or undefined when it can. */
export function numpyMissing(): string | undefined {
  const probe = spawnSync('python3', ['-c', 'import numpy; print(numpy.__version__)'], { encoding: 'utf8', env: numpyEnv() });
  if (probe.error) return 'python3 is not installed';
  if (probe.status !== 0) return 'python3 has no numpy (pip install numpy)';
  return undefined;
}

/** Runs scripts/numpy-epoch.py with these arguments and returns the JSON it prints. */
export function runNumpy<T>(args: string[]): T {
  const run = spawnSync('python3', [SCRIPT, ...args], { encoding: 'utf8', env: numpyEnv(), maxBuffer: 1 << 20 });
  if (run.error || run.status !== 0) {
    throw new Error(`numpy-epoch.py ${args[0]} failed: ${(run.stderr || run.error?.message || '').trim().split('\n').pop()}`, { cause: run.error });
  }
  return JSON.parse(run.stdout) as T;
}
