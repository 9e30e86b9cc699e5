// @ts-check
/**
 * `node bin/run-command.mjs NAME [args]`: runs the command cli/NAME.ts from its precompiled
 * JavaScript in dist/ (no tsx loader: about a second less of start-up), rebuilding it first when
 * a source changed (scripts/build-commands.mjs). A build that fails is one line and exit code 2.
 */
// the SIGUSR1 guard of cli/inspector-guard.ts, before anything else runs (a rebuild takes a while);
// the built command installs its own as its first import
process.on('SIGUSR1', () => { /* ignored on purpose: see cli/inspector-guard.ts */ });

const { ensureBuilt, CommandBuildError } = await import('../scripts/build-commands.mjs');
const name = process.argv[2] ?? '';
process.argv.splice(2, 1);
let built;
try {
  built = await ensureBuilt(name);
} catch (err) {
  const message = err instanceof CommandBuildError ? err.message : `cannot build the command: ${err instanceof Error ? err.message : String(err)}`;
  process.stderr.write(`${name || 'run-command'}: ${message}\n`);
  process.exit(2);
}
await import(new URL(`file://${built}`).href);
