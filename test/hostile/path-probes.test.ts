/**
 * Questions about paths outside the bundle (does the hidden fixtures folder
 * exist? where does this link point?) get no answer in the child: every fs
 * call that names a path is refused there, in its sync, callback and promise
 * forms. Node 20's permission model misses fs.realpathSync (it answers, and
 * its ENOENT tells a missing path from a present one); the child's lockdown
 * refuses it.
 */
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from '../grader/helpers.js';
import { startedSubmission } from '../sandbox/fake-submission.js';

const ACTIVATIONS = `const builtin = (process as any).getBuiltinModule;

/** What a call answered ('answered' / 'missing') or the code it was refused with. */
async function ask(f: () => unknown): Promise<string> {
  try {
    const value = await new Promise((resolve, reject) => {
      try {
        const r = f();
        if (r && typeof (r as Promise<unknown>).then === 'function') (r as Promise<unknown>).then(resolve, reject);
        else if (r !== 'callback') resolve(r);
      } catch (e) {
        reject(e);
      }
      setTimeout(() => resolve('callback'), 1000);
    });
    return value === false ? 'missing' : 'answered';
  } catch (e) {
    const code = (e as { code?: string }).code ?? String(e);
    return code === 'ENOENT' ? 'missing' : code;
  }
}

/** Each way to ask about \`target\`, by name. */
export async function probe(target: string): Promise<Record<string, string>> {
  const fs = builtin('node:fs');
  const req = builtin('module').createRequire(import.meta.url);
  const cb = (call: (done: (e: unknown, v?: unknown) => void) => void) => () => new Promise((resolve, reject) => call((e, v) => (e ? reject(e) : resolve(v))));
  const asks: Record<string, () => unknown> = {
    existsSync: () => fs.existsSync(target),
    statSync: () => fs.statSync(target),
    lstatSync: () => fs.lstatSync(target),
    accessSync: () => fs.accessSync(target),
    opendirSync: () => fs.opendirSync(target),
    readdirSync: () => fs.readdirSync(target),
    readlinkSync: () => fs.readlinkSync(target),
    realpathSync: () => fs.realpathSync(target),
    realpathSyncNative: () => fs.realpathSync.native(target),
    requiredRealpathSync: () => req('fs').realpathSync(target),
    importedRealpathSync: async () => (await import(['node', 'fs'].join(':'))).realpathSync(target),
    realpath: cb((done) => fs.realpath(target, done)),
    realpathNative: cb((done) => fs.realpath.native(target, done)),
    stat: cb((done) => fs.stat(target, done)),
    access: cb((done) => fs.access(target, done)),
    statfsSync: () => fs.statfsSync(target),
    promisesRealpath: () => fs.promises.realpath(target),
    fsPromisesRealpath: () => builtin('fs/promises').realpath(target),
    promisesStat: () => fs.promises.stat(target),
    promisesLstat: () => fs.promises.lstat(target),
    promisesAccess: () => fs.promises.access(target),
    promisesOpendir: () => fs.promises.opendir(target),
    promisesReadlink: () => fs.promises.readlink(target),
  };
  const answers: Record<string, string> = {};
  for (const [name, f] of Object.entries(asks)) answers[name] = await ask(f);
  return answers;
}
`;

const sub = startedSubmission({ 'activations.ts': ACTIVATIONS });

/** The answers that are not a refusal (existsSync's false is no answer either: it says false for a refused path). */
async function answered(target: string): Promise<Record<string, string>> {
  const outcome = await sub.runner.call('probe', [target], { timeoutMs: 30_000 });
  expect(outcome.kind).toBe('ok');
  const value = (outcome as unknown as { value: Record<string, string> }).value;
  expect(Object.keys(value).length).toBe(23);
  return Object.fromEntries(Object.entries(value).filter(([name, a]) => a !== 'ERR_ACCESS_DENIED' && !(name === 'existsSync' && a === 'missing')));
}

describe('fs questions about paths outside the bundle', () => {
  it('get no answer about the fixtures folder', async () => {
    expect(await answered(FIXTURES_DIR)).toEqual({});
  });

  it('get no answer about a path that does not exist (a missing path looks the same as a hidden one)', async () => {
    expect(await answered('/nonexistent/hidden-fixtures')).toEqual({});
  });

  it('get no answer about a relative path that climbs out of the bundle', async () => {
    expect(await answered('../../../etc/passwd')).toEqual({});
  });
});
