/**
 * Replies the grader could not serialise or print (issue 8): a BigInt in a
 * forged result frame, a return value whose JSON is past V8's string limit
 * (100 M lone surrogates: each becomes a 6-character escape), a BigInt64Array,
 * control characters in a thrown error. Each used to be able to end the
 * whole grade (exit 2, no report); now each costs the case that met it, and
 * every report format still renders.
 */
import { XMLValidator } from 'fast-xml-parser';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { grade } from '../../grader/grade.js';
import { reporters } from '../../grader/report/index.js';
import type { GradingResults } from '../../grader/results.js';
import { expectConsistentTotals, lostCases, removeTempDirs, replaceBody, runGradeCli, solutionSubmission, tempDir } from '../grader/helpers.js';
import { WIRE_SOURCE } from './wire-source.js';

afterAll(removeTempDirs);

/** relError bodies, by what they send back. */
const REL_ERROR: Record<string, string> = {
  'a BigInt in a hand-written V8 frame carrying the right id and nonce': [
    "  const v8 = (process as any).getBuiltinModule('v8');",
    "  const body: Buffer = v8.serialize({ type: 'result', id: lastCall!.id, nonce: lastCall!.nonce, ok: true, value: 10n });",
    '  const head = Buffer.alloc(4);',
    '  head.writeUInt32BE(body.length);',
    '  writeAll(Buffer.concat([head, body]));',
    '  return 0;',
  ].join('\n'),
  'a string of 100 M lone surrogates': "  return '\\ud800'.repeat(100e6) as unknown as number;",
  'a BigInt64Array': '  return new BigInt64Array([1n, 2n]) as unknown as number;',
  'control characters in a thrown error': "  const e = new Error('bad \\u0000\\u0007\\u001b[31m \\ud800 <x> & ]]> end');\n  e.name = 'Err\\u0000or';\n  throw e;",
};

/** The reference with relError's body replaced. */
function relErrorSubmission(body: string): Promise<string> {
  return solutionSubmission((file, source) => (file === 'gradcheck.ts' ? WIRE_SOURCE + replaceBody(source, 'relError', body) : source));
}

/** Grades the gradcheck part of the reference with relError's body replaced. */
async function gradeRelError(body: string): Promise<GradingResults> {
  return grade({ submission: await relErrorSubmission(body), parts: ['gradcheck'] });
}

describe('a reply the grader cannot serialise or print', () => {
  it.each(Object.entries(REL_ERROR))('%s costs the cases that call it only, and every report renders', async (_what, body) => {
    const results = await gradeRelError(body);
    expectConsistentTotals(results);
    // every relError case runs the hostile body; every other case of the part keeps its points
    const relErrorCases = results.parts[0].cases.filter((x) => x.id.startsWith('relError/'));
    expect(relErrorCases.length).toBeGreaterThan(0);
    expect(lostCases(results)).toEqual(relErrorCases.map((x) => `gradcheck/${x.id}`).sort());
    for (const c of relErrorCases) {
      expect(['failed', 'error', 'crashed']).toContain(c.status);
      for (const line of c.feedback) expect(line.length).toBeLessThan(3000);
    }
    for (const [name, report] of Object.entries(reporters)) {
      const text = (report as (r: GradingResults) => string)(results);
      expect(text.length, name).toBeLessThan(200_000);
      if (name === 'json' || name === 'gradescope') expect(() => JSON.parse(text), name).not.toThrow();
      if (name === 'junit') expect(XMLValidator.validate(text), name).toBe(true);
    }
  });

  it('through the grade command: no exit 2, and the JSON and Gradescope reports are written', async () => {
    const submission = await relErrorSubmission(REL_ERROR['a BigInt in a hand-written V8 frame carrying the right id and nonce']);
    const out = await tempDir();
    const [json, gradescope] = [path.join(out, 'report.json'), path.join(out, 'results.json')];
    const run = await runGradeCli(['--submission', submission, '--part', 'gradcheck', '--json', json, '--gradescope', gradescope]);
    expect(run.exitCode, run.stderr).not.toBe(2);
    expect(run.stderr).not.toMatch(/bug in the grader/);
    expect(JSON.parse(await readFile(json, 'utf8'))).toBeTypeOf('object');
    expect(JSON.parse(await readFile(gradescope, 'utf8'))).toBeTypeOf('object');
  });
});
