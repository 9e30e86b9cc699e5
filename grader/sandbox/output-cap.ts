/**
 * What the child printed, kept within a fixed size: a submission that prints
 * in a tight loop must not fill the grader's memory. Keeps the start and the
 * end (where the error usually is) and says how much was cut in between.
 */
export class OutputCap {
  private head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;
  private cut = 0;

  /** `limit` bytes in all: half for the start, half for the end. */
  constructor(private readonly limit = 64 * 1024) {}

  add(chunk: Buffer): void {
    const half = this.limit / 2;
    if (this.headBytes < half) {
      const part = chunk.subarray(0, half - this.headBytes);
      this.head.push(part);
      this.headBytes += part.length;
      chunk = chunk.subarray(part.length);
    }
    if (chunk.length === 0) return;
    this.tail.push(chunk);
    this.tailBytes += chunk.length;
    while (this.tailBytes > half) {
      const extra = this.tailBytes - half;
      const first = this.tail[0];
      if (first.length <= extra) {
        this.tail.shift();
        this.tailBytes -= first.length;
        this.cut += first.length;
      } else {
        this.tail[0] = first.subarray(extra);
        this.tailBytes -= extra;
        this.cut += extra;
      }
    }
  }

  /** The last `bytes` bytes kept, without taking them (to recognise an out-of-memory death). */
  peekEnd(bytes = 4096): string {
    const all = Buffer.concat([...this.head, ...this.tail]);
    return all.subarray(Math.max(0, all.length - bytes)).toString('utf8');
  }

  /** The text kept since the last take, with a "[... N bytes cut]" note where bytes were dropped; empties the cap. */
  take(): string {
    const head = Buffer.concat(this.head).toString('utf8');
    const tail = Buffer.concat(this.tail).toString('utf8');
    const text = this.cut > 0 ? `${head}\n[... ${this.cut} bytes cut]\n${tail}` : head + tail;
    this.head = [];
    this.tail = [];
    this.headBytes = this.tailBytes = this.cut = 0;
    return text;
  }
}
