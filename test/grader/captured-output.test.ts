/**
 * Issue 11: the output a student sees is what their code printed during the
 * graded calls, not during the grader's own extra calls (the self-check
 * differentiates the student's forward numerically, calling it many times).
 */
import { afterAll, expect, it } from 'vitest';
import { grade } from '../../grader/grade.js';
import { removeTempDirs, replaceBody, solutionSubmission } from './helpers.js';

afterAll(removeTempDirs);

it('a forward that prints once per call prints once per graded call, though the self-check calls it again', async () => {
  const submission = await solutionSubmission((file, source) => {
    if (file !== 'layers.ts') return source;
    const printing = replaceBody(source, 'affineForward', (block) => `console.log('forward called');\n${block}`);
    // a wrong db makes the grader cross-check the backward against this forward
    return replaceBody(printing, 'affineBackward', (block) => block.replace('const db = sumRows(dout);', 'const db = sumRows(dout); db.data[0] += 1;'));
  });
  const results = await grade({ submission, parts: ['affine'] });
  const part = results.parts[0];
  const forwardCases = part.cases.filter((c) => c.name.startsWith('affineForward'));
  expect(forwardCases.length).toBeGreaterThan(0);
  expect(part.cases.some((c) => c.feedback.some((f) => f.includes('numerical gradient of your own affineForward')))).toBe(true);
  expect(part.output.match(/forward called/g)?.length).toBe(forwardCases.length);
});
