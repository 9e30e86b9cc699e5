/**
 * The OS layers around the child, as one command line: a memory cap
 * (`prlimit --data`), its own network namespace (`unshare --net`), then an
 * unprivileged uid of its own job slot with a parent-death signal
 * (`setpriv`). The order matters: `unshare` needs root, so it runs before the
 * uid drop, and the kernel clears the parent-death signal on a uid change, so
 * setpriv sets it after the drop. Each tool execs the next in the same
 * process, so the child's pid and parent stay the grader's.
 */
import { accessSync, constants } from 'node:fs';
import { chmod, chown, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { memoryCapArgs } from './memory-limit.js';

/**
 * Where the OS tools are looked up, in order. Fixed locations, never PATH: the
 * grading environment cannot swap a tool for one that fails and so turn a
 * layer off (only the programmatic API's test-only `toolDirs` can).
 */
export const SYSTEM_TOOL_DIRS = ['/usr/bin', '/bin', '/usr/sbin', '/sbin', '/usr/local/bin'];

export type OsTool = 'prlimit' | 'setpriv' | 'unshare';

/** The first executable `name` in `dirs`, or undefined. */
export function findTool(name: OsTool, dirs: readonly string[] = SYSTEM_TOOL_DIRS): string | undefined {
  for (const dir of dirs) {
    const file = path.join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here: try the next directory
    }
  }
  return undefined;
}

/** The first uid (and gid) of the job slots: slot N runs its children as uid and gid SLOT_UID_BASE + N, ids no account uses. */
export const SLOT_UID_BASE = 64100;
/** How many job slots have a uid of their own. */
export const MAX_SLOTS = 100;

/** The uid (and gid) of job slot `slot`; throws for a slot outside 0..MAX_SLOTS-1. */
export function slotUid(slot: number): number {
  if (!Number.isInteger(slot) || slot < 0 || slot >= MAX_SLOTS) throw new RangeError(`job slot ${slot} is outside 0..${MAX_SLOTS - 1}: grade at most ${MAX_SLOTS} submissions at once`);
  return SLOT_UID_BASE + slot;
}

/** Which OS layers a child starts under, with the tool that gives each; an empty jail is a plain `node`. */
export interface Jail {
  /** prlimit, for the memory cap. */
  prlimit?: string;
  /** unshare, for an empty network namespace. */
  unshare?: string;
  /** setpriv, for the uid drop and/or the parent-death signal. */
  setpriv?: string;
  /** The uid and gid the child runs as (needs setpriv and root). */
  uid?: number;
  /** Whether setpriv sets a parent-death signal (SIGKILL). */
  pdeathsig?: boolean;
}

/** The command and arguments that start `node args` inside the jail. */
export function jailCommand(jail: Jail, memoryMb: number, node: string, args: string[]): [string, string[]] {
  let command: [string, string[]] = [node, args];
  if (jail.setpriv && (jail.uid !== undefined || jail.pdeathsig)) {
    const ids = jail.uid === undefined ? [] : [`--reuid=${jail.uid}`, `--regid=${jail.uid}`, '--clear-groups'];
    command = [jail.setpriv, [...ids, ...(jail.pdeathsig ? ['--pdeathsig=SIGKILL'] : []), '--', ...command.flat()]];
  }
  if (jail.unshare) command = [jail.unshare, ['--net', '--', command[0], ...command[1]]];
  if (jail.prlimit) command = [jail.prlimit, memoryCapArgs(memoryMb, command[0], command[1])];
  return command;
}

/**
 * Lets the jail's uid read a bundle dir and nothing more: owner root, group the
 * slot's gid, no access for others (so a sibling slot cannot read it) and no
 * write for the group (so the child cannot change it). Nothing to do without a uid drop.
 */
export async function grantBundle(dir: string, jail: Jail): Promise<void> {
  if (jail.uid === undefined) return;
  const closed = await closedAncestor(dir);
  if (closed) throw new Error(`the bundle folder ${dir} is inside ${closed}, which the child's uid cannot enter: set TMPDIR to a folder every user can enter, such as /tmp`);
  const gid = jail.uid;
  const walk = async (entry: string): Promise<void> => {
    const info = await stat(entry);
    await chown(entry, 0, gid);
    await chmod(entry, info.isDirectory() ? 0o750 : 0o640);
    if (info.isDirectory()) for (const name of await readdir(entry)) await walk(path.join(entry, name));
  };
  await walk(dir);
}

/**
 * Why a user other than the owner (and not in its group) cannot run the Node
 * binary at `node`: a folder on its path without search permission for others
 * (e.g. Node under /root, mode 0700) or a binary others may not execute. Undefined when it can.
 */
export async function nodeAccessProblem(node: string): Promise<string | undefined> {
  const file = await realpath(node);
  const info = await stat(file);
  if ((info.mode & 0o001) === 0) return `${file} is not executable by other users (mode ${(info.mode & 0o777).toString(8)})`;
  const closed = await closedAncestor(file);
  return closed && `${file} is inside ${closed}, which other users cannot enter (mode ${((await stat(closed)).mode & 0o777).toString(8)})`;
}

/** The nearest folder above `file` that other users cannot enter (no search permission for others), or undefined. */
async function closedAncestor(file: string): Promise<string | undefined> {
  for (let dir = path.dirname(await realpath(file)); ; dir = path.dirname(dir)) {
    if (((await stat(dir)).mode & 0o001) === 0) return dir;
    if (dir === path.dirname(dir)) return undefined;
  }
}
