/**
 * The child side of the sandbox: the entry of the bundle, run under Node's
 * permission model. It opens the private channel to the grader (fd 3) and
 * locks itself down (lockdown.ts) BEFORE any student code runs, loads the
 * submission's modules one by one, then answers calls.
 *
 * The child is untrusted. Student code runs in this process: it can reach fd 3,
 * patch what this file uses, read the incoming calls and write frames of its
 * own. The parent therefore trusts nothing but the values it compares: it
 * checks each reply's id, nonce, shape and size, and the expected values never
 * come here. The checks below (size limits, cut texts) exist to give an honest
 * submission a clear message, not to protect the grader.
 */
import net from 'node:net';
import { decode, encode, type Encoded, type EncodedMatrix } from '../codec.js';
import { Random } from '../../starter/provided/random.js';
import { simdDense, WASM_MIN_WORK } from '../../starter/provided/kernel/dot.js';
import { encodeFrame, FrameReader, payloadBytes, UNLIMITED, writeFrame } from './frames.js';
import { clip, MAX_FRAME_BYTES, sizeProblem } from './limits.js';
import { inputChange, snapshotInputs } from '../unchanged-inputs.js';
import { lockDown } from './lockdown.js';
import { CHANNEL_LOST_EXIT, type CallMessage, type ChildMessage, type InitMessage, type ModuleStatus, type ResultMessage, type ThrownError } from './protocol.js';

/** Module file -> path of its built JS relative to this file, written at build time. */
declare const __SANDBOX_MODULES__: Record<string, string>;
/** The submission's real path, to find its frames in (source-mapped) stacks. */
declare const __SANDBOX_SUBMISSION__: string;

type Callable = (...args: unknown[]) => unknown;

let onMessage: (message: unknown) => void = () => undefined;
const channel = openChannel();
lockDown();
const flushers = [process.stdout, process.stderr].map((stream) => stream.write.bind(stream) as (chunk: string, done: () => void) => boolean);

/** Opens fd 3, the channel SubmissionRunner created, and routes each incoming frame to `onMessage`. */
function openChannel(): net.Socket {
  let socket: net.Socket;
  try {
    socket = new net.Socket({ fd: 3, readable: true, writable: true });
  } catch {
    console.error('grader/sandbox/child: start me through SubmissionRunner (I need its channel on fd 3)');
    process.exit(70);
  }
  const reader = new FrameReader(UNLIMITED);
  socket.on('data', (chunk: Buffer) => {
    let messages: unknown[];
    try {
      messages = reader.push(chunk);
    } catch {
      process.exit(70);
    }
    for (const m of messages) onMessage(m);
  });
  // the grader is gone, or the submission broke the channel: nothing can be answered any more
  socket.on('end', () => process.exit(CHANNEL_LOST_EXIT));
  socket.on('error', () => process.exit(CHANNEL_LOST_EXIT));
  return socket;
}

/**
 * Sends a message; one that cannot be encoded, or whose frame is larger than
 * the grader reads, is replaced by `instead(why)`'s (or dropped).
 */
function send(message: ChildMessage, instead?: (why: string) => ChildMessage): void {
  let frame: Buffer[];
  try {
    frame = encodeFrame(message);
    const bytes = payloadBytes(frame);
    if (bytes > MAX_FRAME_BYTES) throw new RangeError(`it takes ${Math.round(bytes / 2 ** 20)} MB to send, more than the grader accepts (${MAX_FRAME_BYTES / 2 ** 20} MB)`);
  } catch (e) {
    if (!instead) return;
    frame = encodeFrame(instead(describeError(e).message));
  }
  writeFrame(channel, frame);
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
async function loadModules(): Promise<{ modules: Record<string, ModuleStatus>; namespaces: Map<string, Record<string, unknown>> }> {
  const modules: Record<string, ModuleStatus> = {};
  const namespaces = new Map<string, Record<string, unknown>>();
  for (const [file, built] of Object.entries(__SANDBOX_MODULES__)) {
    try {
      namespaces.set(file, await import(new URL(built, import.meta.url).href) as Record<string, unknown>);
      modules[file] = { ok: true };
    } catch (e) {
      const error = describeError(e);
      const where = error.location ? ` (${error.location})` : '';
      modules[file] = { ok: false, error: `${file} fails while loading: ${error.name}: ${error.message}${where}` };
    }
  }
  return { modules, namespaces };
}

/** The names of the functions each loaded module exports, in load order. */
function exportedFunctions(namespaces: Map<string, Record<string, unknown>>): Record<string, string[]> {
  return Object.fromEntries([...namespaces].map(([file, ns]) => [file, Object.keys(ns).filter((name) => typeof ns[name] === 'function')]));
}

/** Runs one call (the function `call.fn` of module `call.file`) and sends its result; never throws. */
async function answer(call: CallMessage, namespaces: Map<string, Record<string, unknown>>): Promise<void> {
  const { id, nonce } = call;
  let reply: ResultMessage;
  try {
    const fn = namespaces.get(call.file)?.[call.fn];
    if (typeof fn !== 'function') throw new ReferenceError(`${call.file} does not export ${call.fn}`);
    const args = decode(call.args, {
      random: (seed) => new Random(seed),
      progress: () => (_epoch: number, history: unknown) => {
        const value = encode(history);
        // progress is cosmetic: a report too large to send is dropped
        if (!sizeProblem(value, 'the history')) send({ type: 'progress', id, nonce, value });
      },
    }) as unknown[];
    const before = snapshotInputs(args);
    let value: unknown = (fn as Callable)(...args);
    if (isThenable(value)) value = await value;
    // checked when the call returns: what it writes later cannot reach a graded value (each call decodes fresh arguments)
    const names = Array.isArray(call.argNames) ? call.argNames.map(String) : [];
    const modified = inputChange(call.fn, before, args, names);
    reply = { type: 'result', id, nonce, ok: true, value: encodeResult(value), ...(modified ? { modifiedInput: clip(modified) } : {}) };
  } catch (e) {
    reply = { type: 'result', id, nonce, ok: false, error: describeError(e) };
  }
  await flushOutput();
  send(reply, (why) => ({ type: 'result', id, nonce, ok: false, error: { name: 'RangeError', message: clip(`the ${reply.ok ? 'return value' : 'error'} cannot be sent to the grader: ${why}`) } }));
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

/**
 * Encodes a return value as it is when the call returns; one that cannot be
 * encoded (a throwing getter, a Proxy) or is too large becomes an error.
 */
function encodeResult(value: unknown): Encoded {
  let encoded: Encoded;
  try {
    encoded = encode(value);
  } catch (cause) {
    throw new TypeError(`the return value cannot be sent to the grader: ${describeError(cause).message}`, { cause });
  }
  const problem = sizeProblem(encoded, 'the return value');
  if (problem) throw new RangeError(problem);
  detachMatrices(encoded);
  return encoded;
}

/**
 * Copies, in place, the matrix data an encoded value shares with the
 * submission's own Float64Arrays (encode builds everything else afresh), so
 * what the submission writes into them after returning (a timer, while the
 * output is flushed) changes neither the graded value nor the input check's verdict.
 */
function detachMatrices(e: Encoded): void {
  if (typeof e !== 'object' || e === null) return;
  if (Array.isArray(e)) {
    for (const item of e) if (typeof item === 'object') detachMatrices(item);
    return;
  }
  if (e.$type === 'matrix' && (e as EncodedMatrix).data instanceof Float64Array) {
    (e as EncodedMatrix).data = ((e as EncodedMatrix).data as Float64Array).slice();
    return;
  }
  for (const v of Object.values(e)) detachMatrices(v as Encoded);
}

/** Name, message and the first stack frame inside the submission, from anything that was thrown. */
function describeError(e: unknown): ThrownError {
  try {
    if (!(e instanceof Error)) return { name: typeof e, message: clip(String(e)) };
    const location = studentFrame(String(e.stack ?? ''));
    const code = (e as { code?: unknown }).code;
    const message = typeof code === 'string' && code.startsWith('ERR_') ? `${e.message} (${code})` : String(e.message);
    return { name: clip(String(e.name)), message: clip(message), ...(location ? { location: clip(location) } : {}) };
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
// take the SIMD kernel's address-space reservation before any student code can use the room
simdDense(WASM_MIN_WORK);
const { modules, namespaces } = await loadModules();
// Calls are answered one at a time, in the order they come.
let queue = Promise.resolve();
onMessage = (m) => {
  if (!isObject(m) || m.type !== 'call' || typeof m.id !== 'string' || typeof m.file !== 'string' || !Array.isArray(m.args)) return;
  const call = m as unknown as CallMessage;
  queue = queue.then(() => answer(call, namespaces));
};
send({ type: 'ready', nonce: init.nonce, modules, exports: exportedFunctions(namespaces) });
