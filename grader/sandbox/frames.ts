/**
 * The wire format of the private channel between the grader and the child
 * (fd 3). Our own framing instead of Node's IPC because student code can write
 * to fd 3, and our own encoding instead of V8's serializer because a frame of
 * a few hundred megabytes can deserialize into ~90 M objects (minutes and
 * gigabytes, before any check runs). FrameReader decodes as the bytes arrive,
 * counting bytes, objects, numbers and depth against its limits, and throws a
 * FrameError (never anything else) as soon as one is passed.
 *
 * A frame is a 4-byte big-endian payload length, then exactly one value:
 *
 *   tag 0 null, 1 false, 2 true
 *   tag 3 number: 8 bytes, float64 little-endian
 *   tag 4 string: u32 LE byte length, then UTF-8 (a lone surrogate arrives as U+FFFD)
 *   tag 5 array: u32 LE count, then that many values
 *   tag 6 object: u32 LE count, then that many pairs (a string value, then any value)
 *   tag 7 Float64Array: u32 LE count, then count * 8 bytes in this machine's byte order
 *     (both ends run on the same machine), read straight into a fresh Float64Array
 *
 * That carries exactly the `Encoded` values of codec.ts (matrix data as a
 * Float64Array blob) and the messages of protocol.ts: no BigInt, no shared or
 * cyclic references, no class instances.
 */
import type { Writable } from 'node:stream';

/** The kinds of value on the wire, by tag byte. */
export const TAG = { null: 0, false: 1, true: 2, number: 3, string: 4, array: 5, object: 6, float64Array: 7 } as const;

const HEADER_BYTES = 4;
/** The largest length the header can state. */
export const MAX_FRAME_LENGTH = 0xffff_ffff;

/** What a FrameReader accepts; a frame past any of these is refused while it is still arriving. */
export interface FrameLimits {
  /** Payload bytes (refused from the header alone). */
  bytes: number;
  /** Arrays, objects, strings and Float64Arrays (object keys are strings). */
  objects: number;
  /** Numbers, counting each element of a Float64Array. */
  numbers: number;
  /** Nesting of arrays and objects. */
  depth: number;
  /** UTF-8 bytes of one string. */
  stringBytes: number;
}

/** No limit but the header's: for the child, which reads only what the grader sends. */
export const UNLIMITED: FrameLimits = { bytes: MAX_FRAME_LENGTH, objects: Infinity, numbers: Infinity, depth: Infinity, stringBytes: MAX_FRAME_LENGTH };

/** A frame that is too large, malformed or past a limit: whoever wrote it broke the channel. */
export class FrameError extends Error {
  override name = 'FrameError';
}

/** Collects the bytes of one frame: small tokens in growing scratch buffers, Float64Array blobs as views (not copied). */
class FrameWriter {
  readonly parts: Buffer[] = [];
  length = 0;
  private current = Buffer.allocUnsafe(256);
  private at = 0;

  private room(n: number): void {
    if (this.at + n <= this.current.length) return;
    this.flush();
    this.current = Buffer.allocUnsafe(Math.max(n, 2 * this.current.length, 256));
  }

  flush(): void {
    if (this.at > 0) this.parts.push(this.current.subarray(0, this.at));
    this.current = this.current.subarray(this.at);
    this.at = 0;
  }

  tag(tag: number, count?: number): void {
    this.room(5);
    this.current[this.at++] = tag;
    this.length++;
    if (count === undefined) return;
    this.current.writeUInt32LE(count, this.at);
    this.at += 4;
    this.length += 4;
  }

  number(value: number): void {
    this.tag(TAG.number);
    this.room(8);
    this.current.writeDoubleLE(value, this.at);
    this.at += 8;
    this.length += 8;
  }

  string(value: string): void {
    const bytes = Buffer.byteLength(value);
    this.tag(TAG.string, bytes);
    this.room(bytes);
    this.at += this.current.write(value, this.at);
    this.length += bytes;
  }

  blob(value: Float64Array): void {
    this.tag(TAG.float64Array, value.length);
    this.flush();
    this.parts.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
    this.length += value.byteLength;
  }
}

/** Writes `value` (JSON-like data and Float64Arrays) to `out`; anything else is a TypeError naming where it is. */
function write(out: FrameWriter, value: unknown, where: string): void {
  if (value === null || value === undefined) out.tag(TAG.null);
  else if (value === false) out.tag(TAG.false);
  else if (value === true) out.tag(TAG.true);
  else if (typeof value === 'number') out.number(value);
  else if (typeof value === 'string') out.string(value);
  else if (value instanceof Float64Array) out.blob(value);
  else if (Array.isArray(value)) {
    out.tag(TAG.array, value.length);
    for (let i = 0; i < value.length; i++) write(out, value[i], `${where}[${i}]`);
  } else if (typeof value === 'object' && !ArrayBuffer.isView(value)) {
    const keys = Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined);
    out.tag(TAG.object, keys.length);
    for (const k of keys) {
      out.string(k);
      write(out, (value as Record<string, unknown>)[k], `${where}.${k}`);
    }
  } else {
    const kind = typeof value === 'object' ? value.constructor.name : typeof value;
    throw new TypeError(`${where} is a ${kind}, which the channel does not carry`);
  }
}

/**
 * The bytes of one frame: the header, then the payload in parts (a
 * Float64Array is a view on its own memory, so it must not change until
 * the frame is written). Throws a TypeError for a value the format does not
 * carry and a RangeError for a payload past MAX_FRAME_LENGTH.
 */
export function encodeFrame(value: unknown): Buffer[] {
  const out = new FrameWriter();
  write(out, value, 'the message');
  out.flush();
  if (out.length > MAX_FRAME_LENGTH) throw new RangeError(`a message of ${out.length} bytes does not fit in one frame`);
  const header = Buffer.allocUnsafe(HEADER_BYTES);
  header.writeUInt32BE(out.length);
  return [header, ...out.parts];
}

/** Payload bytes of an encoded frame. */
export function payloadBytes(frame: Buffer[]): number {
  return frame[0].readUInt32BE(0);
}

/** Writes one frame to the channel. */
export function writeFrame(stream: Writable, frame: Buffer[]): void {
  stream.cork();
  for (const part of frame) stream.write(part);
  stream.uncork();
}

/** An array or object being filled; `key` is the key read for the next value of an object. */
interface Open { items: unknown[] | Record<string, unknown>; left: number; key?: string }

/** Decodes the bytes read from the channel into values as they arrive. */
export class FrameReader {
  private readonly scratch = Buffer.alloc(8);
  /** What the next bytes are: a frame header, a tag, a tag's count or number, or a string/blob body. */
  private step: 'header' | 'tag' | 'payload' | 'body' = 'header';
  private need = HEADER_BYTES;
  private fill = 0;
  private tag = 0;
  private body: Uint8Array | undefined;
  private blob: Float64Array | undefined;
  /** Bytes of the current frame not yet claimed by a token. */
  private left = 0;
  private open: Open[] = [];
  private objects = 0;
  private numbers = 0;

  constructor(private readonly limits: FrameLimits) {}

  /** Feeds bytes; returns the values they complete. Throws FrameError for a malformed frame or one past a limit. */
  push(chunk: Buffer): unknown[] {
    const values: unknown[] = [];
    let at = 0;
    while (at < chunk.length) {
      if (this.step === 'body') {
        const body = this.body!;
        const n = Math.min(body.length - this.fill, chunk.length - at);
        body.set(chunk.subarray(at, at + n), this.fill);
        this.fill += n;
        at += n;
        if (this.fill === body.length) this.bodyRead(values);
      } else if (this.fill === 0 && chunk.length - at >= this.need) {
        // the whole token is in this chunk: read it in place
        const start = at;
        at += this.need;
        this.token(chunk, start, values);
      } else {
        const n = Math.min(this.need - this.fill, chunk.length - at);
        chunk.copy(this.scratch, this.fill, at, at + n);
        this.fill += n;
        at += n;
        if (this.fill === this.need) {
          this.fill = 0;
          this.token(this.scratch, 0, values);
        }
      }
    }
    return values;
  }

  /** Claims `bytes` of the current frame for the next token. */
  private expect(step: 'tag' | 'payload' | 'body', bytes: number): void {
    if (bytes > this.left) throw new FrameError('a message whose content runs past the length its header states');
    this.left -= bytes;
    this.step = step;
    this.need = bytes;
    this.fill = 0;
  }

  private count(objects: number, numbers: number): void {
    this.objects += objects;
    this.numbers += numbers;
    if (this.objects > this.limits.objects) throw new FrameError(`a message of more than ${this.limits.objects} objects, more than the grader accepts`);
    if (this.numbers > this.limits.numbers) throw new FrameError(`a message of more than ${this.limits.numbers} numbers, more than the grader accepts`);
  }

  /** Acts on a complete fixed-size token at `buf[at]`. */
  private token(buf: Buffer, at: number, values: unknown[]): void {
    if (this.step === 'header') {
      const size = buf.readUInt32BE(at);
      if (size > this.limits.bytes) throw new FrameError(`a message of ${size} bytes, more than the ${this.limits.bytes} the grader accepts`);
      this.left = size;
      this.objects = 0;
      this.numbers = 0;
      this.expect('tag', 1);
      return;
    }
    if (this.step === 'tag') {
      this.tag = buf[at];
      switch (this.tag) {
        case TAG.null: return this.done(null, values);
        case TAG.false: return this.done(false, values);
        case TAG.true: return this.done(true, values);
        case TAG.number: return this.expect('payload', 8);
        case TAG.string: case TAG.array: case TAG.object: case TAG.float64Array: return this.expect('payload', 4);
        default: throw new FrameError(`a message holding a value of unknown kind (tag ${this.tag})`);
      }
    }
    if (this.tag === TAG.number) {
      this.count(0, 1);
      return this.done(buf.readDoubleLE(at), values);
    }
    const n = buf.readUInt32LE(at);
    switch (this.tag) {
      case TAG.string: {
        this.count(1, 0);
        if (n > this.limits.stringBytes) throw new FrameError(`a message holding a string of ${n} bytes, more than the ${this.limits.stringBytes} the grader accepts`);
        if (n === 0) return this.done('', values);
        this.body = Buffer.allocUnsafe(n);
        return this.expect('body', n);
      }
      case TAG.float64Array: {
        this.count(1, n);
        if (n * 8 > this.left) throw new FrameError('a message whose content runs past the length its header states');
        this.blob = new Float64Array(n);
        if (n === 0) return this.done(this.blob, values);
        this.body = new Uint8Array(this.blob.buffer);
        return this.expect('body', n * 8);
      }
      default: {
        this.count(1, 0);
        // each element takes at least 1 byte, each pair at least 6: a count the frame cannot hold is refused before anything grows
        if (n * (this.tag === TAG.array ? 1 : 6) > this.left) throw new FrameError('a message whose content runs past the length its header states');
        if (this.open.length >= this.limits.depth) throw new FrameError(`a message nested more than ${this.limits.depth} levels deep`);
        const items = this.tag === TAG.array ? [] : {};
        if (n === 0) return this.done(items, values);
        this.open.push({ items, left: n });
        return this.expect('tag', 1);
      }
    }
  }

  private bodyRead(values: unknown[]): void {
    const body = this.body!;
    this.body = undefined;
    if (this.tag === TAG.string) return this.done(Buffer.from(body.buffer, body.byteOffset, body.length).toString('utf8'), values);
    const blob = this.blob!;
    this.blob = undefined;
    this.done(blob, values);
  }

  /** Puts a complete value in its array or object, closing those it completes; a complete top-level value ends the frame. */
  private done(value: unknown, values: unknown[]): void {
    for (;;) {
      const top = this.open[this.open.length - 1];
      if (!top) {
        if (this.left !== 0) throw new FrameError(`a message with ${this.left} bytes after its value`);
        values.push(value);
        this.step = 'header';
        this.need = HEADER_BYTES;
        this.fill = 0;
        return;
      }
      if (Array.isArray(top.items)) top.items.push(value);
      else if (top.key === undefined) {
        if (typeof value !== 'string') throw new FrameError('a message holding an object key that is not a string');
        top.key = value;
        return this.expect('tag', 1);
      } else {
        // defineProperty, so that a key '__proto__' is an ordinary key
        Object.defineProperty(top.items, top.key, { value, enumerable: true, writable: true, configurable: true });
        top.key = undefined;
      }
      if (--top.left > 0) return this.expect('tag', 1);
      this.open.pop();
      value = top.items;
    }
  }
}
