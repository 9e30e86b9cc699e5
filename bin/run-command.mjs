// @ts-check
/**
 * `node bin/run-command.mjs NAME [args]`: runs the command cli/NAME.ts from its precompiled
 * JavaScript in dist/ (no tsx loader: about a second less of start-up), rebuilding it first when
 * a source changed (scripts/build-commands.mjs). A build that fails is one line and exit code 2.
 */
// the SIGUSR1 guard of cli/inspector-guard.ts, before anything else runs (a rebuild takes a while);
// the built command installs its own as its first import
process.on('SIGUSR1', () => { /* ignored on purpose: see cli/inspector-guard.ts */ });

// Node 22.1+ keeps V8's compiled code of what is loaded next in dist/cache/v8 (about 20 ms less per
// start); Node 20 has no such cache and starts as before
const { fileURLToPath, pathToFileURL } = await import('node:url');
const { enableCompileCache } = /** @type {{ enableCompileCache?: (dir: string) => unknown }} */ (await import('node:module'));
if (typeof enableCompileCache === 'function') enableCompileCache(fileURLToPath(new URL('../dist/cache/v8', import.meta.url)));

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
await import(pathToFileURL(built).href);
