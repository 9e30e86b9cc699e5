/**
 * The child runs on the grader's own Node (it is started with process.execPath), so the
 * sandbox tests exercise the permission flags of whichever Node runs vitest. CI runs them
 * on Node 20, 22 and 24 and sets EXPECT_NODE_VERSION, so a stage that silently fell back to
 * another Node fails here instead of passing on the wrong version.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleSubmission, removeBundle, type BundleResult } from '../../grader/sandbox/bundle.js';
import { SubmissionRunner } from '../../grader/sandbox/runner.js';
import { removeDir, writeSubmission } from './fake-submission.js';

let dir: string;
let bundle: BundleResult;
let runner: SubmissionRunner;

beforeAll(async () => {
  dir = await writeSubmission({
    'activations.ts': `export function nodeVersion(): string { return process.versions.node; }
export function permissionFlag(): string { return process.execArgv.find((a) => a.includes('permission')) ?? ''; }
`,
  });
  bundle = await bundleSubmission(dir, ['activations.ts']);
  runner = await SubmissionRunner.start(bundle);
});
afterAll(async () => {
  await runner?.close();
  await removeBundle(bundle);
  await removeDir(dir);
});

describe('the Node version under test', () => {
  it('the child runs on the same Node as the grader, and on the one CI asked for', async () => {
    const outcome = await runner.call('nodeVersion', []);
    expect(outcome).toMatchObject({ kind: 'ok', value: process.versions.node });
    const expected = process.env.EXPECT_NODE_VERSION;
    if (expected) expect(`v${process.versions.node}`).toBe(expected.startsWith('v') ? expected : `v${expected}`);
  });

  it('the child starts under the permission model and prints nothing of its own (no warnings in the student output)', async () => {
    runner.takeOutput();
    const outcome = await runner.call('permissionFlag', []);
    expect(outcome.kind).toBe('ok');
    expect(outcome.kind === 'ok' && outcome.value).toMatch(/^--(experimental-)?permission$/);
    expect(runner.takeOutput()).toBe('');
  });
});
