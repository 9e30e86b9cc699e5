/**
 * PROVIDED HELPER: do not edit. The grader always uses its own copy of this file.
 *
 * A minimal reader and writer for (ustar) tar archives, enough to open the
 * downloaded cifar-10-binary.tar.gz without unpacking it and to build test
 * archives. Hand-written instead of a dependency because it is about 70 lines,
 * needs to be synchronous (npm's tar packages are stream-based), and the grader's
 * sandboxed child process should load nothing it does not need.
 * Layout: 512-byte headers (name 0..100, size in octal 124..136, checksum
 * 148..156, type 156, "ustar" magic 257, prefix 345..500), data padded to 512.
 */
import { DataError } from './types.js';

/** One regular file of an archive; `name` is the full path inside it. */
export interface TarEntry {
  name: string;
  data: Uint8Array;
}

const BLOCK = 512;
const decoder = new TextDecoder();

function text(header: Uint8Array, start: number, end: number): string {
  const field = header.subarray(start, end);
  const nul = field.indexOf(0);
  return decoder.decode(nul >= 0 ? field.subarray(0, nul) : field);
}

function octal(header: Uint8Array, start: number, end: number): number {
  if (header[start] & 0x80) {
    // GNU base-256 for sizes too large for octal: big-endian after the flag byte.
    let v = 0;
    for (let i = start + 1; i < end; i++) v = v * 256 + header[i];
    return v;
  }
  const s = text(header, start, end).trim();
  return s === '' ? 0 : parseInt(s, 8);
}

function checksum(header: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i];
  return sum;
}

/** The regular files of an uncompressed tar archive; `label` names it in errors. */
export function readTar(bytes: Uint8Array, label: string): TarEntry[] {
  const entries: TarEntry[] = [];
  let longName: string | undefined;
  for (let offset = 0; offset + BLOCK <= bytes.length; ) {
    const header = bytes.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) break;
    const stored = octal(header, 148, 156);
    if (Number.isNaN(stored) || stored !== checksum(header)) {
      throw new DataError(label, `not a tar archive (bad header checksum at byte ${offset}) — download it again`);
    }
    const size = octal(header, 124, 136);
    const start = offset + BLOCK;
    if (Number.isNaN(size) || start + size > bytes.length) {
      throw new DataError(label, `truncated: tar entry "${text(header, 0, 100)}" needs ${size} bytes, the archive ends first — download it again`);
    }
    const data = bytes.subarray(start, start + size);
    const type = String.fromCharCode(header[156] || 0x30);
    const prefix = text(header, 257, 262) === 'ustar' ? text(header, 345, 500) : '';
    const name = longName ?? (prefix ? `${prefix}/${text(header, 0, 100)}` : text(header, 0, 100));
    longName = undefined;
    if (type === 'L') longName = text(data, 0, data.length); // GNU long name for the next entry
    else if (type === 'x') longName = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(decoder.decode(data))?.[1]; // pax path
    else if (type === '0' || type === '7') entries.push({ name, data });
    offset = start + Math.ceil(size / BLOCK) * BLOCK;
  }
  return entries;
}

/** A ustar archive of the given files (names ending in "/" become directories); mtime 0 so output is reproducible. */
export function writeTar(entries: readonly TarEntry[]): Uint8Array {
  const size = entries.reduce((s, e) => s + BLOCK + Math.ceil(e.data.length / BLOCK) * BLOCK, 2 * BLOCK);
  const out = new Uint8Array(size);
  const encoder = new TextEncoder();
  let offset = 0;
  for (const entry of entries) {
    const isDir = entry.name.endsWith('/');
    const name = encoder.encode(entry.name);
    if (name.length > 100) throw new RangeError(`writeTar: name longer than 100 bytes: ${entry.name}`);
    const header = out.subarray(offset, offset + BLOCK);
    const put = (at: number, s: string) => header.set(encoder.encode(s), at);
    header.set(name, 0);
    put(100, isDir ? '0000755\0' : '0000644\0');
    put(108, '0000000\0');
    put(116, '0000000\0');
    put(124, `${entry.data.length.toString(8).padStart(11, '0')}\0`);
    put(136, '00000000000\0');
    put(156, isDir ? '5' : '0');
    put(257, 'ustar\0' + '00');
    put(148, `${checksum(header).toString(8).padStart(6, '0')}\0 `);
    out.set(entry.data, offset + BLOCK);
    offset += BLOCK + Math.ceil(entry.data.length / BLOCK) * BLOCK;
  }
  return out;
}
