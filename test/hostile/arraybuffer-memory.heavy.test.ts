/**
 * A submission that allocates ArrayBuffers (outside the V8 heap) beyond the
 * memory cap, in one piece and piece by piece: the call fails with the
 * out-of-memory message, and the next call works. Runs on the Node that runs
 * the tests (CI runs it on 20, 22 and 24; Node 24 starts ~0.5 GiB higher, see
 * memory-limit.ts). The cap is low (memoryMb 512: about 1.3 GiB in all on
 * Node 20 and 22, 1.8 GiB on Node 24), so the test stays under ~2 GiB.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { bundleSubmission, removeBundle } from '../../grader/sandbox/bundle.js';
import { probeIsolation, slotJail } from '../../grader/sandbox/layers.js';
import { dataLimitBytes } from '../../grader/sandbox/memory-limit.js';
import { SubmissionRunner } from '../../grader/sandbox/runner.js';
import { removeDir, writeSubmission } from '../sandbox/fake-submission.js';
import { osLayers } from './os-layer.js';

const isolation = await probeIsolation();
const layer = osLayers('memory-cap');
const MEMORY_MB = 512;

const SUBMISSION = `
const kept: Float64Array[] = [];
export function oneBuffer(bytes: number): number {
  return new Float64Array(bytes / 8).fill(1).length;
}
export function manyBuffers(total: number): number {
  const chunk = 64 * 1024 * 1024;
  for (let got = 0; got < total; got += chunk) kept.push(new Float64Array(chunk / 8).fill(1));
  return kept.length;
}
export function release(): number {
  kept.length = 0;
  return 0;
}
export function small(n: number): number {
  return new Float64Array(n).fill(1).length;
}
`;

const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const f of cleanup.reverse()) await f();
});

describe('ArrayBuffer memory', () => {
  it.skipIf(layer.skip)(`allocations past the cap (memoryMb ${MEMORY_MB}) fail with the out-of-memory message, one buffer or many, and the next call works${layer.note}`, async () => {
    layer.check();
    const cap = dataLimitBytes(MEMORY_MB);
    const dir = await writeSubmission({ 'activations.ts': SUBMISSION });
    const bundle = await bundleSubmission(dir, ['activations.ts']);
    cleanup.push(() => removeDir(dir), () => removeBundle(bundle));
    const runner = await SubmissionRunner.start(bundle, { memoryMb: MEMORY_MB, jail: slotJail(isolation, 0) });
    cleanup.push(() => runner.close());

    for (const [fn, bytes] of [['oneBuffer', 2 * cap], ['oneBuffer', 16 * 1024 ** 3], ['manyBuffers', 2 * cap]] as const) {
      const outcome = await runner.call(fn, [bytes], { timeoutMs: 30_000 });
      expect(outcome.kind, `${fn}(${bytes}): ${JSON.stringify(outcome)}`).not.toBe('ok');
      expect(JSON.stringify(outcome)).toMatch(/out of memory/);
      await runner.call('release', []);
    }
    expect(await runner.call('small', [1e6])).toMatchObject({ kind: 'ok', value: 1e6 });
    // what the cap is for: a data set and its copies still fit (in a fresh child: the old one may not have collected the released buffers yet)
    const fresh = await SubmissionRunner.start(bundle, { memoryMb: MEMORY_MB, jail: slotJail(isolation, 0) });
    cleanup.push(() => fresh.close());
    expect(await fresh.call('oneBuffer', [MEMORY_MB * 1024 ** 2])).toMatchObject({ kind: 'ok', value: (MEMORY_MB * 1024 ** 2) / 8 });
  });
});
