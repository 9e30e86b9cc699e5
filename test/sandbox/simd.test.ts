import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleSubmission, removeBundle, type BundleResult } from '../../grader/sandbox/bundle.js';
import { SubmissionRunner } from '../../grader/sandbox/runner.js';
import { simdDense, WASM_MIN_WORK } from '../../starter/provided/kernel/dot.js';
import { MODULE_FILES, removeDir, writeSubmission } from './fake-submission.js';

let dir: string;
let bundle: BundleResult;
let runner: SubmissionRunner;

beforeAll(async () => {
  dir = await writeSubmission({
    'layers.ts': "import { simdDense, WASM_MIN_WORK } from './provided/kernel/dot.js';\nexport function kernelInUse(): boolean { return simdDense(WASM_MIN_WORK); }\n",
  });
  bundle = await bundleSubmission(dir, MODULE_FILES);
  runner = await SubmissionRunner.start(bundle);
});
afterAll(async () => {
  await runner?.close();
  await removeBundle(bundle);
  await removeDir(dir);
});

describe('the SIMD matmul kernel inside the sandbox', () => {
  it('runs in the child under its address-space limit whenever it runs in the grader itself', async () => {
    const outcome = await runner.call('kernelInUse', []);
    expect(outcome.kind).toBe('ok');
    expect(outcome.kind === 'ok' && outcome.value).toBe(simdDense(WASM_MIN_WORK));
  });
});
