/**
 * Issue 10's class report: every section is there, what submissions can
 * influence (ids, hints, errors, code) is escaped, the page is well-formed XML
 * with a script-free CSP, and headless Chromium draws it (not a blank page).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { XMLValidator } from 'fast-xml-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { classReport, type ClassReportInput } from '../../batch/class-report.js';
import type { StoredResult } from '../../batch/store.js';
import { ROOT } from '../../grader/root.js';
import { sampleResults } from '../report/sample-results.js';

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

function stored(id: string, scale: number, timeMs: number): StoredResult {
  const results = sampleResults();
  for (const p of results.parts) p.score *= scale;
  results.score = results.parts.reduce((s, p) => s + p.score, 0);
  return { version: 1, student: { id, notes: [] }, key: 'k', results, timeMs, finishedAt: '2026-11-25T12:00:00Z' };
}

function input(): ClassReportInput {
  const hostile = '<script>alert(1)</script>';
  return {
    title: 'Homework BP: class report',
    results: [
      stored('alice', 1, 9000), stored('bob', 0.5, 12000), stored(hostile, 0.2, 500),
      { version: 1, student: { id: 'carol', notes: [] }, key: 'k', results: null, error: `could not build: ${hostile}`, timeMs: 100, finishedAt: '2026-11-25T12:00:00Z' },
    ],
    pairs: [
      { a: 'alice', b: 'bob', score: 0.93, shared: 93, sizes: [100, 120] },
      { a: 'alice', b: hostile, score: 0.31, shared: 31, sizes: [100, 90] },
    ],
    threshold: 0.7,
    views: [{
      pair: { a: 'alice', b: 'bob', score: 0.93, shared: 93, sizes: [100, 120] },
      files: [{ file: 'layers.ts', a: 'const x = 1;\nif (a < b) {}\n', b: 'const y = 1;\nif (c < d) {}\n', matchedA: [2], matchedB: [2] }],
    }],
    madeAt: '2026-11-25T12:00:00Z',
  };
}

describe('classReport', () => {
  const html = classReport(input());

  it('has every section and the numbers', () => {
    for (const heading of ['Scores', 'Parts', 'Most common hints', 'Slowest submissions', 'Not graded', 'Similar submissions']) expect(html).toContain(`<h2>${heading}</h2>`);
    expect(html).toContain('4 submissions, 3 graded, 1 not graded');
    expect(html).toMatch(/alice ~ bob<\/td><td class="num">0.93/);
    expect(html).toContain('class="flag"');
  });

  it('escapes what submissions influence and runs nothing', () => {
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('if (a &lt; b) {}');
    expect(html).toContain("default-src 'none'");
    expect(XMLValidator.validate(html.replace('<!DOCTYPE html>', ''))).toBe(true);
  });

  const chromium = '/usr/bin/chromium';
  it.skipIf(!existsSync(chromium) && !process.env.CI)('is drawn by headless Chromium (not a blank page)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'class-report-'));
    dirs.push(dir);
    const file = path.join(dir, 'class-report.html');
    await writeFile(file, html);
    const shot = await execa(path.join(ROOT, 'node_modules', '.bin', 'tsx'), [path.join(ROOT, 'scripts', 'screenshot-report.ts'), file, path.join(dir, 'class.png')], { reject: false });
    expect(shot.exitCode, `${shot.stdout}\n${shot.stderr}`).toBe(0);
  });
});
