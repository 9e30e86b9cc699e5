/**
 * Acceptance of the OS layers: a strict `grade:batch` of three students graded
 * at once (three job slots), one of them hostile: as soon as each of its
 * children loads, it SIGSTOPs and renices every process it can
 * name, every 50 ms for its first 200 rounds (the grader, nearby pids where its
 * siblings are, kill(-1)), SIGKILLs the grader, tries the
 * network (the inspector port, DNS) and holds 1.5 GB of ArrayBuffers. The two
 * honest students (the reference) still get their true scores: full marks.
 */
import { execa } from 'execa';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../grader/root.js';
import type { GradingResults } from '../../grader/results.js';
import { writeFromReference } from '../../instructor/starter.js';
import { partFlags, replaceBody, unitPartIds } from '../grader/helpers.js';
import { osLayers } from './os-layer.js';

const layer = osLayers('uid-drop', 'pdeathsig', 'memory-cap', 'network-namespace');

/** Appended to the hostile student's activations.ts; it never attacks as root (a safety net for this test machine). */
const ATTACK = `
const hostileOs = (process as unknown as { getBuiltinModule(n: string): any }).getBuiltinModule('node:os');
const hostileNet = (process as unknown as { getBuiltinModule(n: string): any }).getBuiltinModule('node:net');
const hostileDns = (process as unknown as { getBuiltinModule(n: string): any }).getBuiltinModule('node:dns');
const hoard: Float64Array[] = [];
let rounds = 0;
let refused = 0;
const tryIt = (f: () => void) => { try { f(); } catch { refused++; } };
// its own threads have pids just above its own, and signalling one stops the whole process
const own = (pid: number) => pid >= process.pid && pid < process.pid + 64;
function attack(): void {
  if (typeof process.getuid !== 'function' || process.getuid() === 0 || rounds >= 200) return;
  rounds++;
  // a stopped sibling hangs in the middle of its call (a killed one would just be restarted)
  tryIt(() => process.kill(-1, 'SIGSTOP'));
  for (let pid = Math.max(2, process.pid - 3000); pid < process.pid + 3000; pid++) {
    if (!own(pid)) tryIt(() => process.kill(pid, 'SIGSTOP'));
  }
  tryIt(() => process.kill(process.ppid, 'SIGKILL'));
  for (let pid = Math.max(2, process.pid - 3000); pid < process.pid + 3000; pid++) {
    if (!own(pid)) tryIt(() => hostileOs.setPriority(pid, 19));
  }
  tryIt(() => hostileNet.connect({ host: '127.0.0.1', port: 9229 }).on('error', () => undefined));
  tryIt(() => hostileDns.lookup('example.com', () => undefined));
  if (hoard.length === 0) tryIt(() => { for (let i = 0; i < 24; i++) hoard.push(new Float64Array(8 * 1024 * 1024).fill(i)); });
}
let reported = false;
// printed once during a graded call (sigmoidForward attacks too), where the grader captures output
function reportAttack(): void {
  if (reported || rounds === 0) return;
  reported = true;
  console.log('attack ran as uid ' + process.getuid() + ': ' + refused + ' attempts refused, ' + hoard.length * 64 + ' MB held');
}
// again and again (200 rounds, about 10 s), so the siblings are hit while they answer calls
attack();
setInterval(attack, 50);
`;

let work: string | undefined;
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('a strict batch with one hostile and two honest students', () => {
  it.skipIf(layer.skip)(`gives the honest students their true scores (full marks) and every layer is recorded active${layer.note}`, async () => {
    layer.check();
    work = await mkdtemp(path.join(os.tmpdir(), 'hostile-batch-'));
    const submissions = path.join(work, 'submissions');
    await writeFromReference(path.join(submissions, 'alice'), 'solution');
    await writeFromReference(path.join(submissions, 'bob'), 'solution');
    await writeFromReference(path.join(submissions, 'mallory'), 'solution', (file, source) => (file === 'activations.ts' ? replaceBody(source, 'sigmoidForward', (original) => `attack();\n  reportAttack();\n${original}`) + ATTACK : source));
    const out = path.join(work, 'out');
    // the moons training part keeps the honest students busy while the attack goes on
    const parts = [...await unitPartIds(), 'train_moons'];
    const r = await execa(process.execPath, ['--import', 'tsx', 'cli/grade-batch.ts', submissions, '--jobs', '3', '--call-timeout', '3', '--out', out, ...partFlags(parts)], { cwd: ROOT, reject: false });
    expect(r.exitCode, r.stderr).toBe(0);
    const stored = async (student: string) => (JSON.parse(await readFile(path.join(out, 'results', `${student}.json`), 'utf8')) as { results: GradingResults }).results;
    for (const student of ['alice', 'bob']) {
      const report = await stored(student);
      expect(report.parts.map((p) => p.id).sort()).toEqual([...parts].sort());
      expect(report.score, `${student}: ${JSON.stringify(report.parts.map((p) => [p.id, p.score, p.maxScore]))}`).toBe(report.maxScore);
      expect(report.isolation.strict).toBe(true);
      expect(report.isolation.layers.every((l) => l.active)).toBe(true);
    }
    // the hostile student was graded too (its attack slows only its own calls)
    const mallory = await stored('mallory');
    expect(mallory.parts.map((p) => p.id).sort()).toEqual([...parts].sort());
    expect(mallory.parts.map((p) => p.output).join('')).toMatch(/attack ran as uid \d+: \d+ attempts refused, 1536 MB held/);
  });
});
