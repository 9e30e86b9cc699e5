/** `npm run starter [-- --check]`: regenerate starter/ from reference/ (or check it is current). */
import { parseArgs } from 'node:util';
import { staleStarterModules, writeFromReference, STARTER_DIR } from '../instructor/starter.js';

const HELP = `Usage: npm run starter [-- --check]
  Regenerates the student stubs in starter/ from reference/ (solution blocks become stubs).
  --check  only report stale files; exit 1 when any differ`;

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ options: { check: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: false }));
  } catch (err) {
    console.error(`starter: ${(err as Error).message}. See: npm run starter -- --help`);
    return 2;
  }
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (values.check) {
    const stale = await staleStarterModules();
    if (stale.length) {
      console.error(`starter/ is out of date with reference/: ${stale.join(', ')}. Run: npm run starter`);
      return 1;
    }
    console.log('starter/ matches reference/');
    return 0;
  }
  await writeFromReference(STARTER_DIR, 'stub');
  console.log(`wrote the student stubs to ${STARTER_DIR}`);
  return 0;
}

main().then((code) => { process.exitCode = code; }, (err: unknown) => {
  console.error(`starter: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 2;
});
