/**
 * Reads one file of an untrusted submission for the build, refusing anything
 * that is not a plain file of the submission's own: a link leading outside it,
 * a device, FIFO or socket (opening one can block or never end), a file with a
 * second hard link (it may be a file outside the submission), or one too large
 * to be source code.
 */
import { constants } from 'node:fs';
import { lstat, open, realpath } from 'node:fs/promises';
import path from 'node:path';

/** The largest submission file the build reads; the reference's largest module is a few KB. */
export const MAX_SOURCE_BYTES = 1024 * 1024;

export type SourceRead = { ok: true; text: string } | { ok: false; why: string };

/** True when `file` is `dir` itself or below it. */
export function inside(dir: string, file: string): boolean {
  const rel = path.relative(dir, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The text of `file` (a path inside the real path `root`), or one line saying why it is refused; never blocks on a FIFO or device. */
export async function readSourceFile(root: string, file: string): Promise<SourceRead> {
  const name = path.relative(root, file);
  let real: string;
  try {
    real = await realpath(file);
  } catch {
    return { ok: false, why: `${name}: no such file` };
  }
  if (!inside(root, real)) return { ok: false, why: `${name} is a link to a file outside the submission` };
  const own = path.relative(root, real);
  // lstat first: a device or FIFO is never opened at all
  const before = await lstat(real).catch(() => undefined);
  if (!before?.isFile()) return { ok: false, why: `${own} is not a regular file` };
  const handle = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY).catch(() => undefined);
  if (!handle) return { ok: false, why: `${own} cannot be read` };
  try {
    const info = await handle.stat();
    if (!info.isFile() || info.ino !== before.ino || info.dev !== before.dev) return { ok: false, why: `${own} is not a regular file` };
    if (info.nlink > 1) return { ok: false, why: `${own} has more than one hard link (it may be a file outside the submission); submit a plain copy` };
    if (info.size > MAX_SOURCE_BYTES) return { ok: false, why: `${own} is larger than ${MAX_SOURCE_BYTES / 1024 / 1024} MiB, too large for a source file` };
    const buffer = Buffer.alloc(MAX_SOURCE_BYTES + 1);
    let length = 0;
    for (let n = -1; n !== 0 && length < buffer.length;) {
      n = (await handle.read(buffer, length, buffer.length - length, length)).bytesRead;
      length += n;
    }
    if (length > MAX_SOURCE_BYTES) return { ok: false, why: `${own} is larger than ${MAX_SOURCE_BYTES / 1024 / 1024} MiB, too large for a source file` };
    return { ok: true, text: buffer.subarray(0, length).toString('utf8') };
  } finally {
    await handle.close();
  }
}

const SOURCE_MAP_COMMENT = /^[ \t]*(?:\/\/[#@][ \t]*sourceMappingURL=.*|\/\*[#@][ \t]*sourceMappingURL=[^]*?\*\/[ \t]*)$/gm;

/** Source text without `//# sourceMappingURL=` comments, which would make esbuild read the file they name. */
export function stripSourceMapComments(text: string): string {
  return text.replace(SOURCE_MAP_COMMENT, '');
}
