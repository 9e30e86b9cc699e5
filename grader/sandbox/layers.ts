/**
 * The isolation layers, probed: the two code layers (the child's lockdown, the
 * grader's SIGUSR1 guard) always hold; the OS layers (uid drop, parent-death
 * signal, memory cap, network namespace) are each probed by starting a tiny
 * child under them and looking at what it got. Strict mode refuses to grade
 * when a required layer is missing; the JSON report records which were active.
 */
import { execa } from 'execa';
import { readlinkSync, readFileSync } from 'node:fs';
import { findTool, type Jail, MAX_SLOTS, nodeAccessProblem, SLOT_UID_BASE, slotUid, SYSTEM_TOOL_DIRS } from './jail.js';
import { dataLimitBytes } from './memory-limit.js';

export type LayerId = 'child-lockdown' | 'sigusr1-guard' | 'uid-drop' | 'pdeathsig' | 'memory-cap' | 'network-namespace';
/** The layers a probe can find missing; tests may also switch them off. */
export type OsLayerId = Exclude<LayerId, 'child-lockdown' | 'sigusr1-guard'>;

/** One layer as probed: whether it is active, and what was seen (or why it is missing). */
export interface LayerState { id: LayerId; active: boolean; detail: string }

/** What the JSON report records: the mode and each layer, in LAYERS order. */
export interface IsolationRecord { strict: boolean; layers: LayerState[] }

/** Switches for tests only: they exist in the programmatic API, never as a CLI flag or an environment variable. */
export interface SandboxTestOptions {
  /** Where to look for prlimit, setpriv and unshare instead of the fixed system folders. */
  toolDirs?: string[];
  /** OS layers to leave off as if the platform lacked them. */
  disable?: OsLayerId[];
}

/** Every layer, in table order: what it stops, how it is checked, where strict mode requires it. */
export const LAYERS: readonly { id: LayerId; title: string; stops: string; probe: string; required: string }[] = [
  { id: 'child-lockdown', title: 'child lockdown', stops: 'file reads outside the bundle, writes, processes, workers, addons, signalling other processes', probe: 'code (always on)', required: 'everywhere' },
  { id: 'sigusr1-guard', title: 'SIGUSR1 guard', stops: "opening the grader's inspector with a signal", probe: "the grader's own SIGUSR1 listener or --disable-sigusr1", required: 'everywhere' },
  { id: 'uid-drop', title: 'uid per job slot', stops: 'signalling or renicing the grader and sibling children, reading their bundles', probe: 'a child under setpriv reports its uid, gid and groups', required: 'everywhere' },
  { id: 'pdeathsig', title: 'parent-death signal', stops: 'a child outliving a grader killed with SIGKILL', probe: "a child's parent is SIGKILLed; the child must die", required: 'everywhere' },
  { id: 'memory-cap', title: 'memory cap', stops: 'ArrayBuffers (outside the V8 heap) filling the machine', probe: 'a child under prlimit --data fails to allocate past the cap', required: 'everywhere' },
  { id: 'network-namespace', title: 'network namespace', stops: 'TCP, UDP, unix (abstract) sockets and DNS', probe: 'a child under unshare --net sees a namespace of its own with only lo', required: 'where it can be created' },
];

/** Layers whose absence makes strict mode refuse (the network namespace is used where it can be created, recorded absent elsewhere). */
const STRICTLY_REQUIRED: readonly LayerId[] = ['child-lockdown', 'sigusr1-guard', 'uid-drop', 'pdeathsig', 'memory-cap'];

/** What to do when a layer is missing, for the refusal line. */
const REMEDY: Partial<Record<LayerId, string>> = {
  'sigusr1-guard': 'start the grader through bin/grade, bin/grade-batch or bin/autograder (a program calling grade() imports cli/inspector-guard.ts first)',
  'uid-drop': "run the grader as root with util-linux's setpriv, and Node where every user can run it",
  pdeathsig: "install util-linux's setpriv",
  'memory-cap': "install util-linux's prlimit (Linux only)",
  'network-namespace': 'give the container CAP_SYS_ADMIN or run it with its network off',
};

/** Thrown when strict mode refuses to grade (exit code 3): names the missing layers and what to do. */
export class SandboxRefusal extends Error {
  override name = 'SandboxRefusal';
}

/** The layers probed, and the jail that gives the child the active OS layers. */
export interface Isolation { layers: LayerState[]; jail: Omit<Jail, 'uid'>; uidDrop: boolean }

/** What the probe child prints about itself. */
interface ProbeReport { uid: number; gid: number; groups: number[]; net: string; interfaces: string[]; data: string; allocation: string }

const PROBE_SCRIPT = `
const fs = require('node:fs');
let allocation = 'none';
const size = Number(process.argv[1] || 0);
if (size > 0) { try { new ArrayBuffer(size); allocation = 'granted'; } catch (e) { allocation = e.name + ': ' + e.message; } }
console.log(JSON.stringify({
  uid: process.getuid(), gid: process.getgid(),
  groups: ((/^Groups:(.*)$/m.exec(fs.readFileSync('/proc/self/status', 'utf8')) || [])[1] || '').trim().split(/\\s+/).filter(Boolean).map(Number),
  net: fs.readlinkSync('/proc/self/ns/net'),
  interfaces: fs.readFileSync('/proc/self/net/dev', 'utf8').split('\\n').slice(2).map((l) => l.split(':')[0].trim()).filter(Boolean),
  data: (/Max data size\\s+(\\S+)/.exec(fs.readFileSync('/proc/self/limits', 'utf8')) || [])[1],
  allocation,
}));
if (process.argv[2] === 'wait') setInterval(() => undefined, 1000);
`;

/** Runs the probe child as `prefix node -e PROBE_SCRIPT args`; its report, or why it failed (one line). */
async function runProbe(prefix: string[], args: string[] = []): Promise<ProbeReport | string> {
  const [command, ...rest] = [...prefix, process.execPath, '-e', PROBE_SCRIPT, '--', ...args];
  const r = await execa(command, rest, { reject: false, extendEnv: false, env: {}, timeout: 10_000, stdin: 'ignore' });
  if (r.exitCode === 0) {
    try {
      return JSON.parse(r.stdout) as ProbeReport;
    } catch {
      return `the probe child printed no report (${r.stdout.slice(0, 200)})`;
    }
  }
  const why = r.stderr.trim().split('\n')[0] || (r.timedOut ? 'timed out' : `exit code ${String(r.exitCode ?? r.signal)}`);
  return `${command === process.execPath ? 'node' : command} failed: ${why}`;
}

/** Probes the uid drop: a child under setpriv as the slot uid must report exactly that uid, gid and no groups. */
async function probeUidDrop(setpriv: string | undefined): Promise<LayerState> {
  const id = 'uid-drop';
  if (!setpriv) return { id, active: false, detail: 'setpriv not found' };
  if (process.getuid?.() !== 0) return { id, active: false, detail: 'the grader does not run as root, so it cannot give the child another uid' };
  const problem = await nodeAccessProblem(process.execPath);
  if (problem) return { id, active: false, detail: `${problem}; the child's uid cannot run it` };
  const taken = accountInSlotRange();
  if (taken) return { id, active: false, detail: `uid ${taken.uid} of the job slots belongs to the account ${taken.name}` };
  const r = await runProbe([setpriv, ...uidArgs(), '--']);
  return typeof r === 'string' ? { id, active: false, detail: r } : uidDropVerdict(r);
}

/** The uid drop as a probe child's report shows it: exactly the slot's uid and gid, no groups. */
function uidDropVerdict(r: ProbeReport): LayerState {
  const id = 'uid-drop';
  const uid = slotUid(0);
  if (r.uid !== uid || r.gid !== uid || r.groups.length > 0) return { id, active: false, detail: `the child ran as uid ${r.uid}, gid ${r.gid}, groups [${r.groups.join(', ')}]` };
  return { id, active: true, detail: `uid and gid ${uid} + job slot, no supplementary groups` };
}

/** An account of /etc/passwd whose uid is one of the job slots' (their uids must be nobody's), or undefined. */
function accountInSlotRange(): { name: string; uid: number } | undefined {
  let passwd = '';
  try {
    passwd = readFileSync('/etc/passwd', 'utf8');
  } catch {
    return undefined;
  }
  for (const line of passwd.split('\n')) {
    const [name, , uid] = line.split(':');
    const n = Number(uid);
    if (uid && n >= SLOT_UID_BASE && n < SLOT_UID_BASE + MAX_SLOTS) return { name, uid: n };
  }
  return undefined;
}

/** What an orphan probe saw: whether the child reported, its printed lines (its pid, then its report), and whether it died with its parent. */
interface OrphanProbe { seen: boolean; lines: string[]; dead: boolean }

/**
 * Runs `prefix node -e PROBE_SCRIPT args wait` under /bin/sh, waits for the child's report (so it
 * runs with its final credentials), SIGKILLs the shell and looks whether the child dies with it.
 */
async function orphanProbe(prefix: string[], args: string[]): Promise<OrphanProbe> {
  // /bin/sh is the parent that dies; it prints the child's pid
  const shell = execa('/bin/sh', ['-c', '"$@" & echo $!; wait', 'sh', ...prefix, process.execPath, '-e', PROBE_SCRIPT, '--', ...args, 'wait'], {
    reject: false, extendEnv: false, env: {}, buffer: false, stdin: 'ignore', stderr: 'ignore',
  });
  const lines: string[] = [];
  const seen = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), 10_000);
    shell.stdout.on('data', (chunk: Buffer) => {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      // the pid, then the child's report once it runs with its final credentials
      if (lines.length >= 2) { clearTimeout(timer); resolve(true); }
    });
    void shell.then(() => { clearTimeout(timer); resolve(false); });
  });
  const pid = Number(lines[0]);
  shell.kill('SIGKILL');
  const dead = seen && Number.isInteger(pid) && pid > 0 && await waitDead(pid, 3000);
  if (!dead && Number.isInteger(pid) && pid > 0) {
    try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
  }
  // its output pipe closes only once the probe child is gone too
  await shell;
  return { seen, lines, dead };
}

/** The uid drop's arguments of setpriv for job slot 0's uid. */
function uidArgs(): string[] {
  const uid = slotUid(0);
  return [`--reuid=${uid}`, `--regid=${uid}`, '--clear-groups'];
}

/** Probes the parent-death signal (after the uid drop when there is one): the probe child's parent is SIGKILLed, and the child must be gone or a zombie. */
async function probePdeathsig(setpriv: string | undefined, uidDrop: boolean): Promise<LayerState> {
  const id = 'pdeathsig';
  if (!setpriv) return { id, active: false, detail: 'setpriv not found' };
  const { seen, lines, dead } = await orphanProbe([setpriv, ...(uidDrop ? uidArgs() : []), '--pdeathsig=SIGKILL', '--'], ['0']);
  if (!seen) return { id, active: false, detail: `the probe child did not start under setpriv --pdeathsig${lines.length ? ` (${lines.join(' ')})` : ''}` };
  if (!dead) return { id, active: false, detail: 'the probe child outlived its parent' };
  return { id, active: true, detail: pdeathsigDetail(uidDrop) };
}

const pdeathsigDetail = (uidDrop: boolean) => `SIGKILL when the grader dies${uidDrop ? ', set after the uid drop' : ''}`;

/**
 * Every OS layer in one probe child, started the way the grader starts its children (prlimit,
 * unshare, then setpriv with the uid drop and the parent-death signal): each layer's own check is
 * made on its report. Gives the four states when every check passes, else undefined, and then each
 * layer is probed alone to say which one is missing and why. One Node start instead of four.
 */
async function probeAtOnce(tools: { prlimit: string; unshare: string; setpriv: string }): Promise<LayerState[] | undefined> {
  if (process.getuid?.() !== 0 || accountInSlotRange() || await nodeAccessProblem(process.execPath)) return undefined;
  const bytes = dataLimitBytes(128);
  const { seen, lines, dead } = await orphanProbe(
    [tools.prlimit, `--data=${bytes}`, '--', tools.unshare, '--net', '--', tools.setpriv, ...uidArgs(), '--pdeathsig=SIGKILL', '--'], [String(2 * bytes)]);
  if (!seen || !dead) return undefined;
  let r: ProbeReport;
  try {
    r = JSON.parse(lines[1]) as ProbeReport;
  } catch {
    return undefined;
  }
  const [uid, memory, network] = [uidDropVerdict(r), memoryCapVerdict(r, bytes), networkVerdict(r)];
  if (!uid.active || !memory.active || !network.active) return undefined;
  return [uid, { id: 'pdeathsig', active: true, detail: pdeathsigDetail(true) }, memory, network];
}

/** Whether process `pid` is gone or a zombie within `ms` (read from /proc/PID/stat every 2 ms: a grade waits on the probe child's death). */
export async function waitDead(pid: number, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  for (;;) {
    if (isDead(pid)) return true;
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** True when /proc/PID/stat is gone or says Z (zombie) or X (dead). */
export function isDead(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return true;
  }
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state === 'Z' || state === 'X';
}

/** Probes the memory cap: under prlimit --data for a 128 MB heap, a child must see the limit and fail to allocate a 1 GiB ArrayBuffer. */
async function probeMemoryCap(prlimit: string | undefined): Promise<LayerState> {
  const id = 'memory-cap';
  if (!prlimit) return { id, active: false, detail: 'prlimit not found' };
  const bytes = dataLimitBytes(128);
  const r = await runProbe([prlimit, `--data=${bytes}`, '--'], [String(2 * bytes)]);
  return typeof r === 'string' ? { id, active: false, detail: r } : memoryCapVerdict(r, bytes);
}

/** The memory cap as a probe child's report shows it: its data limit is `bytes`, and a buffer of twice that was refused. */
function memoryCapVerdict(r: ProbeReport, bytes: number): LayerState {
  const id = 'memory-cap';
  if (r.data !== String(bytes)) return { id, active: false, detail: `the child's data limit is ${r.data}, not ${bytes}` };
  if (!r.allocation.startsWith('RangeError')) return { id, active: false, detail: `an ArrayBuffer past RLIMIT_DATA was not refused (${r.allocation})` };
  return { id, active: true, detail: 'RLIMIT_DATA: twice the heap limit plus what Node needs (counts ArrayBuffers)' };
}

/** Probes the network namespace: a child under unshare --net must be in another namespace than the grader, with no interface but lo. */
async function probeNetwork(unshare: string | undefined): Promise<LayerState> {
  const id = 'network-namespace';
  if (!unshare) return { id, active: false, detail: 'unshare not found' };
  const r = await runProbe([unshare, '--net', '--']);
  return typeof r === 'string' ? { id, active: false, detail: r } : networkVerdict(r);
}

/** The network namespace as a probe child's report shows it: not the grader's, with no interface but lo. */
function networkVerdict(r: ProbeReport): LayerState {
  const id = 'network-namespace';
  if (r.net === readlinkSync('/proc/self/ns/net')) return { id, active: false, detail: "the child shares the grader's network namespace" };
  if (r.interfaces.some((i) => i !== 'lo')) return { id, active: false, detail: `the child's namespace has interfaces ${r.interfaces.join(', ')}` };
  return { id, active: true, detail: 'own namespace, only lo (down)' };
}

const cache = new Map<string, Promise<Isolation>>();

/** Probes every layer once per process (per test options); the jail holds the tools of the active OS layers. */
export function probeIsolation(options: SandboxTestOptions = {}): Promise<Isolation> {
  const key = JSON.stringify(options);
  let probed = cache.get(key);
  if (!probed) {
    probed = probeAll(options);
    cache.set(key, probed);
  }
  return probed;
}

async function probeAll({ toolDirs = SYSTEM_TOOL_DIRS, disable = [] }: SandboxTestOptions): Promise<Isolation> {
  if (process.platform !== 'linux') {
    const off = (id: OsLayerId): LayerState => ({ id, active: false, detail: `not available on ${process.platform}` });
    return { layers: [...codeLayers(), off('uid-drop'), off('pdeathsig'), off('memory-cap'), off('network-namespace')], jail: {}, uidDrop: false };
  }
  const tool = (name: 'prlimit' | 'setpriv' | 'unshare', layers: OsLayerId[]) => (layers.some((l) => !disable.includes(l)) ? findTool(name, toolDirs) : undefined);
  const setpriv = tool('setpriv', ['uid-drop', 'pdeathsig']);
  const prlimit = tool('prlimit', ['memory-cap']);
  const unshare = tool('unshare', ['network-namespace']);
  const atOnce = disable.length === 0 && prlimit && unshare && setpriv ? await probeAtOnce({ prlimit, unshare, setpriv }) : undefined;
  const [uid, death, memory, network] = atOnce ?? await probeEach(setpriv, prlimit, unshare, disable);
  const jail: Omit<Jail, 'uid'> = {
    ...(memory.active ? { prlimit } : {}),
    ...(network.active ? { unshare } : {}),
    ...(uid.active || death.active ? { setpriv } : {}),
    pdeathsig: death.active,
  };
  return { layers: [...codeLayers(), uid, death, memory, network], jail, uidDrop: uid.active };
}

/** Each OS layer probed alone, in the order uid drop, parent-death signal, memory cap, network namespace. */
async function probeEach(setpriv: string | undefined, prlimit: string | undefined, unshare: string | undefined, disable: OsLayerId[]): Promise<LayerState[]> {
  const offByTest = (id: OsLayerId): LayerState => ({ id, active: false, detail: 'switched off by a test' });
  // the parent-death probe runs beside the others, guessing the uid drop's outcome (it is set after
  // the drop when there is one); a wrong guess is probed again, so the result is the sequential one's
  const uidGuess = !disable.includes('uid-drop') && setpriv !== undefined && process.getuid?.() === 0;
  const [uid, memory, network, guessedDeath] = await Promise.all([
    disable.includes('uid-drop') ? offByTest('uid-drop') : probeUidDrop(setpriv),
    disable.includes('memory-cap') ? offByTest('memory-cap') : probeMemoryCap(prlimit),
    disable.includes('network-namespace') ? offByTest('network-namespace') : probeNetwork(unshare),
    disable.includes('pdeathsig') ? offByTest('pdeathsig') : probePdeathsig(setpriv, uidGuess),
  ]);
  const death = disable.includes('pdeathsig') || uid.active === uidGuess ? guessedDeath : await probePdeathsig(setpriv, uid.active);
  return [uid, death, memory, network];
}

function codeLayers(): LayerState[] {
  return [
    { id: 'child-lockdown', active: true, detail: "Node's permission model and the child's own lockdown" },
    sigusr1Guard(),
  ];
}

/** Whether this grader process keeps SIGUSR1 from opening its inspector, as seen from inside it. */
function sigusr1Guard(): LayerState {
  const id = 'sigusr1-guard';
  if (process.execArgv.includes('--disable-sigusr1')) return { id, active: true, detail: 'started with --disable-sigusr1' };
  if (process.listenerCount('SIGUSR1') > 0) return { id, active: true, detail: 'the grader handles SIGUSR1 itself' };
  return { id, active: false, detail: 'a SIGUSR1 would open the inspector: the program calling grade() did not import cli/inspector-guard.ts' };
}

/** The jail of job slot `slot`: the probed layers, with the slot's own uid when the uid drop is active. */
export function slotJail(isolation: Isolation, slot: number): Jail {
  return isolation.uidDrop ? { ...isolation.jail, uid: slotUid(slot) } : { ...isolation.jail };
}

/** The missing layers strict mode requires, as one line naming each and what to do; undefined when none is missing. */
export function strictProblem(layers: LayerState[]): string | undefined {
  const missing = layers.filter((l) => !l.active && STRICTLY_REQUIRED.includes(l.id));
  if (missing.length === 0) return undefined;
  const what = missing.map((l) => `${title(l.id)} is missing (${l.detail}): ${REMEDY[l.id] ?? 'this is a bug in the grader'}`);
  return `strict mode refuses to grade untrusted code: ${what.join('; ')}`;
}

function title(id: LayerId): string {
  return LAYERS.find((l) => l.id === id)?.title ?? id;
}

/** The layers as a plain-text table (for --check-sandbox): state, where required, what it stops, how it was checked, what was seen. */
export function layerTable(layers: LayerState[]): string {
  const rows = LAYERS.map((l) => {
    const state = layers.find((s) => s.id === l.id);
    return [l.title, state?.active ? 'active' : 'MISSING', l.required, l.stops, l.probe, state?.detail ?? 'not probed'];
  });
  const header = ['layer', 'state', 'required', 'stops', 'checked by', 'seen'];
  const widths = header.slice(0, 3).map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => `${r.slice(0, 3).map((c, i) => c.padEnd(widths[i])).join('  ')}  ${r[5]}`;
  const details = rows.map((r) => `  ${r[0]}: stops ${r[3]}; checked by: ${r[4]}`);
  return [line(header), ...rows.map(line), '', ...details].join('\n');
}
