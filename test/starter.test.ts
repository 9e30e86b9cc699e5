import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { STUDENT_MODULES } from '../grader/modules.js';
import { referenceModules, renderModule, staleStarterModules, STARTER_DIR, writeFromReference } from '../instructor/starter.js';
import { loadExports } from '../instructor/fixtures/evaluate.js';

describe('starter kit generated from the reference', () => {
  it('is up to date with reference/ (run npm run starter after editing the reference)', async () => {
    expect(await staleStarterModules()).toEqual([]);
  });

  it('grades exactly the modules of reference/', async () => {
    expect([...STUDENT_MODULES].sort()).toEqual(await referenceModules());
  });

  it('turns a solution block into a stub that names its function', () => {
    const source = [
      "import { Matrix } from '../starter/provided/matrix.js';",
      'export function f(x: Matrix): Matrix {',
      '  // BEGIN SOLUTION',
      '  return x;',
      '  // END SOLUTION',
      '}',
      '',
    ].join('\n');
    const stub = renderModule(source, 'stub');
    expect(stub).toContain("throw new NotImplementedError('f');");
    expect(stub).toContain("from './provided/matrix.js'");
    expect(stub).not.toContain('return x;');
    expect(renderModule(source, 'solution')).toContain('return x;');
    expect(renderModule(source, 'solution')).not.toContain('SOLUTION');
  });

  it('refuses unbalanced markers', () => {
    expect(() => renderModule('function f() {\n  // BEGIN SOLUTION\n  return 1;\n}\n', 'stub', 'x.ts')).toThrow(/x.ts: 1 "BEGIN SOLUTION" markers but 0/);
  });

  it('exports the same functions in the starter and in the reference, and every stub throws NotImplementedError', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'starter-test-'));
    try {
      await writeFromReference(dir, 'stub');
      const stubs = await loadExports(dir);
      const solution = await loadExports(path.join(process.cwd(), 'reference'));
      expect(Object.keys(stubs).sort()).toEqual(Object.keys(solution).sort());
      for (const [name, f] of Object.entries(stubs)) {
        expect(f.length, `${name} takes the same number of parameters`).toBe(solution[name].length);
      }
      expect(() => stubs.sigmoidForward()).toThrow(/sigmoidForward is not implemented yet/);
      expect(() => stubs.trainMLP()).toThrow(expect.objectContaining({ name: 'NotImplementedError', functionName: 'trainMLP' }));
      const text = await readFile(path.join(STARTER_DIR, 'layers.ts'), 'utf8');
      expect(text).toContain('YOUR CODE HERE');
      expect(text).toMatch(/Inputs: .*N x D/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
