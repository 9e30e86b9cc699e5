/**
 * Issue 10: the Canvas import and the Moodle worksheet read back through a real
 * CSV parser (csv-parse) with names holding commas, quotes, line breaks and any
 * Unicode unchanged, and formula-like cells defused with a leading apostrophe.
 */
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { canvasImportCsv, LmsFileError, moodleWorksheetCsv } from '../../batch/lms-csv.js';

const read = (csv: string) => parse(csv, { skip_empty_lines: true }) as string[][];

const CANVAS_EXPORT = [
  'Student,ID,SIS User ID,SIS Login ID,Section,Quiz 1 (101),Homework BP (202),Current Score,Final Score',
  '    Points Possible,,,,,10.00,100.00,(read only),(read only)',
  '"Doe, Jane",12345,S1,jdoe,Sec A,8,,,',
  `"=HYPERLINK(""http://x"")",222,S2,evil,Sec A,,,,`,
  '"Zoë ""Z""\nÜnïcode 你好",333,S3,zoe,Sec B,,,,',
  'Test Student,999,,,Sec A,,,,',
].join('\r\n');

describe('canvasImportCsv', () => {
  it('fills the chosen assignment column by Canvas user id and keeps what Canvas needs', () => {
    const { csv, column, matched, unknown } = canvasImportCsv(CANVAS_EXPORT, [
      { id: '12345', score: 97.5 }, { id: '222', score: 0 }, { id: '333', score: 100 }, { id: '4444', score: 50 }, { id: '999' },
    ], 'Homework BP');
    expect(column).toBe('Homework BP (202)');
    expect(matched).toBe(3);
    expect(unknown).toEqual(['4444']);
    const rows = read(csv);
    expect(rows[0]).toEqual(['Student', 'ID', 'SIS User ID', 'SIS Login ID', 'Section', 'Homework BP (202)']);
    expect(rows[1]).toEqual(['    Points Possible', '', '', '', '', '100.00']);
    expect(rows[2]).toEqual(['Doe, Jane', '12345', 'S1', 'jdoe', 'Sec A', '97.5']);
    expect(rows[3][0]).toBe(`'=HYPERLINK("http://x")`);
    expect(rows[3][5]).toBe('0');
    expect(rows[4][0]).toBe('Zoë "Z"\nÜnïcode 你好');
    expect(rows[4][5]).toBe('100');
    expect(rows[5]).toEqual(['Test Student', '999', '', '', 'Sec A', '']);
  });

  it('asks which assignment when the export has several, and names a missing id column', () => {
    expect(() => canvasImportCsv(CANVAS_EXPORT, [])).toThrow(/2 assignment columns .*--canvas-assignment NAME/);
    expect(() => canvasImportCsv('Name,Score\nA,1\n', [])).toThrow(LmsFileError);
    expect(() => canvasImportCsv('Name,Score\nA,1\n', [])).toThrow(/no Student, ID, SIS User ID, Section column/);
  });
});

describe('moodleWorksheetCsv', () => {
  it("writes Moodle's worksheet columns, matched by Identifier, and reads back unchanged", () => {
    const csv = moodleWorksheetCsv([
      { id: '123456', name: 'Jane Doe', email: 'jane@uni.edu', score: 88.25, maxScore: 100, comment: 'network: 10/12, see feedback' },
      { id: '777', name: 'Zoë "Z", Ünïcode\nsecond line', score: 100, maxScore: 100 },
      { id: '5', name: '@SUM(A1:A2)', comment: '-2 points: +cmd' },
    ]);
    const rows = read(csv);
    expect(rows[0]).toEqual(['Identifier', 'Full name', 'Email address', 'Status', 'Grade', 'Maximum Grade', 'Grade can be changed', 'Last modified (submission)', 'Last modified (grade)', 'Feedback comments']);
    expect(rows[1]).toEqual(['Participant 123456', 'Jane Doe', 'jane@uni.edu', 'Graded', '88.25', '100', 'Yes', '', '', 'network: 10/12, see feedback']);
    expect(rows[2][1]).toBe('Zoë "Z", Ünïcode\nsecond line');
    expect(rows[3].slice(0, 5)).toEqual(['Participant 5', "'@SUM(A1:A2)", '', 'Not graded', '']);
    expect(rows[3][9]).toBe("'-2 points: +cmd");
  });
});
