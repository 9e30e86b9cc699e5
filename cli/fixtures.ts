/** `npm run fixtures [-- --seed S --out DIR --hidden --student ID --part ID]`: build the fixtures from the reference. */
import { parseArgs } from 'node:util';
import path from 'node:path';
import { reportFailure } from '../common/flags.js';
import { importReference } from './import-reference.js';
import { DEFAULT_FIXTURES_DIR } from '../grader/fixtures/load.js';

const HELP = `Usage: npm run fixtures -- [options]

Builds every fixture file from the reference solution (same seed, same bytes).

Options:
  --out DIR           where to write (default: fixtures/)
  --seed S            public seed (default: public-2026)
  --hidden            hidden fixtures: the seed is a secret, read from the environment
                      variable GRADER_SECRET (or --secret-env NAME) and never written out;
                      parts become visibility "hidden"
  --secret-env NAME   environment variable holding the secret (default GRADER_SECRET)
  --student ID        with --hidden: derive this student's own seed from the secret and ID
  --part ID           only this part (repeatable)
  --cifar10 PATH      CIFAR-10 binary version: derive that part's bar from a reference run
                      (without it the bar is a fixed 0.40)
  --help              this text`;

async function main(): Promise<number> {
  const { buildFixtures, PUBLIC_SEED, studentSeed, writeFixtures } = await importReference(
    () => import('../instructor/fixtures/build.js'),
    'npm run fixtures builds the fixtures from the reference solution, which the student kit does not include',
  );
  let args;
  try {
    args = parseArgs({
      options: {
        out: { type: 'string' }, seed: { type: 'string' }, hidden: { type: 'boolean' }, 'secret-env': { type: 'string' },
        student: { type: 'string' }, cifar10: { type: 'string' }, part: { type: 'string', multiple: true }, help: { type: 'boolean' },
      },
      allowPositionals: false,
    }).values;
  } catch (err) {
    console.error(`fixtures: ${(err as Error).message}. See: npm run fixtures -- --help`);
    return 2;
  }
  if (args.help) {
    console.log(HELP);
    return 0;
  }
  let seed = args.seed ?? PUBLIC_SEED;
  if (args.hidden) {
    const envName = args['secret-env'] ?? 'GRADER_SECRET';
    const secret = process.env[envName];
    if (!secret) {
      console.error(`fixtures: --hidden needs the secret seed in the environment variable ${envName} (it is never passed on the command line, so it stays out of shell history)`);
      return 2;
    }
    if (args.seed) console.error('fixtures: --seed is ignored with --hidden; the secret is the seed');
    seed = args.student ? studentSeed(secret, args.student) : secret;
    if (!args.out) {
      console.error('fixtures: --hidden needs --out DIR, so hidden fixtures never overwrite the public ones in fixtures/');
      return 2;
    }
  } else if (args.student) {
    console.error('fixtures: --student only makes sense with --hidden');
    return 2;
  }
  const out = path.resolve(args.out ?? DEFAULT_FIXTURES_DIR);
  const started = Date.now();
  const built = await buildFixtures({ seed, hidden: args.hidden ?? false, parts: args.part, cifar10Path: args.cifar10, log: (line) => console.error(`  ${line}`) });
  await writeFixtures(out, built);
  console.log(`wrote ${built.files.size} parts (${built.manifest.totalPoints} points) and manifest.json to ${out} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return 0;
}

main().then((code) => { process.exitCode = code; }, (err: unknown) => {
  process.exitCode = Math.max(2, reportFailure('fixtures', err));
});
