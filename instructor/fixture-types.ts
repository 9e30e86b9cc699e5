/**
 * Renders the TypeScript types of the fixture files from their JSON Schemas
 * (json-schema-to-typescript), so the types can never be edited by hand.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { compile, type JSONSchema } from 'json-schema-to-typescript';
import { ROOT } from '../grader/root.js';

export const SCHEMA_DIR = path.join(ROOT, 'fixtures', 'schema');
export const TYPES_FILE = path.join(ROOT, 'grader', 'fixtures', 'types.generated.ts');
const SCHEMAS = ['part.schema.json', 'manifest.schema.json', 'config.schema.json'];

const BANNER = `/**
 * GENERATED FILE: do not edit. Made by \`npm run fixtures:types\` from fixtures/schema/*.json;
 * a test fails when it is out of date.
 */
/* eslint-disable */`;

/** The text types.generated.ts should have. */
export async function renderFixtureTypes(): Promise<string> {
  const parts: string[] = [BANNER];
  for (const file of SCHEMAS) {
    const schema = JSON.parse(await readFile(path.join(SCHEMA_DIR, file), 'utf8')) as JSONSchema;
    const ts = await compile(schema, schema.title ?? file, {
      bannerComment: '',
      additionalProperties: false,
      declareExternallyReferenced: true,
      format: true,
      style: { singleQuote: true, printWidth: 110 },
      cwd: SCHEMA_DIR,
    });
    parts.push(ts.trim());
  }
  return parts.join('\n\n') + '\n';
}
