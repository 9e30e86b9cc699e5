/**
 * The escape of issue 8: a submission calls process._debugProcess on the
 * grader's pid (SIGUSR1 opens the grader's inspector on 127.0.0.1:9229) and
 * then drives that inspector. Layer 1 (the child's lockdown) must refuse the
 * signal, every other way to debug or inspect a process must stay refused,
 * and the grader must end up with no inspector listening.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import inspector from 'node:inspector';
import { describe, expect, it } from 'vitest';
import { startedSubmission } from '../sandbox/fake-submission.js';

const ACTIVATIONS = `const builtin = (process as any).getBuiltinModule;

/** What calling f did: 'answered' or the error code it threw. */
function attempt(f: () => unknown): string {
  try {
    f();
    return 'answered';
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  }
}

/** Whether something answers a TCP connection on 127.0.0.1:port within 1 s. */
function knock(port: number): Promise<string> {
  const net = builtin('node:net');
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const timer = setTimeout(() => { socket.destroy(); resolve('no answer'); }, 1000);
    socket.on('connect', () => { clearTimeout(timer); socket.destroy(); resolve('connected'); });
    socket.on('error', (e: { code?: string }) => { clearTimeout(timer); resolve(e.code ?? 'error'); });
  });
}

export async function escape(): Promise<Record<string, string>> {
  const debug = attempt(() => (process as any)._debugProcess(process.ppid));
  // the grader's inspector needs a moment to start listening after SIGUSR1
  await new Promise((r) => setTimeout(r, 500));
  return { debug, inspector: await knock(9229) };
}

export function otherRoutes(): Record<string, string> {
  const p = process as any;
  return {
    debugEnd: attempt(() => p._debugEnd(process.ppid)),
    kill: attempt(() => process.kill(process.ppid, 'SIGUSR1')),
    rawKill: attempt(() => p._kill(process.ppid, 10)),
    binding: attempt(() => p.binding('process_methods')),
    inspectorOpen: attempt(() => builtin('node:inspector').open(0)),
    inspectorSession: attempt(() => new (builtin('inspector').Session)().connect()),
    worker: attempt(() => new (builtin('node:worker_threads').Worker)('process._debugProcess(process.ppid)', { eval: true })),
    childProcess: attempt(() => builtin('child_process').spawnSync('kill', ['-USR1', String(process.ppid)])),
    tracing: attempt(() => builtin('node:trace_events').createTracing({ categories: ['node'] }).enable()),
    setuid: attempt(() => process.setuid!(65534)),
    setgroups: attempt(() => process.setgroups!([65534])),
    loaderHooks: attempt(() => builtin('module').register('data:text/javascript,', import.meta.url)),
    wasiPreopen: attempt(() => new (builtin('wasi').WASI)({ version: 'preview1', preopens: { '/host': '/' } })),
  };
}

/** The lock holds whichever way the process object and its functions are reached. */
export async function restore(): Promise<Record<string, string>> {
  const p = process as any;
  const own = Object.getOwnPropertyDescriptor(p, '_debugProcess');
  const redefine = attempt(() => Object.defineProperty(p, '_debugProcess', { value: () => 'restored' }));
  const deleted = attempt(() => { if (!delete p._debugProcess) throw Object.assign(new Error(), { code: 'not deleted' }); });
  const viaBuiltin = attempt(() => builtin('node:process')._debugProcess(process.ppid));
  return { redefine, deleted, viaBuiltin, writable: String(own?.writable), configurable: String(own?.configurable) };
}
`;

const sub = startedSubmission({ 'activations.ts': ACTIVATIONS });

/** Inodes of the TCP sockets listening on `port` on this machine (/proc/net/tcp and tcp6, state 0A). */
function listeners(port: number): string[] {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  return ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((file) => readFileSync(file, 'utf8').split('\n').slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => f.length > 9 && f[1].endsWith(`:${hex}`) && f[3] === '0A')
    .map((f) => f[9]));
}

/** Whether this process (the grader) holds a socket listening on `port`: other processes on a shared machine may listen there too. */
function graderListens(port: number): boolean {
  const inodes = new Set(listeners(port));
  return readdirSync('/proc/self/fd').some((fd) => {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`));
      return m !== null && inodes.has(m[1]);
    } catch {
      return false;
    }
  });
}

describe('process._debugProcess on the grader', () => {
  it('is refused, and the grader opens no inspector', async () => {
    const outcome = await sub.runner.call('escape', [], { timeoutMs: 5000 });
    expect(outcome).toMatchObject({ kind: 'ok', value: { debug: 'ERR_ACCESS_DENIED' } });
    const value = (outcome as unknown as { value: { inspector: string } }).value;
    if (listeners(9229).length === 0) expect(value.inspector).not.toBe('connected');
    expect(inspector.url()).toBeUndefined();
    expect(graderListens(9229)).toBe(false);
  });

  it('every other way to signal, debug or inspect a process is refused', async () => {
    const outcome = await sub.runner.call('otherRoutes', [], { timeoutMs: 5000 });
    expect(outcome).toMatchObject({
      kind: 'ok',
      value: {
        debugEnd: 'ERR_ACCESS_DENIED', kill: 'ERR_ACCESS_DENIED', rawKill: 'ERR_ACCESS_DENIED', binding: 'ERR_ACCESS_DENIED',
        inspectorOpen: 'ERR_ACCESS_DENIED', inspectorSession: 'ERR_ACCESS_DENIED', worker: 'ERR_ACCESS_DENIED',
        childProcess: 'ERR_ACCESS_DENIED', tracing: 'ERR_ACCESS_DENIED', loaderHooks: 'ERR_ACCESS_DENIED', wasiPreopen: 'ERR_ACCESS_DENIED',
        setuid: 'ERR_ACCESS_DENIED', setgroups: 'ERR_ACCESS_DENIED',
      },
    });
    expect(inspector.url()).toBeUndefined();
  });

  it('cannot be put back: the refusal is neither writable nor configurable', async () => {
    const outcome = await sub.runner.call('restore', [], { timeoutMs: 5000 });
    expect(outcome).toMatchObject({ kind: 'ok', value: { writable: 'false', configurable: 'false', viaBuiltin: 'ERR_ACCESS_DENIED' } });
    const value = (outcome as unknown as { value: Record<string, string> }).value;
    expect(value.redefine).not.toBe('answered');
    expect(value.deleted).not.toBe('answered');
  });
});
