/**
 * Issue 10's similarity check: a renamed and reformatted copy of a solution is
 * flagged, two independent correct solutions (the reference and the loops
 * solution, written differently) are not, and the starter's own code counts
 * for nothing. The scores are printed so the threshold's margin is visible.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fingerprint, matchedLines, rankPairs, SIMILARITY_THRESHOLD, similarity, starterPrints, tokens, type Fingerprints } from '../../batch/similarity.js';
import { STUDENT_MODULES } from '../../grader/modules.js';
import { ROOT } from '../../grader/root.js';
import { writeFromReference } from '../../instructor/starter.js';
import { removeTempDirs, tempDir } from '../grader/helpers.js';

afterAll(removeTempDirs);

/** The default flag threshold of --similarity: independent correct solutions measured about 0.36 here, copies 1.0. */
const THRESHOLD = SIMILARITY_THRESHOLD;

async function readFiles(dir: string): Promise<Map<string, string>> {
  return new Map(await Promise.all(STUDENT_MODULES.map(async (f) => [f, await readFile(path.join(dir, f), 'utf8')] as [string, string])));
}

/** A copy with every identifier renamed, the comments dropped and the layout changed: what a student hiding a copy does. */
function disguise(source: string): string {
  let n = 0;
  const names = new Map<string, string>();
  const keep = /^(function|return|const|let|for|if|else|new|of|export|import|from|type|interface|throw|true|false|null|undefined|as|Matrix|Math|Float64Array|number|string|readonly|boolean|switch|case)$/;
  return source
    .replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, '')
    .replace(/'[^'\n]*'|"[^"\n]*"/g, (s) => s)
    .replace(/\b[A-Za-z_]\w*\b/g, (w) => {
      if (keep.test(w) || /^[A-Z]/.test(w)) return w;
      if (!names.has(w)) names.set(w, `v${n++}_${w.length}`);
      return names.get(w)!;
    })
    .replace(/\n\s*/g, '\n    ')
    .replace(/;/g, ' ;');
}

describe('similarity', () => {
  it('normalises names, literals, comments and layout away', () => {
    const a = tokens('const total = x + 1; // sum\nreturn "a";').map((t) => t.token);
    const b = tokens('let   s=y+2 /* other */;\n\n return `b`;').map((t) => t.token);
    expect(a.slice(1)).toEqual(b.slice(1));
  });

  it('flags a renamed copy and not two independent solutions; the starter counts for nothing', async () => {
    const starter = starterPrints(await readFiles(path.join(ROOT, 'starter')));
    const refDir = await tempDir('sim-ref-');
    await writeFromReference(refDir, 'solution');
    const reference = await readFiles(refDir);
    const copy = new Map([...reference].map(([f, s]) => [f, disguise(s)]));
    const loops = await readFiles(path.join(ROOT, 'test', 'submissions', 'loops'));
    const starterOnly = await readFiles(path.join(ROOT, 'starter'));
    const students = new Map<string, Fingerprints>([
      ['reference', fingerprint(reference, starter)],
      ['renamed-copy', fingerprint(copy, starter)],
      ['loops', fingerprint(loops, starter)],
      ['untouched-starter', fingerprint(starterOnly, starter)],
    ]);
    const pairs = rankPairs(students);
    console.log(`similarity scores (threshold ${THRESHOLD}):\n${pairs.map((p) => `  ${p.a} ~ ${p.b}: ${p.score.toFixed(3)} (${p.shared} shared of ${Math.min(...p.sizes)})`).join('\n')}`);
    const score = (a: string, b: string) => similarity(students.get(a)!, students.get(b)!).score;
    expect(score('reference', 'renamed-copy')).toBeGreaterThan(0.9);
    expect(score('reference', 'loops')).toBeLessThan(THRESHOLD - 0.2);
    expect(score('renamed-copy', 'loops')).toBeLessThan(THRESHOLD - 0.2);
    expect(students.get('untouched-starter')!.all.size).toBe(0);
    expect(pairs[0]).toMatchObject({ a: 'reference', b: 'renamed-copy' });
    const lines = matchedLines(students.get('reference')!, students.get('renamed-copy')!, 'network.ts');
    expect(lines.a.length).toBeGreaterThan(5);
    expect(lines.b.length).toBeGreaterThan(5);
  });
});
