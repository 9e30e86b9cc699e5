/** What the hostile tests read about the grader's processes from /proc: descendants, command lines, listening sockets. */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** The parent pid of `pid`, or undefined when it is gone. */
export function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/** The command line of `pid` with spaces between the arguments ('' when it is gone). */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

/** Every live descendant of `root`. */
export function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const ppid = parentOf(Number(entry));
    if (ppid !== undefined) children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  const found: number[] = [];
  const walk = (pid: number) => { for (const c of children.get(pid) ?? []) { found.push(c); walk(c); } };
  walk(root);
  return found;
}

/**
 * The grader process under `root`: the nearest ancestor of the sandbox child
 * (`harness.mjs`) whose command line names `cli/<command>.ts` (run from source) or
 * `run-command.mjs <command>` (the built command); undefined while
 * no child runs yet.
 */
export function graderPid(root: number, command: string): number | undefined {
  const child = descendants(root).find((pid) => commandLine(pid).includes('harness.mjs'));
  for (let pid = child; pid !== undefined && pid > 1; pid = parentOf(pid)) {
    const line = commandLine(pid);
    if (line.includes(`cli/${command}.ts`) || line.includes(`run-command.mjs ${command} `)) return pid;
  }
  return undefined;
}

/** Local TCP ports `pid` listens on (its own sockets only, IPv4 and IPv6). */
export function listeningPorts(pid: number): number[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]);
    } catch { /* closed meanwhile */ }
  }
  const ports: number[] = [];
  for (const table of ['tcp', 'tcp6']) {
    for (const line of readFileSync(`/proc/${pid}/net/${table}`, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length > 9 && cols[3] === '0A' && inodes.has(cols[9])) ports.push(parseInt(cols[1].split(':')[1], 16));
    }
  }
  return ports;
}
