/**
 * `--write-config`: puts the best setting into the student's config.json under
 * the data set's key. The other keys and the `$schema` line stay as they are,
 * the result is checked against the config schema first, and the file is
 * replaced by a rename, so an error never leaves the user's file half-written.
 */
import { readFile } from 'node:fs/promises';
import { writeAtomic } from '../common/write-atomic.js';
import path from 'node:path';
import { CONFIG_SCHEMA, configProblem } from '../grader/config.js';
import type { StudentConfig } from '../grader/fixtures/types.generated.js';
import type { DatasetName, Setting } from './space.js';

/** JSON with 2-space indents and arrays of numbers on one line ("hidden": [20, 20]), the style of the starter's config.json. */
export function formatConfig(config: StudentConfig): string {
  const text = JSON.stringify(config, null, 2).replace(/\[\n\s*([-\d.eE+,\s]*?)\n\s*\]/g, (_m, inner: string) => `[${inner.split(/,\s*/).join(', ')}]`);
  return `${text}\n`;
}

/** The current config (an empty one pointing at the schema when the file does not exist yet). */
async function readConfig(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return { $schema: path.relative(path.dirname(path.resolve(file)), CONFIG_SCHEMA).split(path.sep).join('/') };
    throw new Error(`${file}: cannot read it (${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}); nothing was written`, { cause });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new Error(`${file} is not valid JSON (${(cause as Error).message}): fix it first; nothing was written`, { cause });
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${file} must hold a JSON object: fix it first; nothing was written`);
  return value as Record<string, unknown>;
}

/**
 * Sets `config[key] = setting` in `file` and returns the new text. Throws a
 * one-line Error (and leaves the file untouched) when the file is not JSON or
 * the result does not match the schema.
 */
export async function writeConfigSetting(file: string, key: DatasetName, setting: Setting): Promise<string> {
  const config = await readConfig(file);
  config[key] = setting;
  const problem = await configProblem(config);
  if (problem) throw new Error(`${file} would not match the config schema ${problem}; fix the file first, nothing was written`);
  const text = formatConfig(config as StudentConfig);
  try {
    await writeAtomic(file, text);
  } catch (cause) {
    throw new Error(`cannot write ${file} (${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}); it was left as it was`, { cause });
  }
  return text;
}
