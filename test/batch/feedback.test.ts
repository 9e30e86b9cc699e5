/** Issue 10: handed-back feedback shows only what each part's visibility allows, with totals of what it shows. */
import { describe, expect, it } from 'vitest';
import { studentFeedback, visibleToStudent } from '../../batch/feedback.js';
import { sampleResults } from '../report/sample-results.js';

describe('student feedback', () => {
  const results = sampleResults();
  results.parts[1].visibility = 'hidden';
  results.parts[2].visibility = 'after_published';
  results.parts[3].visibility = 'after_due_date';
  const hiddenTitle = results.parts[1].title, publishedTitle = results.parts[2].title;

  it('leaves out hidden parts always and after_published ones until released, and says so', () => {
    const shown = visibleToStudent(results, 'alice');
    const released = results.parts.filter((p) => p.visibility === 'visible' || p.visibility === 'after_due_date');
    expect(shown.parts.map((p) => p.id)).toEqual(released.map((p) => p.id));
    expect(shown.parts.map((p) => p.id)).not.toContain(results.parts[1].id);
    expect(shown.maxScore).toBe(released.reduce((s, p) => s + p.maxScore, 0));
    expect(shown.warnings.at(-1)).toMatch(new RegExp(`${results.parts.length - released.length} more part\\(s\\) are graded but not shown`));
    expect(shown.submission).toBe('alice');
    const published = visibleToStudent(results, 'alice', ['visible', 'after_due_date', 'after_published']);
    expect(published.parts.map((p) => p.visibility)).not.toContain('hidden');
    expect(published.parts.length).toBe(results.parts.filter((p) => p.visibility !== 'hidden').length);
  });

  it('writes text and HTML without the withheld parts', () => {
    const { text, html } = studentFeedback(results, 'alice');
    for (const out of [text, html]) {
      expect(out).not.toContain(hiddenTitle);
      expect(out).not.toContain(publishedTitle);
    }
    expect(html).toContain('<!DOCTYPE html>');
    expect(text).toContain(results.parts[0].title);
  });
});
