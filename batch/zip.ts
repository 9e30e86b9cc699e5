/**
 * Unpacks a zip of submissions (an LMS export, or one student's upload) into a
 * fresh folder, refusing what a hostile archive uses against an unpacker:
 * names that leave the folder (zip-slip), symbolic links, encrypted entries,
 * too many entries and too many bytes (a zip bomb, counted as the data is
 * inflated, not as the archive claims). yauzl reads the archive; it also
 * checks each entry's inflated size against its header.
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl, { type Entry } from 'yauzl';

/** Caps on what one archive may unpack to. */
export interface ZipLimits {
  /** Entries (files and folders) in the archive. */
  maxEntries: number;
  /** Bytes of all files together, once inflated. */
  maxTotalBytes: number;
}

/** Generous for a class's export (300 students x a dozen small files), far below what would hurt the machine. */
export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntries: 50_000, maxTotalBytes: 2 * 1024 ** 3 };

/** An archive the grader will not unpack, with the reason in one line. */
export class ZipRefusedError extends Error {
  override name = 'ZipRefusedError';
}

/** What was unpacked. */
export interface Unpacked { files: number; bytes: number; skipped: string[] }

/** File type bits of a Unix mode, as zip tools store it in the upper half of the external attributes. */
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

/** macOS adds resource forks (`__MACOSX/`, `._name`) that are not the student's files. */
function isMacMetadata(name: string): boolean {
  return name.startsWith('__MACOSX/') || path.posix.basename(name).startsWith('._');
}

/** Why an entry may not be unpacked, or undefined. */
function entryProblem(entry: Entry, dest: string): string | undefined {
  const name = entry.fileName;
  if (((entry.externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK) return `${name} is a symbolic link`;
  if (entry.isEncrypted()) return `${name} is encrypted`;
  const target = path.resolve(dest, name);
  if (target !== dest && !target.startsWith(dest + path.sep)) return `${name} would be written outside the folder`;
  return undefined;
}

/** Passes bytes through, failing once the archive's running total passes the cap. */
function byteCounter(count: { bytes: number }, limit: number, archive: string): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      count.bytes += chunk.length;
      if (count.bytes > limit) done(new ZipRefusedError(`${archive}: unpacks to more than ${limit} bytes (a zip bomb?); not unpacked`));
      else done(null, chunk);
    },
  });
}

/**
 * Unpacks `archive` into `dest` (created; it must not exist yet). Throws a
 * ZipRefusedError naming the archive and the entry for anything refused; what
 * was written before the refusal stays in `dest` for the caller to remove.
 */
export async function unpackZip(archive: string, dest: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<Unpacked> {
  const label = path.basename(archive);
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(archive, { strictFileNames: true, validateEntrySizes: true });
  } catch (cause) {
    throw new ZipRefusedError(`${label}: not a zip file this grader can read (${(cause as Error).message})`, { cause });
  }
  if (zip.entryCount > limits.maxEntries) {
    zip.close();
    throw new ZipRefusedError(`${label}: ${zip.entryCount} entries, more than the ${limits.maxEntries} accepted; not unpacked`);
  }
  await mkdir(dest);
  const root = path.resolve(dest);
  const count = { bytes: 0 };
  const result: Unpacked = { files: 0, bytes: 0, skipped: [] };
  try {
    for await (const entry of zip.eachEntry()) {
      if (isMacMetadata(entry.fileName)) {
        result.skipped.push(entry.fileName);
        continue;
      }
      const problem = entryProblem(entry, root);
      if (problem) throw new ZipRefusedError(`${label}: ${problem}; not unpacked`);
      const target = path.resolve(root, entry.fileName);
      if (entry.fileName.endsWith('/')) {
        await mkdir(target, { recursive: true });
        continue;
      }
      if (count.bytes + entry.uncompressedSize > limits.maxTotalBytes) {
        throw new ZipRefusedError(`${label}: unpacks to more than ${limits.maxTotalBytes} bytes (a zip bomb?); not unpacked`);
      }
      await mkdir(path.dirname(target), { recursive: true });
      const stream = await zip.openReadStreamPromise(entry);
      // 'wx': never overwrite, so two entries of one name cannot replace each other's content
      await pipeline(stream, byteCounter(count, limits.maxTotalBytes, label), createWriteStream(target, { flags: 'wx', mode: 0o644 }));
      result.files++;
    }
  } catch (cause) {
    if (cause instanceof ZipRefusedError) throw cause;
    throw new ZipRefusedError(`${label}: ${(cause as Error).message}; not unpacked`, { cause });
  } finally {
    zip.close();
  }
  result.bytes = count.bytes;
  return result;
}
