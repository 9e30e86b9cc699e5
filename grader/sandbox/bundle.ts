/**
 * Builds a submission into plain JavaScript for the sandboxed child: one
 * esbuild build of every module plus the child harness, so all of them share
 * one Matrix class. Imports of the submission's `provided/` folder are
 * redirected to the grader's trusted copy, and student code may import only
 * its own files. A module that does not build is recorded, not fatal.
 *
 * esbuild never opens a path of the submission: the plugin resolves and reads
 * every submission file itself (regular files inside the submission only, see
 * source-file.ts), strips source-map comments, and the build gets a fixed
 * `tsconfigRaw`, so no tsconfig.json, package.json or source map of the
 * submission is read.
 */
import type { BuildOptions, Loader, Message, Plugin } from 'esbuild';
import { mkdir, mkdtemp, realpath, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inside, readSourceFile, stripSourceMapComments, type SourceRead } from './source-file.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** The grader's own copy of the provided helpers; a submission's copy is never used. */
export const TRUSTED_PROVIDED = path.resolve(HERE, '../../starter/provided');
const HARNESS_SOURCE = path.join(HERE, 'child.ts');
const PLUGIN_NAME = 'submission-imports';

let loaded: typeof import('esbuild') | undefined;
/**
 * esbuild, required on first use: Node 20 scans a CommonJS package that ESM imports for its export
 * names (about 35 ms for esbuild's, at every start of every command that imports this file); a
 * require skips that scan, and a command that never builds never loads it.
 */
function esbuild(): typeof import('esbuild') {
  loaded ??= createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
  return loaded;
}

export type ModuleStatus = { ok: true } | { ok: false; error: string };

export interface BundleResult {
  /** Temp dir holding the built JS; the child may read only this. */
  dir: string;
  /** Path of the child entry JS. */
  harness: string;
  /** Build status of each module, keyed by file name ('activations.ts', ...). */
  modules: Record<string, ModuleStatus>;
  /** Names each module's source declares as exports, found by a regex so that a module that does not build still says what it meant to export. */
  exportNames?: Record<string, string[]>;
}

/** Where the built module of a submission file lives inside the bundle dir, without the extension. */
function builtModule(file: string): string {
  return `modules/${file.replace(/\.ts$/, '')}`;
}

/** How long building a submission may take; the reference builds in well under a second. */
export const BUILD_TIMEOUT_MS = 30_000;

/**
 * Builds the submission's modules and the child harness into `outDir` (a fresh
 * temp dir by default). Never throws for a broken submission: each module's
 * problem is in `modules`. Throws one line when the build takes longer than
 * `timeoutMs` (the build is left to finish in the background, then its temp
 * dir is removed).
 */
export async function bundleSubmission(submissionDir: string, moduleFiles: string[], outDir?: string, timeoutMs = BUILD_TIMEOUT_MS): Promise<BundleResult> {
  const root = await realpath(submissionDir);
  const dir = outDir === undefined
    ? await realpath(await mkdtemp(path.join(os.tmpdir(), 'grade-')))
    : await mkdir(outDir, { recursive: true }).then(() => realpath(outDir));
  const building = buildInto(root, dir, moduleFiles, outDir === undefined);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), timeoutMs); });
  const first = await Promise.race([building, timedOut]).finally(() => clearTimeout(timer));
  if (first !== 'timeout') return first;
  void building.then(() => (outDir === undefined ? rm(dir, { recursive: true, force: true }) : undefined), () => undefined);
  throw new Error(`building the submission took more than ${timeoutMs / 1000} s (${root}); look for a very large or unusual file among its modules and what they import`);
}

/** The build itself: every module, then once more without the ones that do not build alone. */
async function buildInto(root: string, dir: string, moduleFiles: string[], ownDir: boolean): Promise<BundleResult> {
  const modules: Record<string, ModuleStatus> = {};
  const exportNames: Record<string, string[]> = {};
  const present: string[] = [];
  for (const file of moduleFiles) {
    const source = await entrySource(root, file);
    if (!source.ok) modules[file] = { ok: false, error: source.error };
    else present.push(file);
    exportNames[file] = source.ok ? declaredExports(source.text) : [];
  }

  let good = present;
  let failure = await buildAll(root, dir, good);
  if (failure) {
    const alone = await Promise.all(present.map((file) => brokenAlone(root, file)));
    good = present.filter((_file, i) => alone[i] === undefined);
    present.forEach((file, i) => { if (alone[i] !== undefined) modules[file] = { ok: false, error: alone[i] }; });
    failure = await buildAll(root, dir, good);
    if (failure) {
      if (ownDir) await rm(dir, { recursive: true, force: true });
      throw new Error(`the sandbox harness does not build with the modules that build alone: ${failure}`);
    }
  }
  for (const file of good) modules[file] = { ok: true };
  const ordered = Object.fromEntries(moduleFiles.map((f) => [f, modules[f]]));
  return { dir, harness: path.join(dir, 'harness.mjs'), modules: ordered, exportNames };
}

/** Removes a bundle's temp dir once no runner needs it. */
export async function removeBundle(bundle: BundleResult): Promise<void> {
  await rm(bundle.dir, { recursive: true, force: true });
}

/** A module file's text, or why it cannot be an entry point: missing, a link that leaves the submission, or not a plain file of its own. */
async function entrySource(root: string, file: string): Promise<{ ok: true; text: string } | { ok: false; error: string }> {
  const full = path.join(root, file);
  if (!(await stat(full).catch(() => undefined))) return { ok: false, error: 'missing file' };
  const read = await readSourceFile(root, full);
  return read.ok ? read : { ok: false, error: read.why };
}

/** The one build of the harness and every given module; returns esbuild's first error, or undefined. */
async function buildAll(root: string, outdir: string, files: string[]): Promise<string | undefined> {
  const entryPoints = [
    { in: HARNESS_SOURCE, out: 'harness' },
    ...files.map((f) => ({ in: path.join(root, f), out: builtModule(f) })),
  ];
  const error = await firstError({
    ...commonOptions(root),
    entryPoints,
    outdir,
    splitting: true,
    write: true,
    sourcemap: 'inline',
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    define: {
      __SANDBOX_MODULES__: JSON.stringify(Object.fromEntries(files.map((f) => [f, `./${builtModule(f)}.mjs`]))),
      __SANDBOX_SUBMISSION__: JSON.stringify(root),
    },
  });
  return error && formatMessage(root, error);
}

/**
 * Builds one module by itself (in memory) to see whether it is a broken one;
 * returns why, naming the imported module when the error is in that one.
 */
async function brokenAlone(root: string, file: string): Promise<string | undefined> {
  const error = await firstError({ ...commonOptions(root), entryPoints: [path.join(root, file)], write: false });
  if (!error) return undefined;
  const where = error.location && path.relative(root, path.resolve(error.location.file));
  const text = formatMessage(root, error);
  return where && where !== file ? `${file} imports a module that does not build: ${text}` : text;
}

function commonOptions(root: string): BuildOptions {
  return {
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'silent',
    // the build's TypeScript settings: esbuild takes these instead of looking for tsconfig.json files
    tsconfigRaw: BUILD_TSCONFIG,
    plugins: [submissionImports(root)],
  };
}

/** The TypeScript settings that change how esbuild compiles (the grader's own); a submission's tsconfig.json is never read. */
const BUILD_TSCONFIG = { compilerOptions: { strict: true, useDefineForClassFields: true, verbatimModuleSyntax: false } };

/** Which esbuild service the builds use; counts restarts so that builds failing together restart it once. */
let serviceGeneration = 0;

/** True when esbuild's long-lived service process has died (killed, out of memory, crashed). */
function serviceDied(e: unknown): boolean {
  return /The service (was stopped|is no longer running)/.test(String((e as Error)?.message ?? e));
}

/**
 * Runs a build; its first error, or undefined when it built. A dead esbuild
 * service is replaced (esbuild's `stop()` makes the next call start a new one)
 * and the build tried once more, so one submission that kills the service
 * does not fail every later build of a batch.
 */
async function firstError(options: BuildOptions, retry = true): Promise<Message | undefined> {
  const generation = serviceGeneration;
  try {
    return (await esbuild().build(options)).errors[0];
  } catch (e) {
    if (serviceDied(e)) {
      if (generation === serviceGeneration) {
        serviceGeneration++;
        await esbuild().stop();
      }
      if (retry) return firstError(options, false);
      throw new Error('the build service (esbuild) died twice while building this submission', { cause: e });
    }
    const errors = (e as { errors?: Message[] }).errors;
    if (!errors?.length) throw new Error('esbuild failed without reporting an error', { cause: e });
    return errors[0];
  }
}

/** `file.ts:line:col: message`, the path relative to the submission; our own import errors are already one full line. */
function formatMessage(root: string, m: Message): string {
  if (m.pluginName === PLUGIN_NAME || !m.location) return m.text;
  const file = path.relative(root, path.resolve(m.location.file));
  return `${file}:${m.location.line}:${m.location.column + 1}: ${m.text}`;
}

/** esbuild namespace of the stand-in modules for refused dynamic imports. */
const REFUSED = 'refused-import';

/** How an import path may name a submission file: as written, a `.js` import of a `.ts` file, no extension, or a folder's index. */
function candidates(wanted: string): string[] {
  const swapped = wanted.replace(/\.js$/, '.ts').replace(/\.mjs$/, '.mts').replace(/\.cjs$/, '.cts');
  return [...new Set([wanted, swapped, ...['.ts', '.js', '.mjs'].map((e) => wanted + e), ...['index.ts', 'index.js'].map((i) => path.join(wanted, i))])];
}

/** esbuild's loader for a submission file, by extension; undefined for a kind of file a submission may not import. */
function loaderFor(file: string): Loader | undefined {
  const ext = path.extname(file);
  if (['.ts', '.mts', '.cts'].includes(ext)) return 'ts';
  if (['.js', '.mjs', '.cjs'].includes(ext)) return 'js';
  return ext === '.json' ? 'json' : undefined;
}

/**
 * The import policy: student files may import only relative paths inside the
 * submission; anything under its `provided/` resolves to the trusted copy.
 * Trusted files (provided helpers, the harness) resolve and load normally.
 * Submission files are resolved and read here, never by esbuild, which would
 * also read tsconfig.json and package.json files around them.
 */
function submissionImports(root: string): Plugin {
  const providedRoot = path.join(root, 'provided');
  const isStudentFile = (file: string) => inside(root, file) && !inside(TRUSTED_PROVIDED, file);
  return {
    name: PLUGIN_NAME,
    setup(b) {
      b.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData === PLUGIN_NAME) return undefined;
        if (args.kind === 'entry-point') {
          if (!isStudentFile(args.path)) return undefined;
          const real = await realpath(args.path);
          return inside(root, real) ? { path: real } : { errors: [{ text: `${path.relative(root, args.path)} is a link to a file outside the submission` }] };
        }
        if (!isStudentFile(args.importer)) return undefined;
        const importer = path.relative(root, args.importer);
        const refuse = (why: string) => {
          const text = `${importer} imports '${args.path}': ${why}`;
          // a static import breaks the module at build time; a dynamic one only fails the call that runs it
          return args.kind === 'dynamic-import' ? { path: args.path, namespace: REFUSED, pluginData: text } : { errors: [{ text }] };
        };
        if (!args.path.startsWith('./') && !args.path.startsWith('../')) {
          return refuse('submissions may only import their own files and ./provided/*');
        }
        const wanted = path.resolve(args.resolveDir, args.path);
        if (!inside(root, wanted)) return refuse('submissions may only import their own files and ./provided/*');
        if (inside(providedRoot, wanted)) {
          const found = await b.resolve(`./${path.relative(providedRoot, wanted)}`, { resolveDir: TRUSTED_PROVIDED, kind: args.kind, importer: args.importer, pluginData: PLUGIN_NAME });
          return found.errors.length > 0 || !inside(TRUSTED_PROVIDED, found.path) ? refuse('not one of the provided files') : { path: found.path };
        }
        let file: string | undefined;
        for (const candidate of candidates(wanted)) {
          const info = await stat(candidate).catch(() => undefined);
          if (info && !info.isDirectory()) { file = candidate; break; }
        }
        if (file === undefined) return refuse('no such file in the submission');
        const real = await realpath(file);
        if (!inside(root, real)) return refuse('submissions may only import their own files and ./provided/*');
        if (!loaderFor(real)) return refuse(`${path.relative(root, real)} is not a .ts, .js or .json file`);
        const read = await readSourceFile(root, real);
        return read.ok ? { path: real, pluginData: read.text } : refuse(read.why);
      });
      b.onLoad({ filter: /.*/, namespace: 'file' }, async (args) => {
        if (!isStudentFile(args.path)) return undefined;
        // the text read when the import was resolved (an entry point's is read here)
        const read: SourceRead = typeof args.pluginData === 'string' ? { ok: true, text: args.pluginData } : await readSourceFile(root, args.path);
        if (!read.ok) return { errors: [{ text: read.why }] };
        return { contents: stripSourceMapComments(read.text), loader: loaderFor(args.path) ?? 'ts', resolveDir: path.dirname(args.path) };
      });
      b.onLoad({ filter: /.*/, namespace: REFUSED }, (args) => ({ contents: `throw new Error(${JSON.stringify(args.pluginData)});`, loader: 'js' }));
    },
  };
}

const EXPORT_DECL = /export\s+(?:default\s+)?(?:async\s+)?(?:function\s*\*?|const|let|var|class)\s*([A-Za-z_$][\w$]*)/g;
const EXPORT_LIST = /export\s*\{([^}]*)\}/g;

/** Exported names declared in a module's source text (a regex scan: it works on code that does not parse). */
export function declaredExports(source: string): string[] {
  const names = new Set<string>();
  for (const m of source.matchAll(EXPORT_DECL)) names.add(m[1]);
  for (const m of source.matchAll(EXPORT_LIST)) {
    for (const item of m[1].split(',').map((i) => i.trim())) {
      const name = item.split(/\s+as\s+/).pop();
      if (name && !item.startsWith('type ')) names.add(name);
    }
  }
  return [...names];
}
