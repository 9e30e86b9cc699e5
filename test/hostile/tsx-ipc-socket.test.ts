/**
 * tsx's CLI listens on a unix socket, `<tmpdir>/tsx-<uid>/<pid>.pipe`, and
 * dies on the first message that is not JSON. A submission's child can
 * connect to it (Node 20's permission model does not cover sockets) and so
 * kill the tsx CLI above the grader: the command then exits 1 before the
 * batch is written, while the orphaned grader goes on alone. Batch grading
 * therefore runs through bin/grade-batch (node directly, no tsx CLI).
 * Each run gets a private TMPDIR, and the submission writes only to sockets
 * there, so the test never touches another tsx on this machine.
 */
import { execa } from 'execa';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../grader/root.js';
import { removeTempDirs, tempDir } from '../grader/helpers.js';

afterAll(removeTempDirs);

/** A batch folder with one student whose sigmoidForward writes garbage to every tsx socket it can find under `tmp`. */
async function hostileBatch(tmp: string): Promise<string> {
  const batch = await tempDir('tsx-batch-');
  const student = path.join(batch, 'mallory');
  await cp(path.join(ROOT, 'starter'), student, { recursive: true });
  const socketDir = path.join(tmp, `tsx-${process.geteuid!()}`);
  await writeFile(path.join(student, 'activations.ts'), `
type Net = typeof import('node:net');
export async function sigmoidForward(): Promise<never> {
  const net = (process as unknown as { getBuiltinModule(id: string): Net }).getBuiltinModule('node:net');
  let wrote = 0;
  const tries: Promise<void>[] = [];
  // the child cannot list the folder; tsx's CLI is the grader's parent, started just before it
  for (let pid = process.ppid - 400; pid <= process.ppid + 20; pid++) {
    tries.push(new Promise((resolve) => {
      const socket = net.connect({ path: ${JSON.stringify(socketDir)} + '/' + pid + '.pipe' });
      socket.on('connect', () => { wrote++; socket.end(Buffer.from([0, 0, 0, 1, 123]), () => resolve()); });
      socket.on('error', () => resolve());
    }));
  }
  await Promise.all(tries);
  await new Promise((r) => setTimeout(r, 300));
  throw new Error('wrote garbage to ' + wrote + ' tsx socket(s)');
}
`);
  return batch;
}

async function privateTmp(): Promise<string> {
  const tmp = await tempDir('tsx-tmp-');
  await mkdir(tmp, { recursive: true });
  return tmp;
}

describe("a submission that writes to tsx's IPC socket", () => {
  it('cannot stop npm run grade:batch: it runs bin/grade-batch, with no tsx CLI to kill', async () => {
    const tmp = await privateTmp();
    const batch = await hostileBatch(tmp);
    const out = path.join(batch, 'out');
    const result = await execa('npm', ['run', '--silent', 'grade:batch', '--', batch, '--part', 'activations', '--out', out], { cwd: ROOT, reject: false, env: { TMPDIR: tmp } });
    expect(result.stderr).not.toContain('SyntaxError');
    expect(result.exitCode).toBe(0);
    expect(await readFile(path.join(out, 'gradebook.csv'), 'utf8')).toMatch(/^mallory,0,0,10,graded,/m);
    const stored = JSON.parse(await readFile(path.join(out, 'results', 'mallory.json'), 'utf8')) as { results: { parts: { cases: { feedback: string[] }[] }[] } };
    expect(stored.results.parts[0].cases[0].feedback[0]).toMatch(/wrote garbage to 0 tsx socket\(s\)/);
  }, 60_000);

  it('does kill a tsx CLI above the grader (the attack is real)', async () => {
    const tmp = await privateTmp();
    const batch = await hostileBatch(tmp);
    const out = path.join(batch, 'out');
    const result = await execa(path.join(ROOT, 'node_modules', '.bin', 'tsx'), ['cli/grade-batch.ts', batch, '--part', 'activations', '--out', out], { cwd: ROOT, reject: false, env: { TMPDIR: tmp } });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/SyntaxError[^]*tsx\/dist\/cli\.mjs/);
    // the orphaned grader finishes on its own; wait for it before the clean-up
    for (let i = 0; i < 200; i++) {
      if (await readFile(path.join(out, 'gradebook.csv'), 'utf8').catch(() => '')) break;
      await new Promise((r) => setTimeout(r, 50));
    }
  }, 60_000);
});
