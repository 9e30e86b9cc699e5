/**
 * Layer 1 of the sandbox: what the child takes away from itself before any
 * student code runs, where Node's permission model leaves a gap. The model
 * refuses file access outside the bundle, child processes, workers, addons,
 * the inspector and process.binding; it does not cover signals, user ids,
 * process priorities, fs.realpathSync, or trace_events (whose file Node 20 writes
 * without asking the model). Each gap is replaced by a function that throws
 * ERR_ACCESS_DENIED, pinned (neither writable nor configurable) on the one
 * module object that `import`, `require` and `process.getBuiltinModule`
 * (with or without `node:`) all share, and the ESM named exports are synced.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import os from 'node:os';
import { resolve } from 'node:path';
import traceEvents from 'node:trace_events';
import { fileURLToPath } from 'node:url';

/**
 * Process methods that signal, debug or replace a process (`_debugProcess(pid)`
 * opens another Node's inspector with SIGUSR1), or change the child's user and
 * groups (as root, to another job slot's uid): graded code needs none of them.
 */
const PROCESS_METHODS = ['kill', '_kill', '_debugProcess', '_debugEnd', 'execve', 'setuid', 'seteuid', 'setgid', 'setegid', 'setgroups', 'initgroups'];

/** The error every refusal throws, shaped like the permission model's own. */
function denied(what: string): Error {
  return Object.assign(new Error(`${what} is not available while grading`), { code: 'ERR_ACCESS_DENIED' });
}

/** Replaces `target[name]` for good: a submission can neither reassign, redefine nor delete it. */
function pin(target: object, name: string, value: unknown): void {
  Object.defineProperty(target, name, { value, writable: false, configurable: false, enumerable: Object.prototype.propertyIsEnumerable.call(target, name) });
}

/** Takes away every gap listed above; call once, before loading the submission. */
export function lockDown(): void {
  const self = process.pid;
  for (const name of PROCESS_METHODS) {
    pin(process, name, () => { throw denied(`process.${name}`); });
  }

  // `call` and `apply` are taken now: student code may patch Function.prototype later
  const apply = Reflect.apply;
  const { setPriority, getPriority } = os;
  const own = (pid: unknown) => pid === undefined || pid === 0 || pid === self;
  pin(os, 'setPriority', function (this: unknown, ...args: unknown[]) {
    if (args.length >= 2 && !own(args[0])) throw denied('os.setPriority on another process');
    return apply(setPriority, os, args);
  });
  pin(os, 'getPriority', function (this: unknown, ...args: unknown[]) {
    if (!own(args[0])) throw denied('os.getPriority on another process');
    return apply(getPriority, os, args);
  });

  const permission = process.permission;
  const has = permission.has;
  const { realpathSync } = fs;
  const nativeRealpathSync = realpathSync.native;
  /** The path as one string, read once, refused unless the permission model lets the child read it. */
  const readable = (what: string, p: unknown): string => {
    const text = typeof p === 'string' ? p : Buffer.isBuffer(p) ? p.toString() : p instanceof URL ? fileURLToPath(p) : undefined;
    if (text === undefined) throw Object.assign(new TypeError(`${what}: the path must be a string, Buffer or file URL`), { code: 'ERR_INVALID_ARG_TYPE' });
    const absolute = resolve(text);
    if (!apply(has, permission, ['fs.read', absolute])) throw denied(`${what} outside the submission`);
    return absolute;
  };
  const checkedRealpathSync = Object.assign(
    (p: unknown, options?: unknown) => apply(realpathSync, fs, [readable('fs.realpathSync', p), options]) as unknown,
    { native: (p: unknown, options?: unknown) => apply(nativeRealpathSync, fs, [readable('fs.realpathSync.native', p), options]) as unknown },
  );
  pin(fs, 'realpathSync', checkedRealpathSync);

  pin(traceEvents, 'createTracing', () => { throw denied('trace_events.createTracing'); });
  // `import { setPriority } from 'node:os'` reads the ESM facade: bring it up to date
  syncBuiltinESMExports();
}
