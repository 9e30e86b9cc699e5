/** `npm run fixtures:types [-- --check]`: regenerate grader/fixtures/types.generated.ts from the fixture schemas (or check it is current). */
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { renderFixtureTypes, TYPES_FILE } from '../instructor/fixture-types.js';

const HELP = `Usage: npm run fixtures:types [-- --check]
  Regenerates grader/fixtures/types.generated.ts from fixtures/schema/*.schema.json
  (json-schema-to-typescript); never edit that file by hand.
  --check  only report whether it is current; exit 1 when it is stale`;

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ options: { check: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: false }));
  } catch (err) {
    console.error(`fixtures:types: ${(err as Error).message}. See: npm run fixtures:types -- --help`);
    return 2;
  }
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const text = await renderFixtureTypes();
  if (values.check) {
    const current = await readFile(TYPES_FILE, 'utf8').catch(() => '');
    if (current !== text) {
      console.error(`${TYPES_FILE} is stale: the schemas changed. Run: npm run fixtures:types`);
      return 1;
    }
    console.log(`${TYPES_FILE} matches the schemas`);
    return 0;
  }
  await writeFile(TYPES_FILE, text);
  console.log(`wrote ${TYPES_FILE}`);
  return 0;
}

main().then((code) => { process.exitCode = code; }, (err: unknown) => {
  console.error(`fixtures:types: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 2;
});
