/** The lock-file pruning of the release on a small made-up lock: what stays, what goes, and npm's dev/optional flags. */
import { describe, expect, it } from 'vitest';
import { pruneLockfile, type Lockfile } from '../release/lockfile.js';

const lock: Lockfile = {
  name: 'project', version: '1.0.0', lockfileVersion: 3, requires: true,
  packages: {
    '': { name: 'project', version: '1.0.0', dependencies: { app: '^1', tool: '^1' }, devDependencies: { tester: '^1', checker: '^1' } },
    'node_modules/app': { version: '1.0.0', dependencies: { shared: '^1' }, optionalDependencies: { native: '^1' } },
    'node_modules/shared': { version: '1.0.0' },
    'node_modules/native': { version: '1.0.0', optional: true },
    'node_modules/tool': { version: '1.0.0', dependencies: { 'tool-only': '^1' } },
    'node_modules/tool-only': { version: '1.0.0' },
    'node_modules/tester': { version: '1.0.0', dev: true, dependencies: { shared: '^1', nested: '^2' } },
    'node_modules/tester/node_modules/nested': { version: '2.0.0', dev: true },
    'node_modules/nested': { version: '1.0.0', dev: true },
    'node_modules/checker': { version: '1.0.0', dev: true, dependencies: { native: '^1' } },
  },
};

describe('pruneLockfile', () => {
  const pruned = pruneLockfile(lock, { name: 'release', version: '1.0.0', dependencies: { app: '^1' }, devDependencies: { checker: '^1' } });

  it('keeps what the release\'s dependencies reach, nested copies resolved the way Node resolves them', () => {
    expect(Object.keys(pruned.packages).sort()).toEqual(['', 'node_modules/app', 'node_modules/checker', 'node_modules/native', 'node_modules/shared']);
    expect(pruned.packages['']).toEqual({ name: 'release', version: '1.0.0', dependencies: { app: '^1' }, devDependencies: { checker: '^1' } });
    const withTester = pruneLockfile(lock, { name: 'r', version: '1', dependencies: {}, devDependencies: { tester: '^1' } });
    expect(Object.keys(withTester.packages)).toContain('node_modules/tester/node_modules/nested');
    expect(Object.keys(withTester.packages)).not.toContain('node_modules/nested');
  });

  it('recomputes the flags: optional only through optional edges, devOptional when needed by a dev tool or optionally', () => {
    expect(pruned.packages['node_modules/shared']).toEqual({ version: '1.0.0' });
    expect(pruned.packages['node_modules/checker']).toEqual({ version: '1.0.0', dev: true, dependencies: { native: '^1' } });
    // optional for the runtime, required by a dev tool: npm's devOptional
    expect(pruned.packages['node_modules/native']).toEqual({ version: '1.0.0', devOptional: true });
  });

  it('refuses a dependency the lock does not have, in one line', () => {
    expect(() => pruneLockfile(lock, { name: 'r', version: '1', dependencies: { missing: '^1' }, devDependencies: {} }))
      .toThrow(/^package-lock.json has no entry for missing: run npm install in the project first$/);
  });
});
