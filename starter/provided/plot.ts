/**
 * PROVIDED HELPER: do not edit.
 *
 * Plots as standalone SVG strings (no dependencies, no network): write one to a
 * .svg file and open it in any browser. The lectures ask to watch the loss go
 * down and to look at the decision boundary on the two half-moons.
 */
import { Matrix } from './matrix.js';

/** One curve: values[i] is drawn at x[i] (default i + 1, e.g. the epoch number). */
export interface Series {
  name: string;
  values: number[];
  x?: number[];
}

export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  width?: number;
  height?: number;
}

/** A labelled 2-D point; label is the class index. */
export interface Point {
  x: number;
  y: number;
  label: number;
}

/**
 * A decision boundary sampled on a grid: grid[r * resolution + c] is the class
 * predicted at the centre of cell (r, c); row 0 is at y0 (the bottom), column 0 at x0.
 */
export interface BoundaryGrid {
  x: [number, number];
  y: [number, number];
  resolution: number;
  grid: number[];
  points: Point[];
}

/** Tableau 10: distinguishable colours, one per class or series. */
const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
const FONT = 'font-family="Helvetica, Arial, sans-serif"';

/** Colour of class or series k (the palette repeats after 10). */
export function colour(k: number): string {
  return PALETTE[((k % PALETTE.length) + PALETTE.length) % PALETTE.length];
}

/** Text made safe for SVG content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** A coordinate with two decimals, enough for a screen and short to write. */
function num(v: number): string {
  return String(Math.round(v * 100) / 100);
}

function svgOpen(width: number, height: number, title: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT} font-size="12">\n`
    + `<title>${escapeXml(title)}</title>\n<rect width="${width}" height="${height}" fill="#ffffff"/>\n`
    + `<text x="${num(width / 2)}" y="22" text-anchor="middle" font-size="16" font-weight="bold">${escapeXml(title)}</text>\n`;
}

/** Ticks: positions with the decimals their labels need. */
export interface Ticks {
  ticks: number[];
  decimals: number;
}

/** A step of 1, 2 or 5 times a power of ten giving about `count` intervals over [lo, hi], and the decimals it needs. */
function niceStep(lo: number, hi: number, count: number): { step: number; decimals: number } {
  const raw = (hi - lo) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const r = raw / magnitude;
  const step = (r < 1.5 ? 1 : r < 3 ? 2 : r < 7 ? 5 : 10) * magnitude;
  return { step, decimals: Math.max(0, -Math.floor(Math.log10(step) + 1e-9)) };
}

/** A degenerate range (one value) widened so that it has an extent. */
function widen(lo: number, hi: number): [number, number] {
  if (hi > lo) return [lo, hi];
  const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
  return [lo - pad, hi + pad];
}

/** Round tick positions inside [lo, hi], about `count` of them (steps of 1, 2 or 5 times a power of ten). */
export function niceTicks(lo: number, hi: number, count = 6): Ticks {
  [lo, hi] = widen(lo, hi);
  const { step, decimals } = niceStep(lo, hi, count);
  const ticks: number[] = [];
  for (let i = Math.ceil(lo / step - 1e-9); i <= Math.floor(hi / step + 1e-9); i++) ticks.push(Number((i * step).toFixed(decimals)));
  return { ticks, decimals };
}

/** [lo, hi] widened to the nearest round ticks outside it, so a curve never touches the frame. */
function niceDomain(lo: number, hi: number): { domain: [number, number] } & Ticks {
  [lo, hi] = widen(lo, hi);
  const { step, decimals } = niceStep(lo, hi, 5);
  const first = Math.floor(lo / step + 1e-9), last = Math.ceil(hi / step - 1e-9);
  const ticks: number[] = [];
  for (let i = first; i <= last; i++) ticks.push(Number((i * step).toFixed(decimals)));
  return { domain: [first * step, last * step], ticks, decimals };
}

interface Frame {
  left: number;
  top: number;
  width: number;
  height: number;
  xDomain: [number, number];
  yDomain: [number, number];
  xTicks: Ticks;
  yTicks: Ticks;
}

function sx(f: Frame, x: number): number {
  return f.left + ((x - f.xDomain[0]) / (f.xDomain[1] - f.xDomain[0])) * f.width;
}

function sy(f: Frame, y: number): number {
  return f.top + f.height - ((y - f.yDomain[0]) / (f.yDomain[1] - f.yDomain[0])) * f.height;
}

/** Frame, tick marks with labels, grid lines (optional) and axis titles. */
function axes(f: Frame, xLabel: string, yLabel: string, gridLines: boolean): string {
  const out: string[] = [];
  const bottom = f.top + f.height;
  const xt = f.xTicks;
  for (const t of xt.ticks) {
    const x = num(sx(f, t));
    if (gridLines) out.push(`<line x1="${x}" y1="${f.top}" x2="${x}" y2="${bottom}" stroke="#e6e6e6"/>`);
    out.push(`<line x1="${x}" y1="${bottom}" x2="${x}" y2="${bottom + 5}" stroke="#333333"/>`);
    out.push(`<text x="${x}" y="${bottom + 18}" text-anchor="middle">${t.toFixed(xt.decimals)}</text>`);
  }
  const yt = f.yTicks;
  for (const t of yt.ticks) {
    const y = num(sy(f, t));
    if (gridLines) out.push(`<line x1="${f.left}" y1="${y}" x2="${f.left + f.width}" y2="${y}" stroke="#e6e6e6"/>`);
    out.push(`<line x1="${f.left - 5}" y1="${y}" x2="${f.left}" y2="${y}" stroke="#333333"/>`);
    out.push(`<text x="${f.left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle">${t.toFixed(yt.decimals)}</text>`);
  }
  out.push(`<rect x="${f.left}" y="${f.top}" width="${f.width}" height="${f.height}" fill="none" stroke="#333333"/>`);
  out.push(`<text x="${num(f.left + f.width / 2)}" y="${bottom + 40}" text-anchor="middle" font-size="13">${escapeXml(xLabel)}</text>`);
  const yMid = num(f.top + f.height / 2);
  out.push(`<text x="18" y="${yMid}" text-anchor="middle" font-size="13" transform="rotate(-90 18 ${yMid})">${escapeXml(yLabel)}</text>`);
  return out.join('\n') + '\n';
}

/** A boxed legend in the frame's top-right corner: a swatch and a name per entry. */
function legend(f: Frame, entries: { name: string; colour: string; marker: 'line' | 'dot' }[]): string {
  if (entries.length === 0) return '';
  const width = 40 + Math.max(...entries.map((e) => e.name.length)) * 7;
  const x = f.left + f.width - width - 8;
  const y = f.top + 8;
  const out = [`<g class="legend"><rect x="${num(x)}" y="${y}" width="${num(width)}" height="${entries.length * 18 + 8}" fill="#ffffff" fill-opacity="0.85" stroke="#999999"/>`];
  entries.forEach((e, i) => {
    const cy = y + 13 + i * 18;
    out.push(e.marker === 'line'
      ? `<line x1="${num(x + 8)}" y1="${cy}" x2="${num(x + 28)}" y2="${cy}" stroke="${e.colour}" stroke-width="2.5"/>`
      : `<circle cx="${num(x + 18)}" cy="${cy}" r="4" fill="${e.colour}" stroke="#ffffff"/>`);
    out.push(`<text x="${num(x + 34)}" y="${cy}" dominant-baseline="middle">${escapeXml(e.name)}</text>`);
  });
  out.push('</g>');
  return out.join('\n') + '\n';
}

/**
 * A line chart of one or more series (e.g. loss per iteration and per epoch) with
 * axes, ticks and a legend. Non-finite values (a diverged loss) break the line.
 */
export function lineChart(options: LineChartOptions): string {
  const { title, xLabel, yLabel, series } = options;
  const width = options.width ?? 720;
  const height = options.height ?? 440;
  const xs = series.map((s) => {
    if (s.x && s.x.length !== s.values.length) {
      throw new RangeError(`lineChart: series "${s.name}" has ${s.values.length} values but ${s.x.length} x positions`);
    }
    return s.x ?? s.values.map((_, i) => i + 1);
  });
  const finiteX: number[] = [];
  const finiteY: number[] = [];
  series.forEach((s, k) => s.values.forEach((v, i) => {
    if (Number.isFinite(v) && Number.isFinite(xs[k][i])) {
      finiteX.push(xs[k][i]);
      finiteY.push(v);
    }
  }));
  const range = (v: number[]): [number, number] => (v.length ? [Math.min(...v), Math.max(...v)] : [0, 1]);
  // x spans the data exactly (iterations start at 1), y is widened to round ticks
  const [xMin, xMax] = range(finiteX);
  const x = xMax > xMin ? { domain: [xMin, xMax] as [number, number], ...niceTicks(xMin, xMax) } : niceDomain(xMin, xMax);
  const y = niceDomain(...range(finiteY));
  const frame: Frame = {
    left: 70, top: 40, width: width - 90, height: height - 100,
    xDomain: x.domain, yDomain: y.domain, xTicks: x, yTicks: y,
  };
  let svg = svgOpen(width, height, title) + axes(frame, xLabel, yLabel, true);
  series.forEach((s, k) => {
    const runs: string[][] = [[]];
    s.values.forEach((v, i) => {
      if (Number.isFinite(v) && Number.isFinite(xs[k][i])) runs[runs.length - 1].push(`${num(sx(frame, xs[k][i]))},${num(sy(frame, v))}`);
      else if (runs[runs.length - 1].length) runs.push([]);
    });
    svg += `<g class="series" stroke="${colour(k)}">\n`;
    for (const run of runs) {
      if (run.length === 1) svg += `<circle cx="${run[0].split(',')[0]}" cy="${run[0].split(',')[1]}" r="2.5" fill="${colour(k)}"/>\n`;
      else if (run.length > 1) svg += `<polyline fill="none" stroke-width="1.8" stroke-linejoin="round" points="${run.join(' ')}"/>\n`;
    }
    svg += '</g>\n';
  });
  if (finiteY.length === 0) {
    svg += `<text x="${num(frame.left + frame.width / 2)}" y="${num(frame.top + frame.height / 2)}" text-anchor="middle" fill="#999999">no finite values to plot</text>\n`;
  }
  svg += legend(frame, series.map((s, k) => ({ name: s.name, colour: colour(k), marker: 'line' })));
  return svg + '</svg>\n';
}

/** The points of a 2-D data set (X is N x 2), for the decision-boundary plot. */
export function pointsOf(X: Matrix, y: readonly number[]): Point[] {
  if (X.cols !== 2) throw new RangeError(`pointsOf: X must have 2 columns to be plotted, got ${X.shape}`);
  return y.map((label, n) => ({ x: X.data[2 * n], y: X.data[2 * n + 1], label }));
}

/**
 * Samples a classifier on a resolution x resolution grid spanning the points
 * plus `margin` on every side: the input to decisionBoundarySvg.
 * predict receives all cell centres at once (one row (x, y) per cell, row-major
 * from the bottom row) and returns one class index per row.
 */
export function boundaryGrid(
  predict: (X: Matrix) => number[], points: readonly Point[], resolution = 100, margin = 0.5,
): BoundaryGrid {
  if (!Number.isInteger(resolution) || resolution < 1) throw new RangeError(`boundaryGrid: resolution must be a positive integer, got ${resolution}`);
  if (points.length === 0) throw new RangeError('boundaryGrid: needs at least one point to size the grid');
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const x: [number, number] = [Math.min(...xs) - margin, Math.max(...xs) + margin];
  const y: [number, number] = [Math.min(...ys) - margin, Math.max(...ys) + margin];
  if (!(x[1] > x[0]) || !(y[1] > y[0])) {
    throw new RangeError(`boundaryGrid: the points span no area (x ${x[0]}..${x[1]}, y ${y[0]}..${y[1]}): use a margin > 0`);
  }
  const cells = new Matrix(resolution * resolution, 2);
  for (let r = 0; r < resolution; r++) {
    for (let c = 0; c < resolution; c++) {
      const i = r * resolution + c;
      cells.data[2 * i] = x[0] + ((c + 0.5) * (x[1] - x[0])) / resolution;
      cells.data[2 * i + 1] = y[0] + ((r + 0.5) * (y[1] - y[0])) / resolution;
    }
  }
  const grid = predict(cells);
  if (grid.length !== cells.rows) throw new RangeError(`boundaryGrid: predict returned ${grid.length} classes for ${cells.rows} grid cells`);
  return { x, y, resolution, grid: Array.from(grid), points: [...points] };
}

/**
 * The decision regions as pale coloured cells with the points on top (one colour
 * per class), axes and a class legend.
 */
export function decisionBoundarySvg(data: BoundaryGrid, title = 'Decision boundary'): string {
  const { resolution: n, grid, points } = data;
  if (grid.length !== n * n) throw new RangeError(`decisionBoundarySvg: grid has ${grid.length} cells, resolution ${n} needs ${n * n}`);
  const size = 480;
  const frame: Frame = {
    left: 70, top: 40, width: size, height: size,
    xDomain: data.x, yDomain: data.y, xTicks: niceTicks(...data.x), yTicks: niceTicks(...data.y),
  };
  const cw = size / n;
  let svg = svgOpen(size + 90, size + 100, title) + '<g class="regions" fill-opacity="0.3" shape-rendering="crispEdges">\n';
  // one rectangle per run of equal cells in a row keeps the file small
  for (let r = 0; r < n; r++) {
    const top = frame.top + size - (r + 1) * cw;
    for (let c = 0; c < n;) {
      const k = grid[r * n + c];
      let end = c + 1;
      while (end < n && grid[r * n + end] === k) end++;
      svg += `<rect x="${num(frame.left + c * cw)}" y="${num(top)}" width="${num((end - c) * cw + 0.01)}" height="${num(cw + 0.01)}" fill="${colour(k)}"/>\n`;
      c = end;
    }
  }
  svg += '</g>\n' + axes(frame, 'x1', 'x2', false) + '<g class="points" stroke="#ffffff" stroke-width="0.6">\n';
  for (const p of points) svg += `<circle cx="${num(sx(frame, p.x))}" cy="${num(sy(frame, p.y))}" r="3.2" fill="${colour(p.label)}"/>\n`;
  svg += '</g>\n';
  const classes = [...new Set([...grid, ...points.map((p) => p.label)])].sort((a, b) => a - b);
  return svg + legend(frame, classes.map((k) => ({ name: `class ${k}`, colour: colour(k), marker: 'dot' }))) + '</svg>\n';
}

/** counts[t][p] = how many examples of true class t were predicted as p. */
export function confusionCounts(predicted: readonly number[], y: readonly number[], classes: number): number[][] {
  if (predicted.length !== y.length) throw new RangeError(`confusionCounts: ${predicted.length} predictions for ${y.length} labels`);
  const counts = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  y.forEach((t, n) => counts[t][predicted[n]]++);
  return counts;
}

/**
 * A confusion matrix (rows: true class, columns: predicted class) with the count
 * in each cell, shaded by its share of the row, so errors stand out per class.
 */
export function confusionMatrixSvg(matrix: number[][], labels?: string[], title = 'Confusion matrix'): string {
  const n = matrix.length;
  if (n === 0 || matrix.some((row) => row.length !== n)) throw new RangeError(`confusionMatrixSvg: the matrix must be square and non-empty, got ${n} rows`);
  if (labels && labels.length !== n) throw new RangeError(`confusionMatrixSvg: ${labels.length} labels for ${n} classes`);
  const names = labels ?? matrix.map((_, k) => String(k));
  const cell = Math.max(28, Math.min(60, Math.floor(480 / n)));
  const labelWidth = 20 + Math.max(...names.map((s) => s.length)) * 7;
  const left = 40 + labelWidth;
  const top = 60;
  const width = left + n * cell + 30;
  const height = top + n * cell + labelWidth + 40;
  let svg = svgOpen(width, height, title);
  svg += `<text x="${num(left + (n * cell) / 2)}" y="${top + n * cell + labelWidth + 25}" text-anchor="middle" font-size="13">predicted class</text>\n`;
  const yMid = num(top + (n * cell) / 2);
  svg += `<text x="18" y="${yMid}" text-anchor="middle" font-size="13" transform="rotate(-90 18 ${yMid})">true class</text>\n`;
  const fontSize = Math.min(13, Math.floor(cell / 3));
  svg += `<g class="cells" font-size="${fontSize}">\n`;
  matrix.forEach((row, t) => {
    const total = row.reduce((s, v) => s + v, 0);
    row.forEach((count, p) => {
      const share = total > 0 ? count / total : 0;
      // white to dark blue (#08519c) as the share grows
      const shade = (from: number, to: number) => Math.round(from + (to - from) * share);
      const fill = `rgb(${shade(255, 8)},${shade(255, 81)},${shade(255, 156)})`;
      const x = left + p * cell, y = top + t * cell;
      svg += `<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${fill}" stroke="#cccccc"/>`;
      svg += `<text x="${x + cell / 2}" y="${y + cell / 2}" text-anchor="middle" dominant-baseline="middle" fill="${share > 0.5 ? '#ffffff' : '#222222'}">${count}</text>\n`;
    });
  });
  svg += '</g>\n';
  names.forEach((name, k) => {
    const cy = top + k * cell + cell / 2, cx = left + k * cell + cell / 2, by = top + n * cell + 8;
    svg += `<text x="${left - 6}" y="${cy}" text-anchor="end" dominant-baseline="middle">${escapeXml(name)}</text>\n`;
    svg += `<text x="${cx}" y="${by}" text-anchor="end" dominant-baseline="middle" transform="rotate(-90 ${cx} ${by})">${escapeXml(name)}</text>\n`;
  });
  return svg + '</svg>\n';
}
