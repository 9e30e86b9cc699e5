/**
 * The mutation runner end to end on a hand-instrumented reference: the mutant
 * named by the runner reaches the sandboxed child (whose environment is empty)
 * and only that mutant changes what the submission computes.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFERENCE_DIR } from '../../instructor/starter.js';
import { gradeMutant } from '../../instructor/mutation/grader-test-runner.js';
import { STRYKER_NAMESPACE } from './stryker-header.js';

/** Stryker 9's header and mutant switch, as it writes them at the top of an instrumented module. */
const HEADER = `// @ts-nocheck
${STRYKER_NAMESPACE}stryNS_9fa48();
function stryMutAct_9fa48(id) {
  var ns = stryNS_9fa48();
  function isActive(id) {
    return ns.activeMutant === id;
  }
  stryMutAct_9fa48 = isActive;
  return isActive(id);
}
`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'instrumented-'));
  await cp(REFERENCE_DIR, dir, { recursive: true });
  const layers = path.join(dir, 'layers.ts');
  const source = await readFile(layers, 'utf8');
  // mutant "1": softmaxCrossEntropy's gradient not divided by N
  const mutated = source.replace('p.data[i] /= N;', 'if (!stryMutAct_9fa48("1")) p.data[i] /= N;');
  expect(mutated).not.toBe(source);
  await writeFile(layers, HEADER + mutated);
});
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

describe('gradeMutant', () => {
  it('passes every unit case with no mutant active (the dry run)', async () => {
    const cases = await gradeMutant(dir, '');
    expect(cases.length).toBeGreaterThan(80);
    expect(cases.filter((c) => !c.passed)).toEqual([]);
  });

  it('kills the active mutant: the child runs it although its environment is empty', async () => {
    const lost = (await gradeMutant(dir, '1')).filter((c) => !c.passed).map((c) => c.id);
    expect(lost.some((id) => id.startsWith('softmax/softmaxCrossEntropy/1/'))).toBe(true);
    expect(lost.every((id) => /softmaxCrossEntropy|mlpLoss|trainMLP/.test(id))).toBe(true);
  });

  it('lets another mutant id leave the module as it is', async () => {
    expect((await gradeMutant(dir, '2')).every((c) => c.passed)).toBe(true);
  });
});
