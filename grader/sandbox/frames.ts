/**
 * The wire format of the private channel between the grader and the child
 * (fd 3): a 4-byte big-endian length, then the V8-serialized value (the same
 * serialization Node's 'advanced' IPC uses, so a Float64Array crosses as raw
 * bytes). Our own framing instead of Node's IPC because student code can
 * write to fd 3: Node parses IPC frames where a throw crashes the grader,
 * while FrameReader throws a FrameError its caller catches, and refuses a
 * frame above its size cap before buffering it.
 */
import type { Writable } from 'node:stream';
import { deserialize, serialize } from 'node:v8';

const HEADER_BYTES = 4;
/** The largest length the header can state. */
export const MAX_FRAME_LENGTH = 0xffff_ffff;

/** A frame that is too large or does not deserialize: whoever wrote it broke the channel. */
export class FrameError extends Error {
  override name = 'FrameError';
}

/** The bytes of one frame: header and payload, kept apart so a large payload is never copied to join them. */
export function encodeFrame(value: unknown): [Buffer, Buffer] {
  const payload = serialize(value);
  if (payload.length > MAX_FRAME_LENGTH) throw new RangeError(`a message of ${payload.length} bytes does not fit in one frame`);
  const header = Buffer.allocUnsafe(HEADER_BYTES);
  header.writeUInt32BE(payload.length);
  return [header, payload];
}

/** Writes one frame to the channel. */
export function writeFrame(stream: Writable, frame: [Buffer, Buffer]): void {
  stream.cork();
  stream.write(frame[0]);
  stream.write(frame[1]);
  stream.uncork();
}

/** Cuts the bytes read from the channel into values. */
export class FrameReader {
  private readonly header = Buffer.alloc(HEADER_BYTES);
  private headerFill = 0;
  private body: Buffer | undefined;
  private bodyFill = 0;

  /** `maxBytes`: the largest payload accepted; a larger one is refused from its header alone. */
  constructor(private readonly maxBytes: number) {}

  /** Feeds bytes; returns the values they complete. Throws FrameError for an oversized or malformed frame. */
  push(chunk: Buffer): unknown[] {
    const values: unknown[] = [];
    let at = 0;
    for (;;) {
      if (!this.body) {
        const n = Math.min(HEADER_BYTES - this.headerFill, chunk.length - at);
        chunk.copy(this.header, this.headerFill, at, at + n);
        this.headerFill += n;
        at += n;
        if (this.headerFill < HEADER_BYTES) return values;
        const size = this.header.readUInt32BE(0);
        if (size > this.maxBytes) throw new FrameError(`a message of ${size} bytes, more than the ${this.maxBytes} the grader accepts`);
        this.headerFill = 0;
        // not from Buffer's shared pool: a Float64Array deserialized as a view on it shares it with nothing else
        this.body = Buffer.allocUnsafeSlow(size);
        this.bodyFill = 0;
      }
      const n = Math.min(this.body.length - this.bodyFill, chunk.length - at);
      chunk.copy(this.body, this.bodyFill, at, at + n);
      this.bodyFill += n;
      at += n;
      if (this.bodyFill < this.body.length) return values;
      const body = this.body;
      this.body = undefined;
      values.push(parse(body));
    }
  }
}

function parse(body: Buffer): unknown {
  try {
    return deserialize(body);
  } catch (cause) {
    throw new FrameError(`a message that does not deserialize (${(cause as Error).message})`, { cause });
  }
}
