/**
 * Just enough PNG reading to check a browser screenshot without a dependency:
 * 8-bit, non-interlaced greyscale / RGB / RGBA images (what Chromium writes),
 * decoded to RGBA pixels, and the colour counts the screenshot checks use.
 */
import { inflateSync } from 'node:zlib';

export interface RgbaImage {
  width: number;
  height: number;
  /** width * height * 4 bytes, row-major, RGBA. */
  pixels: Uint8Array;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Bytes per pixel of each supported colour type (0 grey, 2 RGB, 4 grey + alpha, 6 RGBA). */
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };

/** Decodes a PNG file's bytes to RGBA pixels; throws a one-line error for anything it does not support. */
export function decodePng(bytes: Uint8Array): RgbaImage {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 8 || !buf.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG file (bad signature)');
  let width = 0, height = 0, channels = 0;
  const idat: Buffer[] = [];
  for (let at = 8; at + 8 <= buf.length;) {
    const length = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    const data = buf.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const [depth, colourType, , , interlace] = data.subarray(8, 13);
      channels = CHANNELS[colourType] ?? 0;
      if (depth !== 8 || channels === 0 || interlace !== 0) {
        throw new Error(`unsupported PNG: bit depth ${depth}, colour type ${colourType}, interlace ${interlace} (only 8-bit non-interlaced grey/RGB/RGBA)`);
      }
    } else if (type === 'IDAT') {
      idat.push(data);
    } else if (type === 'IEND') {
      break;
    }
    at += 12 + length;
  }
  if (width === 0 || height === 0) throw new Error('PNG has no IHDR chunk or an empty image');
  const raw = inflateSync(Buffer.concat(idat));
  return { width, height, pixels: toRgba(unfilter(raw, width, height, channels), width * height, channels) };
}

/** Undoes the per-scanline filters (none, sub, up, average, Paeth). */
function unfilter(raw: Buffer, width: number, height: number, bpp: number): Uint8Array {
  const stride = width * bpp;
  if (raw.length < height * (stride + 1)) throw new Error(`PNG data too short: ${raw.length} bytes for ${width}x${height}`);
  const out = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = y * (stride + 1) + 1;
    const row = y * stride, prev = row - stride;
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? out[row + i - bpp] : 0;
      const b = y > 0 ? out[prev + i] : 0;
      const c = y > 0 && i >= bpp ? out[prev + i - bpp] : 0;
      let predicted: number;
      switch (filter) {
        case 0: predicted = 0; break;
        case 1: predicted = a; break;
        case 2: predicted = b; break;
        case 3: predicted = (a + b) >> 1; break;
        case 4: predicted = paeth(a, b, c); break;
        default: throw new Error(`PNG row ${y} has unknown filter type ${filter}`);
      }
      out[row + i] = (raw[src + i] + predicted) & 0xff;
    }
  }
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

function toRgba(data: Uint8Array, count: number, channels: number): Uint8Array {
  if (channels === 4) return data;
  const out = new Uint8Array(count * 4);
  for (let i = 0; i < count; i++) {
    const s = i * channels;
    const grey = channels <= 2;
    out[4 * i] = data[s];
    out[4 * i + 1] = grey ? data[s] : data[s + 1];
    out[4 * i + 2] = grey ? data[s] : data[s + 2];
    out[4 * i + 3] = channels === 2 ? data[s + 1] : 255;
  }
  return out;
}

/** How varied an image is: distinct RGB colours and the share of pixels that are not (near) white. */
export function colourStats(image: RgbaImage): { distinctColours: number; nonWhiteShare: number } {
  const seen = new Set<number>();
  let nonWhite = 0;
  const p = image.pixels;
  for (let i = 0; i < p.length; i += 4) {
    seen.add((p[i] << 16) | (p[i + 1] << 8) | p[i + 2]);
    if (p[i] < 245 || p[i + 1] < 245 || p[i + 2] < 245) nonWhite++;
  }
  return { distinctColours: seen.size, nonWhiteShare: nonWhite / (image.width * image.height) };
}

/** "#4e79a7" as [r, g, b]. */
export function parseHex(hex: string): [number, number, number] {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new Error(`not a #rrggbb colour: ${hex}`);
  return [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)];
}

/** A colour painted with the given opacity over white, as the browser blends it. */
export function overWhite([r, g, b]: [number, number, number], opacity: number): [number, number, number] {
  const blend = (v: number) => Math.round(v * opacity + 255 * (1 - opacity));
  return [blend(r), blend(g), blend(b)];
}

/** How many pixels lie within `tolerance` (per channel) of a colour. */
export function countNear(image: RgbaImage, [r, g, b]: [number, number, number], tolerance: number): number {
  let n = 0;
  const p = image.pixels;
  for (let i = 0; i < p.length; i += 4) {
    if (Math.abs(p[i] - r) <= tolerance && Math.abs(p[i + 1] - g) <= tolerance && Math.abs(p[i + 2] - b) <= tolerance) n++;
  }
  return n;
}
