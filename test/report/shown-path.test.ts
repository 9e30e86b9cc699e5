/** How reports name the graded submission: never by an absolute path of the grading machine. */
import { describe, expect, it } from 'vitest';
import { shownPath } from '../../grader/shown-path.js';

describe('shownPath', () => {
  it('is relative to the working directory inside it, the folder name outside it', () => {
    expect(shownPath('/home/ta/course/starter', '/home/ta/course')).toBe('starter');
    expect(shownPath('submissions/alice', '/home/ta/course')).toBe('submissions/alice');
    expect(shownPath('/home/ta/course', '/home/ta/course')).toBe('.');
    expect(shownPath('/autograder/submission', '/autograder/source')).toBe('submission');
    expect(shownPath('/tmp/grader-sub-x1', '/home/ta/course')).toBe('grader-sub-x1');
    expect(shownPath('/home/ta/course-other/x', '/home/ta/course')).toBe('x'); // a sibling that only shares a prefix is outside
  });
});
