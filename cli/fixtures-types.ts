/** `npm run fixtures:types`: regenerate grader/fixtures/types.generated.ts from the fixture schemas. */
import { writeFile } from 'node:fs/promises';
import { renderFixtureTypes, TYPES_FILE } from '../instructor/fixture-types.js';

renderFixtureTypes()
  .then((text) => writeFile(TYPES_FILE, text))
  .then(() => console.log(`wrote ${TYPES_FILE}`))
  .catch((err: unknown) => {
    console.error(`fixtures:types: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 2;
  });
