/**
 * os.setPriority on the grader's pid (renicing it to starve it, or to probe
 * which pids exist through getPriority) is refused in the child, whichever
 * way os is reached: process.getBuiltinModule with or without 'node:',
 * require through createRequire, or a dynamic import's named export.
 * The child's own priority stays its own to change.
 */
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { startedSubmission } from '../sandbox/fake-submission.js';

const ACTIVATIONS = `const builtin = (process as any).getBuiltinModule;

function attempt(f: () => unknown): string {
  try {
    const value = f();
    return value === undefined ? 'answered' : \`answered \${String(value)}\`;
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  }
}

export async function renice(): Promise<Record<string, string>> {
  const req = builtin('module').createRequire(import.meta.url);
  const imported = await import(['node', 'os'].join(':'));
  const ppid = process.ppid;
  return {
    builtin: attempt(() => builtin('os').setPriority(ppid, 19)),
    prefixed: attempt(() => builtin('node:os').setPriority(ppid, 19)),
    required: attempt(() => req('os').setPriority(ppid, 19)),
    named: attempt(() => imported.setPriority(ppid, 19)),
    defaultExport: attempt(() => imported.default.setPriority(ppid, 19)),
    constants: attempt(() => builtin('os').setPriority(ppid, builtin('os').constants.priority.PRIORITY_LOW)),
    probe: attempt(() => builtin('os').getPriority(ppid)),
    own: attempt(() => builtin('os').setPriority(0, 1)),
    ownByPid: attempt(() => builtin('os').setPriority(process.pid, 2)),
    ownRead: attempt(() => builtin('os').getPriority()),
  };
}
`;

const sub = startedSubmission({ 'activations.ts': ACTIVATIONS });

describe('os.setPriority from the child', () => {
  it('is refused on the grader pid by every route, and the grader keeps its priority', async () => {
    const before = os.getPriority();
    const outcome = await sub.runner.call('renice', [], { timeoutMs: 5000 });
    expect(outcome).toMatchObject({
      kind: 'ok',
      value: {
        builtin: 'ERR_ACCESS_DENIED', prefixed: 'ERR_ACCESS_DENIED', required: 'ERR_ACCESS_DENIED', named: 'ERR_ACCESS_DENIED',
        defaultExport: 'ERR_ACCESS_DENIED', constants: 'ERR_ACCESS_DENIED', probe: 'ERR_ACCESS_DENIED',
        own: 'answered', ownByPid: 'answered', ownRead: 'answered 2',
      },
    });
    expect(os.getPriority()).toBe(before);
  });
});
