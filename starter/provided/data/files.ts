/**
 * PROVIDED HELPER: do not edit. The grader always uses its own copy of this file.
 *
 * Synchronous file reading shared by the loaders, with every failure turned
 * into a one-line DataError. Synchronous so a grading child process can load
 * data with a plain function call.
 */
import { readFileSync, statSync, type Stats } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { DataError } from './types.js';

/** The file's bytes; a missing or unreadable file becomes a DataError naming it. */
export function readBytes(file: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (cause) {
    throw new DataError(file, `cannot read the file (${errorCode(cause)}) — check the path`, { cause });
  }
}

/** The path's stat, or undefined when nothing is there. */
export function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** True when the bytes start with the gzip magic 1f 8b (the name does not matter). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** The bytes, decompressed when they are gzip data; `name` labels errors. */
export function gunzipIfGzipped(bytes: Uint8Array, name: string): Uint8Array {
  if (!isGzip(bytes)) return bytes;
  try {
    return gunzipSync(bytes);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new DataError(name, `gzip data is corrupt or truncated (${reason}) — download it again`, { cause });
  }
}

function errorCode(cause: unknown): string {
  const code = (cause as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : cause instanceof Error ? cause.message : String(cause);
}
