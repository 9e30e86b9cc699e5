/**
 * The command line of the OS layers (order matters: unshare needs root so it
 * runs before the uid drop; the parent-death signal is set after it) and the
 * memory cap per Node major.
 */
import { describe, expect, it } from 'vitest';
import { jailCommand, slotUid } from '../../grader/sandbox/jail.js';
import { strictProblem, type LayerState } from '../../grader/sandbox/layers.js';
import { dataLimitBytes } from '../../grader/sandbox/memory-limit.js';

const MB = 1024 ** 2;

describe('jailCommand', () => {
  it('nests prlimit, unshare, then setpriv (uid drop, then pdeathsig) around node, in one process', () => {
    const [command, args] = jailCommand({ prlimit: '/usr/bin/prlimit', unshare: '/usr/bin/unshare', setpriv: '/usr/bin/setpriv', uid: 64101, pdeathsig: true }, 512, '/usr/bin/node', ['--permission', 'harness.mjs']);
    expect([command, ...args]).toEqual([
      '/usr/bin/prlimit', `--data=${dataLimitBytes(512)}`, '--',
      '/usr/bin/unshare', '--net', '--',
      '/usr/bin/setpriv', '--reuid=64101', '--regid=64101', '--clear-groups', '--pdeathsig=SIGKILL', '--',
      '/usr/bin/node', '--permission', 'harness.mjs',
    ]);
  });

  it('without layers is plain node; pdeathsig alone needs no uid change', () => {
    expect(jailCommand({}, 512, 'node', ['h.mjs'])).toEqual(['node', ['h.mjs']]);
    expect(jailCommand({ setpriv: '/usr/bin/setpriv', pdeathsig: true }, 512, 'node', ['h.mjs'])).toEqual(['/usr/bin/setpriv', ['--pdeathsig=SIGKILL', '--', 'node', 'h.mjs']]);
  });

  it('gives each job slot its own uid and refuses slots it has none for', () => {
    expect([slotUid(0), slotUid(1), slotUid(99)]).toEqual([64100, 64101, 64199]);
    expect(() => slotUid(100)).toThrow(/grade at most 100 submissions at once/);
    expect(() => slotUid(-1)).toThrow(RangeError);
  });
});

describe('memory cap per Node major', () => {
  it('is twice the heap plus what Node holds at start (Node 24 about 0.5 GiB more)', () => {
    expect(dataLimitBytes(512, '20.20.2')).toBe((1024 + 256) * MB);
    expect(dataLimitBytes(512, '22.23.3')).toBe((1024 + 256) * MB);
    expect(dataLimitBytes(512, '24.21.0')).toBe((1024 + 768) * MB);
    expect(dataLimitBytes(512, '26.0.0')).toBe((1024 + 768) * MB);
  });
});

describe('strictProblem', () => {
  const layer = (id: LayerState['id'], active: boolean): LayerState => ({ id, active, detail: active ? 'ok' : 'seen missing' });
  const all = (missing: LayerState['id'][]) => (['child-lockdown', 'sigusr1-guard', 'uid-drop', 'pdeathsig', 'memory-cap', 'network-namespace'] as const).map((id) => layer(id, !missing.includes(id)));

  it('lets a platform without a network namespace grade', () => {
    expect(strictProblem(all(['network-namespace']))).toBeUndefined();
  });

  it('names every missing required layer and what to do, on one line', () => {
    const problem = strictProblem(all(['uid-drop', 'memory-cap']));
    expect(problem).toBe("strict mode refuses to grade untrusted code: uid per job slot is missing (seen missing): run the grader as root with util-linux's setpriv, and Node where every user can run it; memory cap is missing (seen missing): install util-linux's prlimit (Linux only)");
  });
});
