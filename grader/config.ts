/**
 * Reads the student's config.json (their hyperparameters for the training
 * parts) and checks it against its schema, so a typo is one clear line.
 */
import { lstat, readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_FIXTURES_DIR } from './fixtures/load.js';
import { schemaErrorLine } from './schema-errors.js';
import { schemaValidator, type SchemaValidator } from './schema-validator.js';
import type { StudentConfig } from './fixtures/types.generated.js';

export const CONFIG_FILE = 'config.json';

/** The schema config.json is checked against. */
export const CONFIG_SCHEMA = path.join(DEFAULT_FIXTURES_DIR, 'schema', 'config.schema.json');

let validator: Promise<SchemaValidator> | undefined;

function configValidator(): Promise<SchemaValidator> {
  validator ??= readFile(CONFIG_SCHEMA, 'utf8').then(schemaValidator);
  return validator;
}

/** Why a value is not a valid config, as "at moons.lr: must be > 0", or null when it is valid. */
export async function configProblem(value: unknown): Promise<string | null> {
  const validate = await configValidator();
  return validate(value) ? null : schemaErrorLine(validate.errors);
}

/** Larger than any sensible config file; stops a link to a huge or endless file from being read. */
const MAX_CONFIG_BYTES = 64 * 1024;

/**
 * Loads and validates `<dir>/config.json`; throws an Error with a one-line message.
 * The grader reads this file itself, outside the sandbox, so it must be a small regular
 * file inside the submission, and its content is never echoed back.
 */
export async function readStudentConfig(dir: string): Promise<StudentConfig> {
  const file = path.join(dir, CONFIG_FILE);
  const info = await lstat(file).catch(() => null);
  if (!info) throw new Error(`${CONFIG_FILE} is missing from the submission: copy it from the starter kit and set your hyperparameters`);
  const inside = await realpath(file).then((real) => real.startsWith(path.resolve(dir) + path.sep), () => false);
  if (!info.isFile() || !inside) throw new Error(`${CONFIG_FILE} must be a plain file in the submission folder (not a link, folder or device)`);
  if (info.size > MAX_CONFIG_BYTES) throw new Error(`${CONFIG_FILE} is ${info.size} bytes; a config file is a few hundred`);
  const text = await readFile(file, 'utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new Error(`${CONFIG_FILE} is not valid JSON${jsonErrorPosition(text, cause)}: check for a missing comma or quote`, { cause });
  }
  const problem = await configProblem(value);
  if (problem) throw new Error(`${CONFIG_FILE} ${problem}`);
  return value as StudentConfig;
}

/** " (line L, column C)" from a JSON.parse error, without quoting the file's text. */
function jsonErrorPosition(text: string, cause: unknown): string {
  const at = /position (\d+)/.exec((cause as Error).message);
  if (!at) return '';
  const before = text.slice(0, Number(at[1]));
  const line = before.split('\n').length;
  return ` (line ${line}, column ${before.length - before.lastIndexOf('\n')})`;
}
