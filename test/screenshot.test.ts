import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grade } from '../grader/grade.js';
import { htmlReport } from '../grader/report/html.js';
import type { GradingResults } from '../grader/results.js';
import { ROOT } from '../grader/root.js';
import { writeFromReference } from '../instructor/starter.js';
import { colourStats, countNear, decodePng, overWhite, parseHex } from '../scripts/png.js';
import { colour } from '../starter/provided/plot.js';
import { systemTool } from './system-tool.js';

const CHROMIUM = '/usr/bin/chromium';
const chromium = systemTool(CHROMIUM, existsSync(CHROMIUM), 'apt-get install -y chromium');
const SCRIPT = path.join(ROOT, 'scripts', 'screenshot-report.ts');

/** A PNG with the given filter type on each row (CRCs left zero: the decoder does not check them). */
function encodePng(width: number, height: number, channels: 1 | 3 | 4, data: Uint8Array, filters: number[]): Buffer {
  const stride = width * channels;
  const raw = Buffer.alloc(height * (stride + 1));
  for (let y = 0; y < height; y++) {
    const f = filters[y % filters.length];
    raw[y * (stride + 1)] = f;
    for (let i = 0; i < stride; i++) {
      const at = (yy: number, ii: number) => (yy >= 0 && ii >= 0 ? data[yy * stride + ii] : 0);
      const a = at(i >= channels ? y : -1, i - channels), b = at(y - 1, i), c = at(i >= channels ? y - 1 : -1, i - channels);
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const predicted = [0, a, b, (a + b) >> 1, paeth][f];
      raw[y * (stride + 1) + 1 + i] = (data[y * stride + i] - predicted) & 0xff;
    }
  }
  const chunk = (type: string, body: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(body.length, 0);
    head.write(type, 4, 'latin1');
    return Buffer.concat([head, body, Buffer.alloc(4)]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = { 1: 0, 3: 2, 4: 6 }[channels];
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0)),
  ]);
}

function noise(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) out[i] = (s = (s * 1103515245 + 12345) % 2 ** 31) >> 8 & 0xff;
  return out;
}

describe('decodePng', () => {
  it('undoes every row filter (none, sub, up, average, Paeth) for RGBA, RGB and grey', () => {
    const w = 7, h = 10;
    const rgba = noise(w * h * 4, 1);
    expect(decodePng(encodePng(w, h, 4, rgba, [0, 1, 2, 3, 4]))).toEqual({ width: w, height: h, pixels: rgba });
    const rgb = noise(w * h * 3, 2);
    const fromRgb = decodePng(encodePng(w, h, 3, rgb, [4, 3, 2, 1, 0])).pixels;
    expect([...fromRgb.slice(0, 8)]).toEqual([rgb[0], rgb[1], rgb[2], 255, rgb[3], rgb[4], rgb[5], 255]);
    expect(fromRgb[4 * (w * h - 1) + 2]).toBe(rgb[3 * (w * h - 1) + 2]);
    const grey = noise(w * h, 3);
    expect([...decodePng(encodePng(w, h, 1, grey, [1, 4])).pixels.slice(4, 8)]).toEqual([grey[1], grey[1], grey[1], 255]);
  });

  it('refuses what is not a PNG, in one line', () => {
    expect(() => decodePng(Buffer.from('<html></html>'))).toThrow('not a PNG file (bad signature)');
  });

  it('counts colours, white area and pixels near a colour blended over white', () => {
    const blue = overWhite(parseHex(colour(0)), 0.3);
    expect(blue).toEqual([202, 215, 229]);
    const pixels = new Uint8Array([255, 255, 255, 255, ...blue, 255, ...blue, 255, 0, 0, 0, 255]);
    const image = { width: 2, height: 2, pixels };
    expect(colourStats(image)).toEqual({ distinctColours: 3, nonWhiteShare: 0.75 });
    expect(countNear(image, [204, 213, 231], 3)).toBe(2);
    expect(countNear(image, [204, 213, 231], 1)).toBe(0);
  });
});

describe('scripts/screenshot-report.ts', () => {
  let dir: string;
  let results: GradingResults;

  async function run(report: string, png: string) {
    return execa(process.execPath, ['--import', 'tsx', SCRIPT, report, png], { cwd: ROOT, reject: false, timeout: 120_000 });
  }

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'screenshot-test-'));
    if (!chromium.present) return;
    const submission = path.join(dir, 'submission');
    await writeFromReference(submission, 'solution');
    results = await grade({ submission, parts: ['train_moons'] });
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.skipIf(chromium.skip)(`renders the report of a real train_moons grade: a full page, and a boundary with both classes${chromium.note}`, async () => {
    chromium.check();
    expect(results.parts.map((p) => [p.id, p.status])).toEqual([['train_moons', 'passed']]);
    expect(results.parts[0].artifacts?.boundary?.points.length).toBeGreaterThan(100);
    const report = path.join(dir, 'report.html'), png = path.join(dir, 'report.png');
    await writeFile(report, htmlReport(results));
    const run1 = await run(report, png);
    expect(run1.stderr).toBe('');
    expect(run1.exitCode).toBe(0);
    expect(run1.stdout).toMatch(/report\.png: 1200x2400, \d+ colours/);
    expect(run1.stdout).toMatch(new RegExp(`report-boundary\\.png: ${colour(0)} region [\\d.]+%, points \\d+ px; ${colour(1)} region`));

    // the script's verdict, checked again independently on the pictures it left
    const page = decodePng(await readFile(png));
    expect([page.width, page.height]).toEqual([1200, 2400]);
    expect(colourStats(page).distinctColours).toBeGreaterThan(500);
    const boundary = decodePng(await readFile(path.join(dir, 'report-boundary.png')));
    for (const k of [0, 1]) {
      expect(countNear(boundary, overWhite(parseHex(colour(k)), 0.3), 6)).toBeGreaterThan(0.1 * boundary.width * boundary.height);
      expect(countNear(boundary, parseHex(colour(k)), 12)).toBeGreaterThan(200);
    }
  });

  it.skipIf(chromium.skip)(`fails on a blank page, and on a boundary that shows one class only${chromium.note}`, async () => {
    chromium.check();
    const blank = path.join(dir, 'blank.html');
    await writeFile(blank, '<!DOCTYPE html><html><body></body></html>');
    const onBlank = await run(blank, path.join(dir, 'blank.png'));
    expect(onBlank.exitCode).toBe(1);
    expect(onBlank.stderr).toMatch(/blank\.png looks blank: 1200x2400, 1 colours, 0\.0% not white$/);

    const oneClass = structuredClone(results);
    const b = oneClass.parts[0].artifacts!.boundary!;
    b.grid = b.grid.map(() => 0);
    const report = path.join(dir, 'one-class.html');
    await writeFile(report, htmlReport(oneClass));
    const onOneClass = await run(report, path.join(dir, 'one-class.png'));
    expect(onOneClass.exitCode).toBe(1);
    expect(onOneClass.stderr).toContain('one-class-boundary.png: the boundary has 1 shaded class region(s); expected at least 2');
  });
});
