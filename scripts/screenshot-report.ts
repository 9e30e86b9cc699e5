/**
 * `npx tsx scripts/screenshot-report.ts REPORT.html OUT.png`: renders the HTML
 * report in headless Chromium and checks the picture is really there, since a
 * report that parses can still draw nothing. The page must not be (almost) one
 * colour; when it has a decision boundary, that SVG is also shot on its own
 * (OUT-boundary.png) and every class must show both its shaded region and its
 * points. Exit 0: both fine; 1: a check failed; 2: could not take the picture.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { colourStats, countNear, decodePng, overWhite, parseHex, type RgbaImage } from './png.js';

const CHROMIUM = '/usr/bin/chromium';
const TIMEOUT_MS = 60_000;
/** Fewer colours than this, or less non-white area than this share, means nothing was drawn. */
const MIN_COLOURS = 16;
const MIN_NON_WHITE = 0.02;
/** Each class's shaded region must cover this share of the boundary picture, and its points this many pixels. */
const MIN_REGION_SHARE = 0.02;
const MIN_POINT_PIXELS = 10;

/** A check that failed or a picture that could not be taken; the message is one line for the user. */
class CheckError extends Error {
  constructor(message: string, readonly exitCode: 1 | 2, options?: ErrorOptions) {
    super(message, options);
  }
}

/** Renders an HTML file to a PNG of the given window size with a throwaway browser profile. */
async function screenshot(htmlFile: string, pngFile: string, width: number, height: number): Promise<RgbaImage> {
  const profile = await mkdtemp(path.join(os.tmpdir(), 'report-chromium-'));
  try {
    await rm(pngFile, { force: true });
    const result = await execa(CHROMIUM, [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--hide-scrollbars',
      `--user-data-dir=${profile}`, `--window-size=${width},${height}`, `--screenshot=${path.resolve(pngFile)}`,
      pathToFileURL(path.resolve(htmlFile)).href,
    ], { timeout: TIMEOUT_MS, reject: false, stdin: 'ignore' });
    if (result.timedOut) throw new CheckError(`${CHROMIUM} took longer than ${TIMEOUT_MS / 1000}s to screenshot ${htmlFile}`, 2);
    if (result.exitCode !== 0 || !existsSync(pngFile)) {
      const last = String(result.stderr).trim().split('\n').at(-1) ?? '';
      throw new CheckError(`${CHROMIUM} wrote no screenshot of ${htmlFile} (exit code ${result.exitCode}): ${last}`, 2);
    }
    return decodePng(await readFile(pngFile));
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}

/** Fails when the screenshot is (almost) uniform; returns a one-line summary. */
function checkNotBlank(image: RgbaImage, file: string): string {
  const { distinctColours, nonWhiteShare } = colourStats(image);
  const summary = `${image.width}x${image.height}, ${distinctColours} colours, ${(nonWhiteShare * 100).toFixed(1)}% not white`;
  if (distinctColours < MIN_COLOURS || nonWhiteShare < MIN_NON_WHITE) throw new CheckError(`${file} looks blank: ${summary}`, 1);
  return `${file}: ${summary}`;
}

/** The decision-boundary SVG of the report, if it has one. */
function boundarySvg(html: string): string | undefined {
  const start = html.indexOf('<figure class="boundary">');
  if (start < 0) return undefined;
  const open = html.indexOf('<svg', start);
  const close = html.indexOf('</svg>', open);
  return open < 0 || close < 0 ? undefined : html.slice(open, close + '</svg>'.length);
}

/** Each class's region fill (blended at the regions' opacity over white) and its point colour must both show. */
function checkBoundary(image: RgbaImage, svg: string, file: string): string {
  const regions = /<g class="regions" fill-opacity="([\d.]+)"[^>]*>([^]*?)<\/g>/.exec(svg);
  if (!regions) throw new CheckError(`${file}: the boundary SVG has no shaded regions group`, 1);
  const opacity = Number(regions[1]);
  const fills = [...new Set([...regions[2].matchAll(/fill="(#[0-9a-f]{6})"/gi)].map((m) => m[1].toLowerCase()))];
  if (fills.length < 2) throw new CheckError(`${file}: the boundary has ${fills.length} shaded class region(s); expected at least 2`, 1);
  const pixels = image.width * image.height;
  const found = fills.map((hex) => {
    const region = countNear(image, overWhite(parseHex(hex), opacity), 6) / pixels;
    const points = countNear(image, parseHex(hex), 12);
    if (region < MIN_REGION_SHARE || points < MIN_POINT_PIXELS) {
      throw new CheckError(`${file}: class colour ${hex} shows on ${(region * 100).toFixed(1)}% of the picture as a region ` +
        `and on ${points} pixels as points; expected at least ${MIN_REGION_SHARE * 100}% and ${MIN_POINT_PIXELS} pixels`, 1);
    }
    return `${hex} region ${(region * 100).toFixed(1)}%, points ${points} px`;
  });
  return `${file}: ${found.join('; ')}`;
}

/** OUT.png -> OUT-boundary.png, next to it. */
function boundaryFile(out: string): string {
  const ext = path.extname(out);
  return `${out.slice(0, out.length - ext.length)}-boundary${ext || '.png'}`;
}

async function main(argv: string[]): Promise<void> {
  if (argv.length !== 2) throw new CheckError('usage: npx tsx scripts/screenshot-report.ts REPORT.html OUT.png', 2);
  const [report, out] = argv;
  if (!existsSync(CHROMIUM)) throw new CheckError(`${CHROMIUM} not found: install it (apt-get install -y chromium) to take screenshots`, 2);
  const html = await readFile(report, 'utf8').catch((cause: unknown) => {
    throw new CheckError(`${report}: cannot read the report (${(cause as Error).message})`, 2, { cause });
  });
  console.log(checkNotBlank(await screenshot(report, out, 1200, 2400), out));

  const svg = boundarySvg(html);
  if (svg === undefined) {
    console.log(`${report} has no decision boundary; only the page was checked`);
    return;
  }
  const page = path.join(await mkdtemp(path.join(os.tmpdir(), 'report-boundary-')), 'boundary.html');
  try {
    await writeFile(page, `<!DOCTYPE html>\n<html><head><meta charset="utf-8"/><style>body { margin: 0; background: #ffffff; }</style></head><body>\n${svg}\n</body></html>\n`);
    const file = boundaryFile(out);
    console.log(checkBoundary(await screenshot(page, file, 600, 620), svg, file));
  } finally {
    await rm(path.dirname(page), { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err instanceof CheckError ? err.message : `screenshot-report: ${(err as Error).message}`);
  process.exitCode = err instanceof CheckError ? err.exitCode : 2;
});
