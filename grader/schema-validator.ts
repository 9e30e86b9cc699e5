/**
 * JSON Schema validators without compiling the schema at every start: ajv's compile takes a few
 * hundred milliseconds, more than the rest of a short grade. The first run writes ajv's standalone
 * code for the schema to dist/cache/validators/ (git-ignored), named by the hash of the schema text,
 * ajv's version and the options; later runs evaluate that code. The file carries the sha256 of its
 * code and is used only when it matches, so a corrupt cache is rebuilt and never trusted; when the
 * folder cannot be written, the schema is compiled in memory as before.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { writeAtomic } from '../common/write-atomic.js';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ErrorObject } from 'ajv';
import { ROOT } from './root.js';

/** What a compiled schema is used as: call it, then read `errors` when it returned false. */
export interface SchemaValidator {
  (value: unknown): boolean;
  errors?: ErrorObject[] | null;
}

/** Where the generated validators are kept. */
export const VALIDATOR_CACHE_DIR = path.join(ROOT, 'dist', 'cache', 'validators');
const AJV_OPTIONS = { allErrors: false, code: { source: true } } as const;
const HASH_LINE = /^\/\/ sha256:([0-9a-f]{64})\n/;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The validator of a schema (its JSON text), from the cache when a good copy is there. */
export async function schemaValidator(schemaText: string): Promise<SchemaValidator> {
  const requireFromRoot = createRequire(path.join(ROOT, 'package.json'));
  const ajvVersion = (requireFromRoot('ajv/package.json') as { version: string }).version;
  const file = path.join(VALIDATOR_CACHE_DIR, `${sha256(JSON.stringify([ajvVersion, AJV_OPTIONS, schemaText]))}.cjs`);
  const cached = await readFile(file, 'utf8').catch(() => undefined);
  const match = cached === undefined ? null : HASH_LINE.exec(cached);
  if (cached !== undefined && match) {
    const code = cached.slice(match[0].length);
    if (sha256(code) === match[1]) return evaluate(code, requireFromRoot);
  }
  const code = await standaloneCode(schemaText);
  try {
    await mkdir(VALIDATOR_CACHE_DIR, { recursive: true });
    await writeAtomic(file, `// sha256:${sha256(code)}\n${code}`);
  } catch {
    // a read-only install: the validator works from memory all the same
  }
  return evaluate(code, requireFromRoot);
}

/** ajv's standalone (CommonJS) code of the schema; ajv itself is loaded only here. */
async function standaloneCode(schemaText: string): Promise<string> {
  const [{ Ajv }, standalone] = await Promise.all([import('ajv'), import('ajv/dist/standalone/index.js')]);
  const ajv = new Ajv(AJV_OPTIONS);
  ajv.addKeyword('tsType');
  // a CommonJS module whose exports are the function, which also is its own `default`
  return standalone.default.default(ajv, ajv.compile(JSON.parse(schemaText) as object));
}

/** Runs standalone code as a CommonJS module whose `require` resolves from the project (ajv's runtime helpers). */
function evaluate(code: string, requireFromRoot: NodeJS.Require): SchemaValidator {
  const module = { exports: {} as unknown };
  new Function('module', 'exports', 'require', code)(module, module.exports, requireFromRoot);
  return module.exports as SchemaValidator;
}
