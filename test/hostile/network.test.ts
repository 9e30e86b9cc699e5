/**
 * A submission that tries to reach the network: TCP and UDP listeners on
 * 127.0.0.1 and a unix socket in the abstract namespace, all started by the
 * test, plus a DNS lookup. In its own network namespace (no interface but lo,
 * down) nothing arrives, and the call is still answered normally.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleSubmission, removeBundle } from '../../grader/sandbox/bundle.js';
import { probeIsolation, slotJail } from '../../grader/sandbox/layers.js';
import { SubmissionRunner } from '../../grader/sandbox/runner.js';
import { removeDir, writeSubmission } from '../sandbox/fake-submission.js';
import { osLayers } from './os-layer.js';

const isolation = await probeIsolation();
const layer = osLayers('network-namespace');

const SUBMISSION = `
const builtin = (name: string) => (process as unknown as { getBuiltinModule(n: string): any }).getBuiltinModule(name);
function attempt(run: (done: (what: string) => void) => void): Promise<string> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('timeout'), 2000);
    try {
      run((what) => { clearTimeout(timer); resolve(what); });
    } catch (e) {
      clearTimeout(timer);
      resolve('threw ' + String(e));
    }
  });
}
function stream(options: object): Promise<string> {
  return attempt((done) => {
    const s = builtin('node:net').connect(options);
    s.on('connect', () => { s.end('hello from the child'); done('connected'); });
    s.on('error', (e: { code?: string }) => done(String(e.code)));
  });
}
export async function reach(tcpPort: number, udpPort: number, abstractId: number): Promise<string> {
  const tcp = await stream({ host: '127.0.0.1', port: tcpPort });
  const unix = await stream({ path: '\\0bp-network-test-' + abstractId });
  const udp = await attempt((done) => {
    const u = builtin('node:dgram').createSocket('udp4');
    u.send('hello from the child', udpPort, '127.0.0.1', (e: { code?: string } | null) => { u.close(); done(e ? String(e.code) : 'sent'); });
  });
  const dns = await attempt((done) => builtin('node:dns').lookup('example.com', (e: { code?: string } | null) => done(e ? String(e.code) : 'resolved')));
  return ['tcp ' + tcp, 'unix ' + unix, 'udp ' + udp, 'dns ' + dns].join(', ');
}
`;

const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const f of cleanup.reverse()) await f();
});

/** Starts a listener and counts what reaches it. */
function listen<T extends Server | UdpSocket>(server: T, start: (s: T) => void): Promise<T> {
  return new Promise((resolve) => {
    server.once('listening', () => resolve(server));
    start(server);
  });
}

describe('network', () => {
  it.skipIf(layer.skip)(`a submission connecting to TCP, UDP and abstract unix listeners of the test reaches none of them and is graded normally${layer.note}`, async () => {
    layer.check();
    const arrived: string[] = [];
    const tcp = await listen(createServer((s) => { arrived.push('tcp'); s.destroy(); }), (s) => s.listen(0, '127.0.0.1'));
    const abstractId = process.pid;
    const unix = await listen(createServer((s) => { arrived.push('unix'); s.destroy(); }), (s) => s.listen(`\0bp-network-test-${abstractId}`));
    const udp = await listen(createSocket('udp4').on('message', () => arrived.push('udp')), (s) => s.bind(0, '127.0.0.1'));
    cleanup.push(() => new Promise((r) => tcp.close(r)), () => new Promise((r) => unix.close(r)), () => new Promise<void>((r) => udp.close(() => r())));
    const tcpPort = (tcp.address() as { port: number }).port;
    const udpPort = udp.address().port;

    const dir = await writeSubmission({ 'activations.ts': SUBMISSION });
    const bundle = await bundleSubmission(dir, ['activations.ts']);
    cleanup.push(() => removeDir(dir), () => removeBundle(bundle));
    const runner = await SubmissionRunner.start(bundle, { jail: slotJail(isolation, 0) });
    cleanup.push(() => runner.close());

    const outcome = await runner.call('reach', [tcpPort, udpPort, abstractId], { timeoutMs: 20_000 });
    expect(outcome.kind, JSON.stringify(outcome)).toBe('ok');
    const answer = String((outcome as { value: unknown }).value);
    expect(answer).not.toMatch(/connected|resolved/);
    // anything on its way would have arrived by now
    await new Promise((r) => setTimeout(r, 300));
    expect(arrived).toEqual([]);
  });
});
