/**
 * bundleSubmission: the import policy, per-module build errors, and the small
 * helpers around the child (export scan, output cap, Node flags).
 */
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleSubmission, declaredExports, removeBundle, type BundleResult } from '../../grader/sandbox/bundle.js';
import { permissionFlag, sandboxFlags } from '../../grader/sandbox/node-flags.js';
import { OutputCap } from '../../grader/sandbox/output-cap.js';
import { ROOT } from '../../grader/root.js';
import { MODULE_FILES, removeDir, writeSubmission } from './fake-submission.js';

const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const f of cleanup.reverse()) await f();
});

async function bundleFiles(files: Record<string, string>, prepare?: (dir: string) => Promise<void>): Promise<BundleResult> {
  const dir = await writeSubmission(files);
  cleanup.push(() => removeDir(dir));
  await prepare?.(dir);
  const bundle = await bundleSubmission(dir, MODULE_FILES);
  cleanup.push(() => removeBundle(bundle));
  return bundle;
}

const POLICY = 'submissions may only import their own files and ./provided/*';

describe('bundleSubmission', () => {
  it('builds good modules into a fresh temp dir with the harness', async () => {
    const bundle = await bundleFiles({
      'activations.ts': "import { Matrix } from './provided/matrix.js';\nexport const one = () => Matrix.zeros(1, 1);\n",
      'layers.ts': "import { one } from './activations.js';\nexport function two() { return one(); }\n",
    });
    expect(path.basename(bundle.dir)).toMatch(/^grade-/);
    expect(existsSync(bundle.harness)).toBe(true);
    expect(bundle.modules['activations.ts']).toEqual({ ok: true });
    expect(bundle.modules['layers.ts']).toEqual({ ok: true });
    expect(bundle.modules['train.ts']).toEqual({ ok: false, error: 'missing file' });
    expect(Object.keys(bundle.modules)).toEqual(MODULE_FILES);
  });

  it('refuses imports outside the submission, one clear line per module', async () => {
    const use = '\nexport const used = [a].length;\n';
    const bundle = await bundleFiles({
      'activations.ts': `import a from 'fs';${use}`,
      'dropout.ts': `import * as a from 'node:child_process';${use}`,
      'init.ts': `import a from 'lodash';${use}`,
      'optim.ts': `import { a } from '../outside.js';${use}`,
      'regularization.ts': `import { a } from './provided/extra.js';${use}`,
      'train.ts': `import { a } from './nothere.js';${use}`,
      'gradcheck.ts': `const a = require('os');${use}`,
    }, async (dir) => { await symlink(path.join(ROOT, 'reference', 'layers.ts'), path.join(dir, 'layers.ts')); });
    expect(bundle.modules).toEqual({
      'activations.ts': { ok: false, error: `activations.ts imports 'fs': ${POLICY}` },
      'dropout.ts': { ok: false, error: `dropout.ts imports 'node:child_process': ${POLICY}` },
      'gradcheck.ts': { ok: false, error: `gradcheck.ts imports 'os': ${POLICY}` },
      'init.ts': { ok: false, error: `init.ts imports 'lodash': ${POLICY}` },
      'layers.ts': { ok: false, error: 'layers.ts is a link to a file outside the submission' },
      'network.ts': { ok: false, error: 'missing file' },
      'optim.ts': { ok: false, error: `optim.ts imports '../outside.js': ${POLICY}` },
      'regularization.ts': { ok: false, error: "regularization.ts imports './provided/extra.js': not one of the provided files" },
      'train.ts': { ok: false, error: "train.ts imports './nothere.js': no such file in the submission" },
    });
  });

  it('records a syntax error as file:line:col, breaks its importers and keeps the rest', async () => {
    const started = performance.now();
    const bundle = await bundleFiles({
      'activations.ts': 'export function fine() { return 1; }\n',
      'layers.ts': 'export function f(): number {\n  return 1 +;\n}\n',
      'network.ts': "import { f } from './layers.js';\nexport function g() { return f(); }\n",
    });
    expect(performance.now() - started).toBeLessThan(5000);
    expect(bundle.modules['activations.ts']).toEqual({ ok: true });
    expect(bundle.modules['layers.ts']).toEqual({ ok: false, error: 'layers.ts:2:13: Unexpected ";"' });
    expect(bundle.modules['network.ts']).toEqual({ ok: false, error: 'network.ts imports a module that does not build: layers.ts:2:13: Unexpected ";"' });
    expect(bundle.exportNames?.['layers.ts']).toEqual(['f']);
  });

  it('refuses an imported file that is not a regular file (a FIFO would hang the build)', async () => {
    const bundle = await bundleFiles({
      'activations.ts': 'export function fine() { return 1; }\n',
      'layers.ts': "import { h } from './helper.js';\nexport function f() { return h; }\n",
      'network.ts': "import { h } from './linked.js';\nexport function g() { return h; }\n",
    }, async (dir) => {
      await execa('mkfifo', [path.join(dir, 'helper.ts')]);
      await symlink(path.join(dir, 'helper.ts'), path.join(dir, 'linked.ts'));
    });
    expect(bundle.modules['activations.ts']).toEqual({ ok: true });
    expect(bundle.modules['layers.ts']).toEqual({ ok: false, error: "layers.ts imports './helper.js': helper.ts is not a regular file" });
    expect(bundle.modules['network.ts']).toEqual({ ok: false, error: "network.ts imports './linked.js': helper.ts is not a regular file" });
  }, 15_000);

  it('gives up on a build that takes longer than its time limit, with one line', async () => {
    const dir = await writeSubmission({ 'activations.ts': 'export function fine() { return 1; }\n' });
    const out = path.join(dir, 'out');
    cleanup.push(() => removeDir(dir));
    await expect(bundleSubmission(dir, MODULE_FILES, out, 1)).rejects.toThrow(/^building the submission took more than 0\.001 s/);
    // the abandoned build still finishes; waiting for it keeps it from writing after the clean-up
    for (let i = 0; i < 100 && !existsSync(path.join(out, 'harness.mjs')); i++) await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(path.join(out, 'harness.mjs'))).toBe(true);
  });
});

describe('declaredExports', () => {
  it('finds exported functions, constants, classes and export lists, but not types', () => {
    const source = `export function a() {}
export async function b() {}
export const c = 1, ignored = 2;
export class D {}
export interface E {}
export type F = number;
function g() {}
export { g, g as h, type F as I };
export function broken( {`;
    expect(declaredExports(source).sort()).toEqual(['D', 'a', 'b', 'broken', 'c', 'g', 'h']);
  });
});

describe('OutputCap', () => {
  it('keeps everything under the limit', () => {
    const cap = new OutputCap(100);
    cap.add(Buffer.from('hello '));
    cap.add(Buffer.from('world'));
    expect(cap.take()).toBe('hello world');
    expect(cap.take()).toBe('');
  });

  it('keeps the start and the end and says how much was cut', () => {
    const cap = new OutputCap(20);
    for (let i = 0; i < 10; i++) cap.add(Buffer.from(String(i).repeat(10)));
    expect(cap.peekEnd(5)).toBe('99999');
    expect(cap.take()).toBe('0000000000\n[... 80 bytes cut]\n9999999999');
  });
});

describe('node flags', () => {
  it('picks the permission flag by Node version', () => {
    expect(permissionFlag('20.20.2')).toBe('--experimental-permission');
    expect(permissionFlag('22.12.0')).toBe('--experimental-permission');
    expect(permissionFlag('22.13.0')).toBe('--permission');
    expect(permissionFlag('23.4.0')).toBe('--experimental-permission');
    expect(permissionFlag('24.1.0')).toBe('--permission');
  });

  it('allows reading the bundle dir only and sets the heap limit', () => {
    const flags = sandboxFlags('/tmp/grade-x', 512, '20.20.2');
    expect(flags).toContain('--allow-fs-read=/tmp/grade-x');
    expect(flags).toContain('--max-old-space-size=512');
    expect(flags.filter((f) => f.startsWith('--allow-'))).toEqual(['--allow-fs-read=/tmp/grade-x']);
  });
});
