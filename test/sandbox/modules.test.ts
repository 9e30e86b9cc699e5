/**
 * FUNCTION_MODULES, the home module of every graded function, against what
 * the reference solution really exports.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FUNCTION_MODULES, STUDENT_MODULES } from '../../grader/modules.js';
import { ROOT } from '../../grader/root.js';

describe('FUNCTION_MODULES', () => {
  it('names, for every function reference/*.ts exports, the module that exports it', async () => {
    const actual: Record<string, string> = {};
    for (const file of STUDENT_MODULES) {
      const namespace = await import(pathToFileURL(path.join(ROOT, 'reference', file)).href) as Record<string, unknown>;
      for (const [name, value] of Object.entries(namespace)) {
        if (typeof value !== 'function') continue;
        expect(actual[name], `${name} is exported by two modules`).toBeUndefined();
        actual[name] = file;
      }
    }
    expect(Object.keys(actual).length).toBeGreaterThan(30);
    expect({ ...FUNCTION_MODULES }).toEqual(actual);
  });
});
