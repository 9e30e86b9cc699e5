/**
 * The commands run from their precompiled JavaScript in dist/ (scripts/build-commands.mjs,
 * bin/run-command.mjs): a changed source must be rebuilt before the command runs (a student who
 * pulls an update never runs stale code), whatever the file's modification time says; a source
 * that does not build is one line and exit code 2; the student kit (no reference/) reports the
 * missing reference as the command does from source. Each test works on a copy of the project.
 */
import { execa } from 'execa';
import { cp, readFile, readdir, symlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../grader/root.js';
import { removeTempDirs, tempDir } from './grader/helpers.js';

afterAll(removeTempDirs);

/** A copy of what the commands are built from, sharing the project's node_modules; `withReference` false makes the student kit. */
async function projectCopy(withReference: boolean): Promise<string> {
  const dir = await tempDir('built-commands-');
  // not node_modules (linked), outputs, tests, nor dot folders (.git, CI's .cache of Node binaries)
  const skip = new Set(['node_modules', 'dist', 'out', 'test', 'fixtures-hidden', ...(withReference ? [] : ['reference', 'instructor'])]);
  for (const entry of await readdir(ROOT)) {
    if (!skip.has(entry) && !entry.startsWith('.')) await cp(path.join(ROOT, entry), path.join(dir, entry), { recursive: true });
  }
  await symlink(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

const run = (dir: string, ...args: string[]) =>
  execa('node', [path.join(dir, 'bin', 'run-command.mjs'), ...args], { cwd: dir, reject: false, env: { NO_COLOR: '1' } });

/** The built file the stamp of `name` names. */
async function builtFile(dir: string, name: string): Promise<string> {
  return (JSON.parse(await readFile(path.join(dir, 'dist', `${name}.json`), 'utf8')) as { file: string }).file;
}

describe('the built commands', () => {
  let project: string;
  beforeAll(async () => { project = await projectCopy(true); });

  it('are built on first use and used as they are while no source changed', async () => {
    const first = await run(project, 'grade', '--help');
    expect(first.exitCode).toBe(0);
    expect(first.stdout).toMatch(/^Usage: npm run grade/);
    const built = await builtFile(project, 'grade');
    const again = await run(project, 'grade', '--help');
    expect(again.stdout).toBe(first.stdout);
    expect(await builtFile(project, 'grade')).toBe(built);
  }, 60_000);

  it('grade a submission: the fixtures, the sandbox harness (grader/sandbox/child.ts) and provided/ are found from dist/', async () => {
    const result = await run(project, 'grade', '--part', 'activations', '--no-html');
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/activations +Activation functions +NOT IMPLEMENTED +0\/10/);
  }, 60_000);

  it('every command starts from its build and --help prints its usage, doing nothing else (exit 0)', async () => {
    const { COMMANDS } = (await import(pathToFileURL(path.join(ROOT, 'scripts', 'build-commands.mjs')).href)) as { COMMANDS: string[] };
    for (const name of COMMANDS) {
      const result = await run(project, name, '--help');
      expect(result.exitCode, `${name}: ${result.stderr.split('\n').slice(0, 3).join(' ')}`).toBe(0);
      expect(result.stdout, name).toMatch(/^Usage: /);
    }
  }, 180_000);

  it('run the SIGUSR1 guard before any other module of ours or of a package', async () => {
    for (const name of ['grade', 'grade-batch', 'train', 'tune', 'bench']) {
      expect((await run(project, name, '--help')).exitCode, name).toBe(0);
      const text = await readFile(path.join(project, 'dist', await builtFile(project, name)), 'utf8');
      const guard = text.indexOf('// cli/inspector-guard.ts\nprocess.on("SIGUSR1"');
      expect(guard, name).toBeGreaterThan(0);
      // before it: esbuild's helpers and wrapped modules that run only when first required, nothing at top level
      const statements = text.slice(0, guard).split('\n').filter((line) => /^((var|let|const) [\w$]+ = |[A-Za-z_$][\w$.]*\()/.test(line));
      // (a lazily imported module's namespace object, `var x_exports = {}; __export(x_exports, {getters})`, runs nothing either)
      const running = statements.filter((line) => !/^(var (__\w+ = |[\w$]+ = (__commonJS|__esm)\(|[\w$]+_exports = \{\};$)|__export\()/.test(line));
      expect(running, name).toEqual([]);
    }
  }, 120_000);

  it('are rebuilt when a source changes, even one the command imports indirectly and whose time is older', async () => {
    expect((await run(project, 'grade', '--help')).exitCode).toBe(0);
    const built = await builtFile(project, 'grade');
    // a module the entry point imports, with its time set back a day: "newer" alone would miss it
    const file = path.join(project, 'grader', 'grade.ts');
    const source = await readFile(file, 'utf8');
    await writeFile(file, `${source}\nconsole.log('UPDATED SOURCE');\n`);
    const past = new Date(Date.now() - 86_400_000);
    await utimes(file, past, past);
    const after = await run(project, 'grade', '--help');
    expect(after.exitCode).toBe(0);
    expect(after.stdout).toContain('UPDATED SOURCE');
    expect(await builtFile(project, 'grade')).not.toBe(built);
  }, 60_000);

  it('are rebuilt when the stamp is corrupt, and never trusted', async () => {
    expect((await run(project, 'starter', '--help')).exitCode).toBe(0);
    const built = await builtFile(project, 'starter');
    await writeFile(path.join(project, 'dist', 'starter.json'), '{"file": "starter.');
    expect((await run(project, 'starter', '--help')).exitCode).toBe(0);
    expect(await builtFile(project, 'starter')).not.toBe(built);
  }, 60_000);

  it('say in one line which file does not build, with exit code 2', async () => {
    const broken = await projectCopy(true);
    await writeFile(path.join(broken, 'grader', 'compare.ts'), 'export const = ;\n');
    const result = await run(broken, 'grade', '--help');
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim()).toMatch(/^grade: cannot build the grade command from its TypeScript sources: grader\/compare\.ts:1: .*; fix that file/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(await readdir(path.join(broken, 'dist'))).not.toContain('grade.json');
  }, 60_000);
});

describe('the built commands in the student kit (no reference/)', () => {
  it('report the missing reference as the command does from source, and rebuild once it is there', async () => {
    const kit = await projectCopy(false);
    // bench imports the reference statically (train and tune load it by path, or train starter/ instead)
    const result = await run(kit, 'bench', '--quick');
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim()).toBe('bench: npm run bench measures the reference solution, which the student kit does not include');
    const built = await builtFile(kit, 'bench');
    await cp(path.join(ROOT, 'reference'), path.join(kit, 'reference'), { recursive: true });
    expect((await run(kit, 'bench', '--help')).exitCode).toBe(0);
    expect(await builtFile(kit, 'bench')).not.toBe(built);
  }, 60_000);
});
