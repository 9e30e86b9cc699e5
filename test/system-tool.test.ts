import { describe, expect, it } from 'vitest';
import { systemTool } from './system-tool.js';

describe('systemTool', () => {
  it('outside CI, a missing tool skips its tests and says how to install it', () => {
    const tool = systemTool('xmllint', false, 'apt-get install -y libxml2-utils', false);
    expect(tool.skip).toBe(true);
    expect(tool.note).toBe(' (skipped: xmllint is not installed; apt-get install -y libxml2-utils)');
  });

  it('under CI, a missing tool runs its tests, which fail with the install command', () => {
    const tool = systemTool('xmllint', false, 'apt-get install -y libxml2-utils', true);
    expect(tool.skip).toBe(false);
    expect(tool.note).toBe('');
    expect(() => tool.check()).toThrow('xmllint is not installed, and CI=true does not skip the tests that need it: apt-get install -y libxml2-utils');
  });

  it('a tool that is there runs everywhere', () => {
    for (const inCi of [false, true]) {
      const tool = systemTool('xmllint', true, 'apt-get install -y libxml2-utils', inCi);
      expect([tool.skip, tool.note]).toEqual([false, '']);
      expect(() => tool.check()).not.toThrow();
    }
  });
});
