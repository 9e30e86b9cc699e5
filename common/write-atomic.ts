/** Writes a file whole or not at all, so a reader (or a run killed mid-write) never sees half of it. */
import { randomUUID } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';

/** Writes `text` to a temp file beside `file` (named `*.tmp`, unique per writer) and renames it into place. */
export async function writeAtomic(file: string, text: string): Promise<void> {
  const temp = `${file}.${process.pid}.${randomUUID()}.tmp`;
  try {
    await writeFile(temp, text);
    await rename(temp, file);
  } catch (cause) {
    await rm(temp, { force: true });
    throw cause;
  }
}
