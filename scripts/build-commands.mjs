// @ts-check
/**
 * The commands of cli/ precompiled to plain JavaScript in dist/ (git-ignored), so that they start
 * without the tsx loader. Plain JavaScript itself: bin/run-command.mjs loads it before anything is
 * built. A built command is used only while every source it was built from still has the hash
 * recorded at build time (and the files that were absent then are still absent); otherwise it is
 * rebuilt before it runs, so a pulled update never runs stale code.
 */
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync, mkdirSync, readdirSync, rmSync, statSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository root (this file is in scripts/). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Where the built commands and their stamps live. */
export const DIST = path.join(ROOT, 'dist');
/** The commands that can be built: one entry point `cli/<name>.ts` each. */
export const COMMANDS = ['grade', 'grade-batch', 'train', 'tune', 'fixtures', 'fixtures-types', 'starter', 'bench', 'release', 'autograder'];
/**
 * Packages left as imports of node_modules in the built commands: the instructors' tools, and ajv,
 * which only a validator cache miss loads (grader/schema-validator.ts): bundled, its 260 kB were
 * compiled at every start of every command.
 */
const UNBUNDLED_PACKAGES = ['ajv', 'esbuild', 'json-schema-to-typescript', 'tsx', 'typescript', 'vitest', 'wabt'];
/** How long a superseded build is kept for a process that read its stamp just before the rebuild. */
const KEEP_OLD_BUILD_MS = 60_000;

/** A build that could not be made; its message is one line that says what to do. */
export class CommandBuildError extends Error {
  /** @param {string} message @param {{ cause?: unknown }} [options] */
  constructor(message, options) {
    super(message, options);
    this.name = 'CommandBuildError';
  }
}

/** sha256 of a file's bytes, or undefined when it cannot be read. */
function hashOf(/** @type {string} */ file) {
  try {
    return createHash('sha256').update(readFileSync(file)).digest('hex');
  } catch {
    return undefined;
  }
}

/** The stamp file of a command: which built file is current and what it was built from. */
function stampPath(/** @type {string} */ name) {
  return path.join(DIST, `${name}.json`);
}

/**
 * The current built file of `name`, or undefined when there is none or it is stale: the esbuild
 * version or this builder changed, a source's hash differs, or a file that was absent now exists.
 * @param {string} name
 * @returns {string | undefined}
 */
export function freshBuild(name) {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(stampPath(name), 'utf8'));
  } catch {
    return undefined;
  }
  if (stamp.builder !== hashOf(fileURLToPath(import.meta.url))) return undefined;
  if (stamp.esbuild !== esbuildVersion()) return undefined;
  for (const [file, hash] of Object.entries(stamp.inputs)) if (hashOf(path.join(ROOT, file)) !== hash) return undefined;
  for (const file of stamp.absent) if (existsSync(path.join(ROOT, file))) return undefined;
  const built = path.join(DIST, stamp.file);
  return existsSync(built) ? built : undefined;
}

/** The installed esbuild's version, read from its package.json (cheaper than loading esbuild). */
function esbuildVersion() {
  try {
    return JSON.parse(readFileSync(path.join(ROOT, 'node_modules', 'esbuild', 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

/**
 * Builds `cli/<name>.ts` into `dist/<name>.<id>.mjs` and records its stamp; returns the built file.
 * Throws a CommandBuildError with one line when it cannot.
 * @param {string} name
 * @returns {Promise<string>}
 */
export async function buildCommand(name) {
  if (!COMMANDS.includes(name)) throw new CommandBuildError(`no command named "${name}" (commands: ${COMMANDS.join(', ')})`);
  /** @type {typeof import('esbuild')} */
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch (cause) {
    throw new CommandBuildError('esbuild is not installed: run npm ci in the project first', { cause });
  }
  try {
    mkdirSync(DIST, { recursive: true });
  } catch (cause) {
    throw new CommandBuildError(`cannot write the built commands to ${DIST} (${/** @type {NodeJS.ErrnoException} */ (cause).code ?? 'error'}): run npm run build once as the owner of the project folder`, { cause });
  }
  const id = `${Date.now().toString(36)}-${process.pid}`;
  const file = `${name}.${id}.mjs`;
  /** @type {Record<string, string>} */
  const inputs = {};
  /** @type {Set<string>} */
  const absent = new Set();
  try {
    await esbuild.build({
      entryPoints: [path.join(ROOT, 'cli', `${name}.ts`)],
      outfile: path.join(DIST, file),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      // the packages are bundled too (loading dozens of small files costs more than the work of a
      // short command); esbuild stays a package (its binary is found from it), as do the ones only
      // instructors' commands use
      external: UNBUNDLED_PACKAGES,
      banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
      absWorkingDir: ROOT,
      logLevel: 'silent',
      plugins: [ownSources(inputs, absent)],
    });
  } catch (cause) {
    throw new CommandBuildError(`cannot build the ${name} command from its TypeScript sources: ${firstMessage(cause)}; fix that file (git status shows what changed) and run the command again`, { cause });
  }
  const stamp = { file, builder: hashOf(fileURLToPath(import.meta.url)), esbuild: esbuildVersion(), inputs, absent: [...absent].sort() };
  const temp = `${stampPath(name)}.${id}`;
  writeFileSync(temp, JSON.stringify(stamp, null, 1));
  renameSync(temp, stampPath(name));
  removeOldBuilds(name, file);
  return path.join(DIST, file);
}

/** The built file of `name`, rebuilt first when it is missing or stale. */
export async function ensureBuilt(/** @type {string} */ name) {
  return freshBuild(name) ?? buildCommand(name);
}

/**
 * The plugin that sees every file esbuild loads: it records the hash of each file of ours (for code, of
 * the exact text it hands over; for a package's file, of the package's package.json)
 * and rewrites `import.meta.url` in our code to the URL of the source file (paths such as
 * grader/root.ts's ROOT and bundle.ts's child.ts are found from it). A dynamic import of a
 * reference/ or instructor/ file that does not exist (the student kit) stays an import of that
 * path, so the command reports it as it does when run from source, and is recorded as absent.
 * @param {Record<string, string>} inputs
 * @param {Set<string>} absent
 * @returns {import('esbuild').Plugin}
 */
function ownSources(inputs, absent) {
  const outDir = DIST;
  return {
    name: 'own-sources',
    setup(build) {
      build.onResolve({ filter: /^\.\.?\// }, (args) => {
        if (args.kind !== 'dynamic-import') return undefined;
        const target = path.resolve(args.resolveDir, args.path);
        const source = target.replace(/\.js$/, '.ts');
        if (existsSync(source) || existsSync(target)) return undefined;
        const relative = path.relative(ROOT, source);
        if (!/^(reference|instructor)\//.test(relative)) return undefined;
        absent.add(relative);
        return { path: pathRelativeTo(outDir, target), external: true };
      });
      build.onLoad({ filter: /.*/, namespace: 'file' }, (args) => {
        const inPackage = /^(.*[\\/]node_modules[\\/](?:@[^\\/]+[\\/])?[^\\/]+)[\\/]/.exec(args.path);
        if (inPackage) {
          // a package's files stand or fall with its package.json (its version)
          const manifest = path.join(inPackage[1], 'package.json');
          inputs[path.relative(ROOT, manifest)] ??= /** @type {string} */ (hashOf(manifest));
          return undefined;
        }
        const bytes = readFileSync(args.path);
        inputs[path.relative(ROOT, args.path)] = createHash('sha256').update(bytes).digest('hex');
        // every file of ours is hashed; only code has an import.meta.url to rewrite
        if (!/\.[mc]?[jt]s$/.test(args.path)) return undefined;
        const sourceUrl = `new URL(${JSON.stringify(pathRelativeTo(outDir, args.path))}, import.meta.url).href`;
        const contents = bytes.toString('utf8').replace(/\bimport\.meta\.url\b/g, sourceUrl);
        return { contents, loader: /\.[mc]?ts$/.test(args.path) ? 'ts' : 'js' };
      });
    },
  };
}

/** A relative import specifier from `dir` to `file`, with forward slashes. */
function pathRelativeTo(/** @type {string} */ dir, /** @type {string} */ file) {
  const relative = path.relative(dir, file).split(path.sep).join('/');
  return relative.startsWith('.') ? relative : `./${relative}`;
}

/** esbuild's first error as `file:line: text`, or the error's own message. */
function firstMessage(/** @type {unknown} */ err) {
  const errors = /** @type {{ errors?: import('esbuild').Message[] }} */ (err).errors;
  const first = errors?.[0];
  if (!first) return err instanceof Error ? err.message.split('\n')[0] : String(err);
  return first.location ? `${first.location.file}:${first.location.line}: ${first.text}` : first.text;
}

/** Removes the superseded builds of `name` that are older than a minute. */
function removeOldBuilds(/** @type {string} */ name, /** @type {string} */ current) {
  const now = Date.now();
  for (const entry of readdirSync(DIST)) {
    if (entry === current || !entry.startsWith(`${name}.`) || !entry.endsWith('.mjs')) continue;
    const full = path.join(DIST, entry);
    try {
      if (now - statSync(full).mtimeMs > KEEP_OLD_BUILD_MS) rmSync(full, { force: true });
    } catch { /* removed by another build meanwhile */ }
  }
}

// `node scripts/build-commands.mjs [name ...]`: build the given commands (default: all) now.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const names = process.argv.length > 2 ? process.argv.slice(2) : COMMANDS;
  for (const name of names) {
    try {
      await buildCommand(name);
    } catch (err) {
      process.stderr.write(`build-commands: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 2;
    }
  }
}
