/**
 * The child side of the sandbox: the entry of the bundle, run under Node's
 * permission model. It takes the IPC channel for itself BEFORE any student
 * code runs, loads the submission's modules one by one, then answers calls.
 * Every reply echoes its call's id and nonce, and no student code ever sees
 * an incoming message, so a submission cannot learn a nonce and cannot forge
 * a result the grader accepts.
 */
import { decode, encode, type Encoded } from '../codec.js';
import { Random } from '../../starter/provided/random.js';
import type { CallMessage, ChildMessage, InitMessage, ModuleStatus, ThrownError } from './protocol.js';

/** Module file -> path of its built JS relative to this file, written at build time. */
declare const __SANDBOX_MODULES__: Record<string, string>;
/** The submission's real path, to find its frames in (source-mapped) stacks. */
declare const __SANDBOX_SUBMISSION__: string;

type Callable = (...args: unknown[]) => unknown;
interface Exported { fn: Callable; file: string }

let onMessage: (message: unknown) => void = () => undefined;
const send = lockDown();
const flushers = [process.stdout, process.stderr].map((stream) => stream.write.bind(stream) as (chunk: string, done: () => void) => boolean);

/**
 * Captures process.send, routes every incoming message to `onMessage` alone,
 * and takes away process.kill; returns the captured send.
 */
function lockDown(): (message: ChildMessage) => void {
  const rawSend = process.send?.bind(process);
  if (!rawSend) {
    console.error('grader/sandbox/child: start me through SubmissionRunner (I need an IPC channel)');
    process.exit(70);
  }
  const emit = process.emit;
  const guarded = function (this: NodeJS.Process, event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'message') {
      onMessage(args[0]);
      return true;
    }
    return Reflect.apply(emit, this, [event, ...args]) as boolean;
  };
  Object.defineProperty(process, 'emit', { value: guarded, writable: false, configurable: false });
  // Node queues incoming messages while no 'message' listener exists; this one keeps them flowing.
  process.on('message', () => undefined);
  process.on('disconnect', () => process.exit(0));
  // The permission model does not cover signals: without this a submission could kill the grader.
  for (const name of ['kill', '_kill']) {
    const refuse = () => { throw Object.assign(new Error(`process.${name} is not available while grading`), { code: 'ERR_ACCESS_DENIED' }); };
    Object.defineProperty(process, name, { value: refuse, writable: false, configurable: false });
  }
  return (message) => { rawSend(message); };
}

/** Waits for the parent's init message (everything before it is dropped). */
function nextInit(): Promise<InitMessage> {
  return new Promise((resolve) => {
    onMessage = (m) => {
      if (isObject(m) && m.type === 'init' && typeof m.nonce === 'string') resolve(m as unknown as InitMessage);
    };
  });
}

/** Imports the modules one by one; a module whose top-level code throws is recorded, not fatal. */
async function loadModules(): Promise<{ modules: Record<string, ModuleStatus>; table: Map<string, Exported> }> {
  const modules: Record<string, ModuleStatus> = {};
  const table = new Map<string, Exported>();
  for (const [file, built] of Object.entries(__SANDBOX_MODULES__)) {
    try {
      const namespace = await import(new URL(built, import.meta.url).href) as Record<string, unknown>;
      for (const [name, value] of Object.entries(namespace)) {
        if (typeof value === 'function' && !table.has(name)) table.set(name, { fn: value as Callable, file });
      }
      modules[file] = { ok: true };
    } catch (e) {
      const error = describeError(e);
      const where = error.location ? ` (${error.location})` : '';
      modules[file] = { ok: false, error: `${file} fails while loading: ${error.name}: ${error.message}${where}` };
    }
  }
  return { modules, table };
}

/** Runs one call and sends its result; never throws. */
async function answer(call: CallMessage, table: Map<string, Exported>): Promise<void> {
  const { id, nonce } = call;
  try {
    const fn = table.get(call.fn)?.fn;
    if (!fn) throw new ReferenceError(`no module exports ${call.fn}`);
    const args = decode(call.args, {
      random: (seed) => new Random(seed),
      progress: () => (_epoch: number, history: unknown) => send({ type: 'progress', id, nonce, value: encode(history) }),
    }) as unknown[];
    let value: unknown = fn(...args);
    if (isThenable(value)) value = await value;
    const encoded = encodeResult(value);
    await flushOutput();
    send({ type: 'result', id, nonce, ok: true, value: encoded });
  } catch (e) {
    await flushOutput();
    send({ type: 'result', id, nonce, ok: false, error: describeError(e) });
  }
}

/**
 * Waits until what the call printed has left this process (a pipe write
 * queues when the pipe is full), so it reaches the grader before the result.
 * Bounded, in case the submission broke its own stdout.
 */
function flushOutput(): Promise<unknown> {
  return Promise.all(flushers.map((write) => new Promise<void>((resolve) => {
    setTimeout(resolve, 1000).unref();
    try {
      write('', resolve);
    } catch {
      resolve();
    }
  })));
}

/** Encodes a return value; one that cannot be encoded (a throwing getter, a Proxy) becomes an error. */
function encodeResult(value: unknown): Encoded {
  try {
    return encode(value);
  } catch (cause) {
    throw new TypeError(`the return value cannot be sent to the grader: ${describeError(cause).message}`, { cause });
  }
}

/** Name, message and the first stack frame inside the submission, from anything that was thrown. */
function describeError(e: unknown): ThrownError {
  try {
    if (!(e instanceof Error)) return { name: typeof e, message: String(e) };
    const location = studentFrame(String(e.stack ?? ''));
    const code = (e as { code?: unknown }).code;
    const message = typeof code === 'string' && code.startsWith('ERR_') ? `${e.message} (${code})` : String(e.message);
    return { name: String(e.name), message, ...(location ? { location } : {}) };
  } catch {
    return { name: 'Error', message: 'an error that cannot be described (its name, message or stack throws)' };
  }
}

/** `activations.ts:12` for the first stack frame in the student's own files (source-mapped back to TypeScript). */
function studentFrame(stack: string): string | undefined {
  for (const line of stack.split('\n')) {
    const m = /\(?((?:file:\/\/)?\/[^():]+):(\d+):\d+\)?\s*$/.exec(line);
    if (!m) continue;
    const file = m[1].startsWith('file://') ? decodeURIComponent(new URL(m[1]).pathname) : m[1];
    const relative = file.startsWith(`${__SANDBOX_SUBMISSION__}/`) ? file.slice(__SANDBOX_SUBMISSION__.length + 1) : undefined;
    if (relative && !relative.startsWith('provided/')) return `${relative}:${m[2]}`;
  }
  return undefined;
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return (typeof v === 'object' || typeof v === 'function') && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

const init = await nextInit();
const { modules, table } = await loadModules();
// Calls are answered one at a time, in the order they come.
let queue = Promise.resolve();
onMessage = (m) => {
  if (!isObject(m) || m.type !== 'call' || typeof m.id !== 'string' || !Array.isArray(m.args)) return;
  const call = m as unknown as CallMessage;
  queue = queue.then(() => answer(call, table));
};
send({ type: 'ready', nonce: init.nonce, modules, functions: Object.fromEntries([...table].map(([name, e]) => [name, e.file])) });
