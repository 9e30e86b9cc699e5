/** `npm run starter [-- --check]`: regenerate starter/ from reference/ (or check it is current). */
import { staleStarterModules, writeFromReference, STARTER_DIR } from '../instructor/starter.js';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes('--help')) {
    console.log('Usage: npm run starter [-- --check]\n  Regenerates the student stubs in starter/ from reference/ (solution blocks become stubs).\n  --check  only report stale files; exit 1 when any differ');
    return 0;
  }
  if (args.includes('--check')) {
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
