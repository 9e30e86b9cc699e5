/** The progress bar drawn by `npm run train` and `npm run tune`, and the stream both write it to. */

/** The stream the progress goes to (process.stderr); isTTY and columns decide the style. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** "[########------------]" with `width` cells, filled in proportion to done / total. */
export function progressBar(done: number, total: number, width = 20): string {
  const filled = total > 0 ? Math.min(width, Math.round((done / total) * width)) : width;
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}
