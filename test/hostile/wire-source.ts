/**
 * Source text for fake submissions that write frames to the grader's private
 * channel by hand: an encoder of the channel's format (grader/sandbox/frames.ts)
 * and a sniffer of the id and nonce of the call being answered.
 */

/** Defines `frame(value)` (the bytes of one frame), `writeAll(bytes)` (to fd 3) and `lastCall` ({ id, nonce } of the latest call received). */
export const WIRE_SOURCE = `
/** One value in the channel's format: a tag byte, then its payload. */
function wireValue(v: unknown): Buffer {
  const counted = (tag: number, n: number) => { const b = Buffer.alloc(5); b[0] = tag; b.writeUInt32LE(n, 1); return b; };
  if (v === null) return Buffer.from([0]);
  if (typeof v === 'boolean') return Buffer.from([v ? 2 : 1]);
  if (typeof v === 'number') { const b = Buffer.alloc(9); b[0] = 3; b.writeDoubleLE(v, 1); return b; }
  if (typeof v === 'string') { const s = Buffer.from(v); return Buffer.concat([counted(4, s.length), s]); }
  if (v instanceof Float64Array) return Buffer.concat([counted(7, v.length), Buffer.from(v.buffer, v.byteOffset, v.byteLength)]);
  if (Array.isArray(v)) return Buffer.concat([counted(5, v.length), ...v.map(wireValue)]);
  const entries = Object.entries(v as object);
  return Buffer.concat([counted(6, entries.length), ...entries.flatMap(([k, x]) => [wireValue(k), wireValue(x)])]);
}

/** One frame as the grader's channel carries it: a 4-byte big-endian length, then the value. */
function frame(value: unknown): Buffer {
  const body = wireValue(value);
  const head = Buffer.alloc(4);
  head.writeUInt32BE(body.length);
  return Buffer.concat([head, body]);
}

/** Writes all of \`bytes\` to fd 3, waiting while the pipe is full (the channel is non-blocking); stops when the grader closes it. */
function writeAll(bytes: Buffer): void {
  const fs = (process as any).getBuiltinModule('fs');
  for (let at = 0; at < bytes.length;) {
    try {
      at += fs.writeSync(3, bytes, at);
    } catch (e) {
      if ((e as { code?: string }).code !== 'EAGAIN') return;
    }
  }
}

// sees every incoming call by listening in on the sockets' data: a call's first two UUIDs are its id and nonce
let lastCall: { id: string; nonce: string } | undefined;
const socketEmit = (process as any).getBuiltinModule('net').Socket.prototype.emit;
(process as any).getBuiltinModule('net').Socket.prototype.emit = function (this: unknown, event: string, ...args: unknown[]) {
  if (event === 'data' && Buffer.isBuffer(args[0])) {
    const ids = args[0].toString('latin1').match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g);
    if (ids && ids.length >= 2) lastCall = { id: ids[0], nonce: ids[1] };
  }
  return socketEmit.call(this, event, ...args);
};
`;
