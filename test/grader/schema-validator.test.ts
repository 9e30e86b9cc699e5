/**
 * The cached schema validators (grader/schema-validator.ts): the same verdicts and error paths as
 * ajv compiling the schema, a cache file written on first use, and a corrupt or tampered cache
 * file rebuilt, never run.
 */
import { Ajv } from 'ajv';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { schemaValidator, VALIDATOR_CACHE_DIR } from '../../grader/schema-validator.js';

// a schema of this test only, so that its cache file is not shared with a grading run
const SCHEMA = JSON.stringify({
  $id: `https://bp-autograder.local/schema/test-${process.pid}-${Date.now()}.json`,
  type: 'object', required: ['lr'], additionalProperties: false,
  properties: { lr: { type: 'number', exclusiveMinimum: 0, tsType: 'number' }, name: { type: 'string', maxLength: 3 } },
});

async function cacheFiles(): Promise<string[]> {
  return (await readdir(VALIDATOR_CACHE_DIR).catch(() => [] as string[])).map((f) => path.join(VALIDATOR_CACHE_DIR, f));
}

describe('cached schema validators', () => {
  it('agree with ajv on valid and invalid values, from memory and from the cache file', async () => {
    const ajv = new Ajv();
    ajv.addKeyword('tsType');
    const reference = ajv.compile(JSON.parse(SCHEMA) as object);
    const before = new Set(await cacheFiles());
    const first = await schemaValidator(SCHEMA);
    const written = (await cacheFiles()).filter((f) => !before.has(f));
    expect(written).toHaveLength(1);
    const second = await schemaValidator(SCHEMA);
    try {
      for (const value of [{ lr: 0.1 }, { lr: 0 }, { lr: 'x' }, {}, { lr: 1, name: 'long' }, { lr: 1, extra: true }, null]) {
        for (const validate of [first, second]) {
          expect(validate(value), JSON.stringify(value)).toBe(reference(value));
          expect(validate.errors?.[0]?.instancePath).toBe(reference.errors?.[0]?.instancePath);
          expect(validate.errors?.[0]?.keyword).toBe(reference.errors?.[0]?.keyword);
        }
      }
    } finally {
      await rm(written[0], { force: true });
    }
  });

  it('rebuilds a cache file whose code does not match its hash, and never runs that code', async () => {
    const before = new Set(await cacheFiles());
    await schemaValidator(SCHEMA);
    const [file] = (await cacheFiles()).filter((f) => !before.has(f));
    try {
      const text = await readFile(file, 'utf8');
      // tampered: accepts everything, and would say so
      await writeFile(file, text.replace(/\n[^]*$/, '\nglobalThis.__tamperedValidatorRan = true; module.exports = () => true;'));
      const validate = await schemaValidator(SCHEMA);
      expect(validate({})).toBe(false);
      expect((globalThis as { __tamperedValidatorRan?: boolean }).__tamperedValidatorRan).toBeUndefined();
      expect(await readFile(file, 'utf8')).toBe(text);
      // truncated
      await writeFile(file, text.slice(0, 50));
      expect((await schemaValidator(SCHEMA))({ lr: 1 })).toBe(true);
      expect(await readFile(file, 'utf8')).toBe(text);
    } finally {
      await rm(file, { force: true });
    }
  });
});
