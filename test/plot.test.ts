/**
 * The provided plots must be well-formed standalone SVG (a browser refuses a
 * broken one silently) and must draw what they claim: every series, point,
 * region and count, with user text escaped.
 */
import { describe, expect, it } from 'vitest';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { Matrix } from '../starter/provided/matrix.js';
import {
  boundaryGrid, confusionCounts, confusionMatrixSvg, decisionBoundarySvg, escapeXml, lineChart, niceTicks, pointsOf,
  type BoundaryGrid,
} from '../starter/provided/plot.js';

type Node = Record<string, unknown>;

/** Every element with the given tag, anywhere in the parsed document. */
function elements(svg: string, tag: string): Node[] {
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', isArray: (_name, _path, _leaf, isAttribute) => !isAttribute, parseTagValue: false }).parse(svg) as Node;
  const found: Node[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== 'object') return;
    for (const [key, child] of Object.entries(node)) {
      if (key === tag) found.push(...(child as Node[]));
      if (!key.startsWith('@_')) walk(child);
    }
  };
  walk(doc);
  return found;
}

/** The text content of every <text> element. */
function texts(svg: string): string[] {
  return elements(svg, 'text').map((t) => String(t['#text'] ?? ''));
}

/** Asserts a standalone, well-formed SVG document. */
function expectValidSvg(svg: string): void {
  expect(XMLValidator.validate(svg)).toBe(true);
  const [root] = elements(svg, 'svg');
  expect(root['@_xmlns']).toBe('http://www.w3.org/2000/svg');
  expect(Number(root['@_width'])).toBeGreaterThan(0);
  expect(svg).not.toMatch(/NaN|Infinity|undefined/);
}

describe('escapeXml and niceTicks', () => {
  it('escapes the five XML special characters', () => {
    expect(escapeXml(`a<b>&"c"'`)).toBe('a&lt;b&gt;&amp;&quot;c&quot;&apos;');
  });

  it('picks steps of 1, 2 or 5 times a power of ten', () => {
    expect(niceTicks(0, 1)).toEqual({ ticks: [0, 0.2, 0.4, 0.6, 0.8, 1], decimals: 1 });
    expect(niceTicks(1, 1600).ticks).toEqual([200, 400, 600, 800, 1000, 1200, 1400, 1600]);
    expect(niceTicks(0.85, 0.97)).toEqual({ ticks: [0.86, 0.88, 0.9, 0.92, 0.94, 0.96], decimals: 2 });
    expect(niceTicks(5, 5).ticks).toEqual([4.6, 4.8, 5, 5.2, 5.4]);
  });
});

describe('lineChart', () => {
  const chart = lineChart({
    title: 'Loss <MNIST> & co',
    xLabel: 'iteration',
    yLabel: 'loss',
    series: [
      { name: 'batch "loss"', values: [2.3, 1.9, 1.2, 0.9, 0.7, 0.6] },
      { name: 'epoch loss', values: [1.8, 0.73], x: [3, 6] },
    ],
  });

  it('is a well-formed standalone SVG', () => expectValidSvg(chart));

  it('draws one line per series and names each in the legend', () => {
    const lines = elements(chart, 'polyline');
    expect(lines).toHaveLength(2);
    expect(String(lines[0]['@_points']).split(' ')).toHaveLength(6);
    expect(String(lines[1]['@_points']).split(' ')).toHaveLength(2);
    const legend = elements(chart, 'g').find((g) => g['@_class'] === 'legend');
    expect(legend).toBeDefined();
    expect(texts(chart)).toEqual(expect.arrayContaining(['batch "loss"', 'epoch loss', 'Loss <MNIST> & co', 'iteration', 'loss']));
    expect(chart).toContain('<title>Loss &lt;MNIST&gt; &amp; co</title>');
  });

  it('has tick labels on both axes', () => {
    expect(texts(chart)).toEqual(expect.arrayContaining(['1', '2', '6', '0.5', '1.0', '2.5']));
  });

  it('places larger values higher and later x further right', () => {
    const points = String(elements(chart, 'polyline')[0]['@_points']).split(' ').map((p) => p.split(',').map(Number));
    for (let i = 1; i < points.length; i++) {
      expect(points[i][0]).toBeGreaterThan(points[i - 1][0]);
      expect(points[i][1]).toBeGreaterThan(points[i - 1][1]); // loss falls, so SVG y grows
    }
  });

  it('breaks the line at non-finite values instead of writing NaN', () => {
    const svg = lineChart({ title: 't', xLabel: 'x', yLabel: 'y', series: [{ name: 'diverged', values: [1, 2, NaN, 3, 4, Infinity, 5] }] });
    expectValidSvg(svg);
    expect(elements(svg, 'polyline')).toHaveLength(2);
    expect(elements(svg, 'circle')).toHaveLength(1); // the lone 5
  });

  it('copes with no data and with a flat series', () => {
    expectValidSvg(lineChart({ title: 'empty', xLabel: 'x', yLabel: 'y', series: [] }));
    expectValidSvg(lineChart({ title: 'flat', xLabel: 'x', yLabel: 'y', series: [{ name: 'one', values: [0.5] }] }));
  });

  it('rejects x positions that do not match the values', () => {
    expect(() => lineChart({ title: 't', xLabel: 'x', yLabel: 'y', series: [{ name: 's', values: [1, 2], x: [1] }] }))
      .toThrow(/series "s" has 2 values but 1 x positions/);
  });
});

describe('boundaryGrid', () => {
  const points = [{ x: -1, y: 0, label: 0 }, { x: 2, y: 1, label: 1 }];

  it('spans the points plus the margin and feeds predict the cell centres, bottom row first', () => {
    let seen: Matrix | undefined;
    const result = boundaryGrid((X) => {
      seen = X;
      return Array.from({ length: X.rows }, (_, i) => (X.get(i, 1) > 0.5 ? 1 : 0) + (X.get(i, 0) > 0.5 ? 2 : 0));
    }, points, 4, 0.5);
    expect(result.x).toEqual([-1.5, 2.5]);
    expect(result.y).toEqual([-0.5, 1.5]);
    expect(seen!.shape).toBe('16x2');
    expect(seen!.toRows().slice(0, 5)).toEqual([[-1, -0.25], [0, -0.25], [1, -0.25], [2, -0.25], [-1, 0.25]]);
    // rows 0-1 are below y = 0.5 (class 0 or 2), rows 2-3 above (1 or 3); columns 2-3 right of x = 0.5
    expect(result.grid).toEqual([0, 0, 2, 2, 0, 0, 2, 2, 1, 1, 3, 3, 1, 1, 3, 3]);
    expect(result.points).toEqual(points);
  });

  it('checks what predict returns', () => {
    expect(() => boundaryGrid(() => [0], points, 3)).toThrow(/predict returned 1 classes for 9 grid cells/);
  });

  it('builds points from a 2-column matrix', () => {
    expect(pointsOf(Matrix.fromRows([[1, 2], [3, 4]]), [1, 0])).toEqual([{ x: 1, y: 2, label: 1 }, { x: 3, y: 4, label: 0 }]);
    expect(() => pointsOf(Matrix.zeros(2, 3), [0, 1])).toThrow(/2 columns/);
  });
});

describe('decisionBoundarySvg', () => {
  // bottom row class 0, the two rows above class 1
  const data: BoundaryGrid = {
    x: [0, 3], y: [0, 3], resolution: 3, grid: [0, 0, 0, 1, 1, 1, 1, 1, 1],
    points: [{ x: 0.5, y: 0.5, label: 0 }, { x: 2.5, y: 2.5, label: 1 }, { x: 1.5, y: 2, label: 1 }],
  };
  const svg = decisionBoundarySvg(data, 'moons & <hidden>');

  it('is a well-formed standalone SVG with an escaped title', () => {
    expectValidSvg(svg);
    expect(texts(svg)).toContain('moons & <hidden>');
  });

  it('draws the class-0 region at the bottom, one rectangle per run of equal cells', () => {
    const regions = elements(svg, 'g').find((g) => g['@_class'] === 'regions')!;
    const rects = regions.rect as Node[];
    expect(rects).toHaveLength(3);
    const bottom = rects.reduce((a, b) => (Number(a['@_y']) > Number(b['@_y']) ? a : b));
    const others = rects.filter((r) => r !== bottom);
    expect(new Set(others.map((r) => r['@_fill'])).size).toBe(1);
    expect(bottom['@_fill']).not.toBe(others[0]['@_fill']);
  });

  it('puts every point on top, left to right and bottom to top as in the data', () => {
    const dots = (elements(svg, 'g').find((g) => g['@_class'] === 'points')!.circle as Node[]);
    expect(dots).toHaveLength(3);
    const [a, b] = dots.map((d) => [Number(d['@_cx']), Number(d['@_cy'])]);
    expect(b[0]).toBeGreaterThan(a[0]);
    expect(b[1]).toBeLessThan(a[1]);
    expect(dots[1]['@_fill']).toBe(dots[2]['@_fill']);
  });

  it('has a class legend and axis labels', () => {
    expect(texts(svg)).toEqual(expect.arrayContaining(['class 0', 'class 1', 'x1', 'x2']));
  });

  it('rejects a grid of the wrong size', () => {
    expect(() => decisionBoundarySvg({ ...data, grid: [0, 1] })).toThrow(/grid has 2 cells, resolution 3 needs 9/);
  });

  it('draws a real boundaryGrid', () => {
    const grid = boundaryGrid((X) => Array.from({ length: X.rows }, (_, i) => (X.get(i, 0) + X.get(i, 1) > 0 ? 1 : 0)), data.points, 50);
    const big = decisionBoundarySvg(grid);
    expectValidSvg(big);
    expect(elements(big, 'rect').length).toBeLessThan(50 * 3 + 10); // runs, not 2,500 cells
  });
});

describe('confusion matrix', () => {
  it('counts true class by predicted class', () => {
    expect(confusionCounts([0, 1, 1, 2, 0], [0, 1, 2, 2, 1], 3)).toEqual([[1, 0, 0], [1, 1, 0], [0, 1, 1]]);
    expect(() => confusionCounts([0], [0, 1], 2)).toThrow(/1 predictions for 2 labels/);
  });

  const svg = confusionMatrixSvg([[50, 2, 0], [3, 40, 7], [0, 1, 99]], ['cat', 'car <x>', 'frog & co'], 'CIFAR "test"');

  it('is a well-formed standalone SVG', () => expectValidSvg(svg));

  it('writes every count and every (escaped) label', () => {
    const all = texts(svg);
    for (const count of ['50', '2', '0', '3', '40', '7', '1', '99']) expect(all).toContain(count);
    expect(all.filter((t) => t === 'car <x>')).toHaveLength(2); // row and column
    expect(all).toEqual(expect.arrayContaining(['frog & co', 'CIFAR "test"', 'predicted class', 'true class']));
  });

  it('shades a cell darker the larger its share of the row', () => {
    const rects = elements(svg, 'g').find((g) => g['@_class'] === 'cells')!.rect as Node[];
    expect(rects).toHaveLength(9);
    const red = (r: Node) => Number(/rgb\((\d+)/.exec(String(r['@_fill']))![1]);
    expect(red(rects[0])).toBeLessThan(red(rects[1])); // 50 of 52 darker than 2 of 52
    expect(red(rects[2])).toBe(255); // 0 stays white
  });

  it('rejects a non-square matrix or the wrong number of labels', () => {
    expect(() => confusionMatrixSvg([[1, 2]])).toThrow(/square/);
    expect(() => confusionMatrixSvg([[1]], ['a', 'b'])).toThrow(/2 labels for 1 classes/);
  });
});
