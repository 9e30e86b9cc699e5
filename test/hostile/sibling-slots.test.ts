/**
 * Two children of one batch, in two job slots, cannot signal or renice each
 * other (nor the grader): each slot has its own uid. This tests the OS layer
 * alone: the children are plain `node` under the slot's jail, without the
 * JavaScript lockdown, so only the uid stands between them. The control (two
 * children of the same slot) shows the attempts would work without it.
 */
import { execa, type ResultPromise } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { grantBundle, jailCommand } from '../../grader/sandbox/jail.js';
import { probeIsolation, slotJail, waitDead } from '../../grader/sandbox/layers.js';
import { osLayers } from './os-layer.js';

const isolation = await probeIsolation();
const layer = osLayers('uid-drop');

const started: ResultPromise[] = [];
afterAll(async () => {
  for (const p of started) p.kill('SIGKILL');
  await Promise.all(started.map((p) => p.catch(() => undefined)));
});

/** A child of `slot` that waits; its pid. */
async function victim(slot: number): Promise<number> {
  const [command, args] = jailCommand(slotJail(isolation, slot), 256, process.execPath, ['-e', 'console.log(process.pid); setInterval(() => undefined, 1000)']);
  const p = execa(command, args, { reject: false, buffer: false, extendEnv: false, env: {} });
  started.push(p);
  return new Promise((resolve) => p.stdout.once('data', (chunk: Buffer) => resolve(Number(String(chunk).trim()))));
}

/** A child of `slot` that tries to renice, stop and kill each pid; what each attempt answered. */
async function attacker(slot: number, pids: number[]): Promise<string[]> {
  const script = `const os = require('node:os');
const out = [];
for (const pid of ${JSON.stringify(pids)}) {
  const attempt = (what, f) => { try { f(); out.push(what + ' ok'); } catch (e) { out.push(what + ' ' + ((e.info && e.info.code) || e.code)); } };
  attempt('renice', () => os.setPriority(pid, 19));
  attempt('stop', () => process.kill(pid, 'SIGSTOP'));
  attempt('kill', () => process.kill(pid, 'SIGKILL'));
}
console.log(JSON.stringify(out));`;
  const [command, args] = jailCommand(slotJail(isolation, slot), 256, process.execPath, ['-e', script]);
  const r = await execa(command, args, { extendEnv: false, env: {} });
  return JSON.parse(r.stdout) as string[];
}

describe('sibling children of one batch', () => {
  it.skipIf(layer.skip)(`a child of slot 1 cannot renice, stop or kill a child of slot 0, nor the grader${layer.note}`, async () => {
    layer.check();
    const sibling = await victim(0);
    const answers = await attacker(1, [sibling, process.pid]);
    expect(answers).toEqual(['renice EPERM', 'stop EPERM', 'kill EPERM', 'renice EPERM', 'stop EPERM', 'kill EPERM']);
    expect(await waitDead(sibling, 300)).toBe(false);
  });

  it.skipIf(layer.skip)(`a child of slot 1 cannot read slot 0's bundle; slot 0's child can${layer.note}`, async () => {
    layer.check();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bundle-'));
    try {
      await writeFile(path.join(dir, 'harness.mjs'), 'secret inputs');
      await grantBundle(dir, slotJail(isolation, 0));
      const read = async (slot: number) => {
        const script = `try { require('node:fs').readFileSync(${JSON.stringify(path.join(dir, 'harness.mjs'))}, 'utf8'); console.log('read'); } catch (e) { console.log(e.code); }`;
        const [command, args] = jailCommand(slotJail(isolation, slot), 256, process.execPath, ['-e', script]);
        return (await execa(command, args, { extendEnv: false, env: {} })).stdout;
      };
      expect(await read(1)).toBe('EACCES');
      expect(await read(0)).toBe('read');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(layer.skip)(`control: a child of the same slot could (so the uid is what stops it)${layer.note}`, async () => {
    layer.check();
    const sibling = await victim(0);
    const answers = await attacker(0, [sibling]);
    expect(answers).toEqual(['renice ok', 'stop ok', 'kill ok']);
    expect(await waitDead(sibling, 3000)).toBe(true);
  });
});
