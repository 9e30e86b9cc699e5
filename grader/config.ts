/**
 * Reads the student's config.json (their hyperparameters for the training
 * parts) and checks it against its schema, so a typo is one clear line.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { DEFAULT_FIXTURES_DIR } from './fixtures/load.js';
import type { StudentConfig } from './fixtures/types.generated.js';

export const CONFIG_FILE = 'config.json';

let validator: Promise<ValidateFunction> | undefined;

function configValidator(): Promise<ValidateFunction> {
  validator ??= readFile(path.join(DEFAULT_FIXTURES_DIR, 'schema', 'config.schema.json'), 'utf8').then((text) => {
    const ajv = new Ajv();
    ajv.addKeyword('tsType');
    return ajv.compile(JSON.parse(text) as object);
  });
  return validator;
}

/** Loads and validates `<dir>/config.json`; throws an Error with a one-line message. */
export async function readStudentConfig(dir: string): Promise<StudentConfig> {
  const file = path.join(dir, CONFIG_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new Error(`${CONFIG_FILE} is missing from the submission: copy it from the starter kit and set your hyperparameters`, { cause });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new Error(`${CONFIG_FILE} is not valid JSON: ${(cause as Error).message}`, { cause });
  }
  const validate = await configValidator();
  if (!validate(value)) {
    const e = validate.errors?.[0];
    const where = e?.instancePath ? e.instancePath.replace(/^\//, '').replaceAll('/', '.') : '(top level)';
    const extra = e?.params && 'allowedValues' in e.params ? `: ${(e.params.allowedValues as unknown[]).join(', ')}` : '';
    throw new Error(`${CONFIG_FILE} at ${where}: ${e?.message ?? 'invalid'}${extra}`);
  }
  return value as StudentConfig;
}
