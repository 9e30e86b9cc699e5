/**
 * How reports name what was graded: relative to the working directory when it
 * is inside it ("starter", "submissions/alice"), otherwise by the folder's own
 * name, so no JSON, HTML, JUnit or gradebook file carries the grading machine's
 * absolute paths (a home folder, a temp folder, /autograder/...).
 */
import path from 'node:path';

/** `file` as a report shows it (see the module comment); "." for the working directory itself. */
export function shownPath(file: string, base: string = process.cwd()): string {
  const absolute = path.resolve(base, file);
  const relative = path.relative(base, absolute);
  const inside = relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
  const shown = inside ? relative || '.' : path.basename(absolute);
  return shown.split(path.sep).join('/');
}
