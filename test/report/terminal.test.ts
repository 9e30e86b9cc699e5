import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { terminalReport } from '../../grader/report/terminal.js';
import { sampleResults } from './sample-results.js';

const ESC = '\x1b';

/** The time column is the last one of a table row, after at least two spaces. */
function blankTimes(text: string): string {
  return text.replace(/(?<= {2})(\d+(?:\.\d+)?m?s|-)$/gm, '<time>');
}

function tableRows(text: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith('Part '));
  return lines.slice(start, start + 1 + sampleResults().parts.length);
}

describe('terminalReport', () => {
  it('without colour prints the table rows, the failing cases and the total, and no ANSI at all', () => {
    const text = terminalReport(sampleResults(), { color: false, verbose: false });
    expect(text).not.toContain(ESC);
    expect(text).toMatch(/^activations\s+Activation functions\s+PASS\s+10\/10\s+420ms$/m);
    expect(text).toMatch(/^layers\s+Affine layer\s+PARTIAL\s+3\.5\/5\s+1\.23s$/m);
    expect(text).toMatch(/^softmax\s+Softmax loss\s+NOT IMPLEMENTED\s+0\/10\s+20ms$/m);
    expect(text).toMatch(/^regularization\s+Regularisation \[hidden\]\s+FAIL\s+0\/5/m);
    expect(text).toMatch(/^optim\s+Optimisers \[after published\]\s+ERROR\s+0\/5/m);
    expect(text).toMatch(/^cifar10\s+CIFAR-10\s+NOT RUN\s+0\/10\s+-$/m);
    expect(text).toContain('      hint: dW = X^T dout, not dout^T X: the weight gradient looks transposed.');
    expect(text).toContain('  TIMEOUT affineBackward: large batch (0/0.25)');
    expect(text).toContain('\nTotal: 33.5 / 65 (10 points not attempted: no CIFAR-10 data: pass --cifar10 DIR');
    expect(text).toContain('  ! starter/optim.ts does not compile');
  });

  it('aligns every column of the table', () => {
    const rows = tableRows(terminalReport(sampleResults(), { color: false, verbose: false }));
    const statusAt = rows.map((r) => r.search(/(PASS|PARTIAL|FAIL|NOT IMPLEMENTED|ERROR|NOT RUN|Status)\b/));
    expect(new Set(statusAt).size).toBe(1);
    expect(new Set(rows.map((r) => r.length)).size).toBe(1); // right-aligned time column ends together
  });

  it('with colour emits ANSI codes, and the same table once they are stripped', () => {
    const plain = terminalReport(sampleResults(), { color: false, verbose: false });
    const coloured = terminalReport(sampleResults(), { color: true, verbose: false });
    expect(coloured).toContain(`${ESC}[32mPASS${ESC}[39m`);
    expect(coloured).toContain(`${ESC}[33mPARTIAL${ESC}[39m`);
    expect(stripVTControlCharacters(coloured)).toBe(plain);
  });

  it('shows three failing cases per part and counts the rest unless verbose', () => {
    const brief = terminalReport(sampleResults(), { color: false, verbose: false });
    expect(brief).toContain('  … 1 more failing case (--verbose shows all)');
    expect(brief).not.toContain('CRASHED');
    expect(brief).not.toContain('epoch 1 loss');
    const verbose = terminalReport(sampleResults(), { color: false, verbose: true });
    expect(verbose).toContain('  CRASHED affineBackward: "quoted", with comma (0/0.25)');
    expect(verbose).not.toContain('more failing');
  });

  it('in verbose mode shows captured output capped at 40 lines, cleaned of escapes and control characters', () => {
    const text = terminalReport(sampleResults(), { color: false, verbose: true });
    expect(text).toContain('    epoch 40 loss 0.0500\n    … 10 more lines\n');
    expect(text).not.toContain('epoch 41 loss');
    expect(text).toContain('    x < y && y > z ]]> done red\n');
    expect(text).not.toContain('\x07');
    expect(text).not.toContain(ESC);
  });

  it('says nothing about points not attempted when everything ran', () => {
    const r = sampleResults();
    r.parts = r.parts.filter((p) => p.status !== 'not_run');
    r.notAttempted = 0;
    expect(terminalReport(r, { color: false, verbose: false })).toMatch(/\nTotal: 33\.5 \/ 65\n$/);
  });

  it('matches the snapshots (times blanked)', async () => {
    await expect(blankTimes(terminalReport(sampleResults(), { color: false, verbose: false })))
      .toMatchFileSnapshot('__snapshots__/terminal.txt');
    await expect(blankTimes(terminalReport(sampleResults(), { color: false, verbose: true })))
      .toMatchFileSnapshot('__snapshots__/terminal-verbose.txt');
  });
});
