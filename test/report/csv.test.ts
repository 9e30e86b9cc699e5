import { describe, expect, it } from 'vitest';
import { gradebookCsv } from '../../grader/report/csv.js';
import { sampleResults } from './sample-results.js';

/** A small RFC 4180 reader, so the test checks what a spreadsheet would read back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(field); field = ''; }
    else if (ch === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; }
    else field += ch;
  }
  expect(field === '' && row.length === 0, 'text ends with CRLF').toBe(true);
  return rows;
}

describe('gradebookCsv', () => {
  const alice = sampleResults();
  const carol = sampleResults();
  carol.parts = [carol.parts[0], { ...carol.parts[1], id: 'extra', score: 1.234 }];
  carol.score = 11.234;
  carol.maxScore = 15;

  const csv = gradebookCsv([
    { student: 'alice', results: alice },
    { student: 'Smith, "Bob"\nJr.', results: null, error: 'bob.zip: not a zip file, "re-upload"' },
    { student: 'carol', results: carol },
  ]);

  it('has the header, one row per student and the union of part ids in first-seen order', () => {
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual(['student', 'activations', 'layers', 'softmax', 'regularization', 'optim', 'mnist',
      'cifar10', 'extra', 'total', 'max', 'status']);
    expect(rows).toHaveLength(4);
    expect(rows[1]).toEqual(['alice', '10', '3.5', '0', '0', '0', '20', '0', '', '33.5', '65', 'graded']);
    expect(rows[3]).toEqual(['carol', '10', '', '', '', '', '', '', '1.23', '11.23', '15', 'graded']);
  });

  it('leaves part cells empty and gives the error as status when a submission could not be graded', () => {
    const rows = parseCsv(csv);
    expect(rows[2]).toEqual(['Smith, "Bob"\nJr.', '', '', '', '', '', '', '', '', '', '', 'bob.zip: not a zip file, "re-upload"']);
  });

  it('quotes fields with commas, quotes or line breaks, and only those', () => {
    expect(csv.split('\r\n')[1]).toBe('alice,10,3.5,0,0,0,20,0,,33.5,65,graded');
    expect(csv).toContain('"Smith, ""Bob""\nJr.",,');
    expect(csv).toContain(',"bob.zip: not a zip file, ""re-upload"""\r\n');
    expect(csv.endsWith('\r\n')).toBe(true);
  });

  it('matches the snapshot', async () => {
    await expect(csv).toMatchFileSnapshot('__snapshots__/gradebook.csv');
  });
});
