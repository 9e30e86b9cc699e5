/**
 * Issue 10: zips of submissions are unpacked with zip-slip, symlink, encrypted,
 * entry-count and size (bomb) entries refused, checked on archives the tests
 * build with fflate (including one whose headers lie about the inflated size).
 */
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { zipSync, type Zippable } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { unpackZip, ZipRefusedError } from '../../batch/zip.js';

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function scratch(): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), 'zip-test-'));
  dirs.push(d);
  return d;
}

/** Writes a zip of `files` and returns its path and a destination that does not exist yet. */
async function archive(files: Zippable, patch?: (bytes: Uint8Array) => void): Promise<{ zip: string; dest: string }> {
  const dir = await scratch();
  const bytes = zipSync(files);
  patch?.(bytes);
  const zip = path.join(dir, 'upload.zip');
  await writeFile(zip, bytes);
  return { zip, dest: path.join(dir, 'out') };
}

const text = (s: string) => new TextEncoder().encode(s);

describe('unpackZip', () => {
  it('unpacks folders and files, and skips macOS metadata', async () => {
    const { zip, dest } = await archive({
      'alice/layers.ts': text('export const a = 1;\n'),
      'alice/sub/config.json': text('{}'),
      '__MACOSX/alice/._layers.ts': text('x'),
      'alice/._train.ts': text('x'),
    });
    const r = await unpackZip(zip, dest);
    expect(r.files).toBe(2);
    expect(r.skipped.sort()).toEqual(['__MACOSX/alice/._layers.ts', 'alice/._train.ts']);
    expect(await readFile(path.join(dest, 'alice/layers.ts'), 'utf8')).toBe('export const a = 1;\n');
    expect((await readdir(dest)).sort()).toEqual(['alice']);
  });

  it.each([['../evil.ts'], ['a/../../evil.ts'], ['/etc/evil.ts']])('refuses a name that leaves the folder: %s', async (name) => {
    const { zip, dest } = await archive({ [name]: text('pwned') });
    await expect(unpackZip(zip, dest)).rejects.toBeInstanceOf(ZipRefusedError);
    await expect(readFile(path.join(path.dirname(dest), 'evil.ts'))).rejects.toThrow();
  });

  it('refuses a symbolic link entry', async () => {
    const { zip, dest } = await archive({ 'bob/layers.ts': [text('/etc/passwd'), { os: 3, attrs: (0o120777 << 16) >>> 0 }] });
    await expect(unpackZip(zip, dest)).rejects.toThrow(/bob\/layers.ts is a symbolic link/);
  });

  it('refuses too many entries before unpacking anything', async () => {
    const files: Zippable = {};
    for (let i = 0; i < 30; i++) files[`f${i}.ts`] = text('1');
    const { zip, dest } = await archive(files);
    await expect(unpackZip(zip, dest, { maxEntries: 20, maxTotalBytes: 1e6 })).rejects.toThrow(/30 entries, more than the 20 accepted/);
    await expect(readdir(dest)).rejects.toThrow();
  });

  it('refuses an archive that inflates past the byte cap', async () => {
    const { zip, dest } = await archive({ 'bomb.ts': new Uint8Array(4_000_000) });
    await expect(unpackZip(zip, dest, { maxEntries: 10, maxTotalBytes: 1_000_000 })).rejects.toThrow(/more than 1000000 bytes/);
  });

  it('refuses an archive whose headers understate the inflated size', async () => {
    const { zip, dest } = await archive({ 'bomb.ts': new Uint8Array(4_000_000) }, (bytes) => {
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      for (let i = 0; i + 4 <= bytes.length; i++) {
        const sig = view.getUint32(i, true);
        if (sig === 0x04034b50) view.setUint32(i + 22, 10, true); // local header: uncompressed size
        if (sig === 0x02014b50) view.setUint32(i + 24, 10, true); // central directory: uncompressed size
      }
    });
    await expect(unpackZip(zip, dest, { maxEntries: 10, maxTotalBytes: 1_000_000 })).rejects.toBeInstanceOf(ZipRefusedError);
  });

  it('says in one line when the file is not a zip', async () => {
    const dir = await scratch();
    const file = path.join(dir, 'notes.zip');
    await writeFile(file, 'hello');
    await expect(unpackZip(file, path.join(dir, 'out'))).rejects.toThrow(/^notes.zip: not a zip file this grader can read/);
  });
});
