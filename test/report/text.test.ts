import { describe, expect, it } from 'vitest';
import { isReporterName, reporterNames, reporters } from '../../grader/report/index.js';
import { capLines, cleanText, formatDuration, formatNumber } from '../../grader/report/text.js';
import { sampleResults } from './sample-results.js';

describe('report text helpers', () => {
  it('prints numbers with up to two decimals and no trailing zeros', () => {
    expect([3.5, 10, 1 / 3, 2.005e-3, -0, 0.1 + 0.2, 42.25].map(formatNumber))
      .toEqual(['3.5', '10', '0.33', '0', '0', '0.3', '42.25']);
  });

  it('prints durations in ms below a second, seconds above', () => {
    expect([4.4, 850, 1000, 1234, 90000].map(formatDuration)).toEqual(['4ms', '850ms', '1s', '1.23s', '90s']);
  });

  it('removes escapes and control characters but keeps tabs and line breaks', () => {
    expect(cleanText('a\x1b[31mb\x1b[0m\tc\r\nd\x07\x00e\x9b')).toBe('ab\tc\nde');
  });

  it('caps lines and counts the rest', () => {
    expect(capLines('a\nb\nc\n', 2)).toEqual({ lines: ['a', 'b'], more: 1 });
    expect(capLines('a\nb', 5)).toEqual({ lines: ['a', 'b'], more: 0 });
  });
});

describe('reporters', () => {
  it('maps every format name to its reporter', () => {
    expect(reporterNames).toEqual(['terminal', 'json', 'junit', 'gradescope', 'html', 'markdown']);
    expect(isReporterName('junit')).toBe(true);
    expect(isReporterName('toString')).toBe(false);
    const r = sampleResults();
    for (const name of reporterNames) expect(reporters[name](r)).toContain('affineBackward: batch of one');
  });
});
