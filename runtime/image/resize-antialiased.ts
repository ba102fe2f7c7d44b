// Bilinear resizing exactly as Pillow does it (libImaging/Resample.c), which is what torchvision's
// `transforms.Resize` runs on PIL images (it ignores `antialias` there: PIL always antialiases). Downscaling
// widens the triangle filter by the scale factor, so every source pixel contributes; weights are normalised per
// output pixel, turned into 22-bit fixed point, and each of the two passes (horizontal, then vertical) rounds
// to 8 bits. Copying those steps, including the intermediate rounding, makes the result byte-identical to
// Pillow's, so a model sees the very tensor it would see under PyTorch.

import { rgbImage, type RgbImage } from './rgb-image.ts';

const PRECISION_BITS = 22; // Pillow: 32 - 8 (result) - 2 (headroom for filters with negative lobes)
const ONE = 2 ** PRECISION_BITS;
const HALF = 2 ** (PRECISION_BITS - 1);

/** For each output position: the first source index, how many taps, and their fixed-point weights. */
interface Taps {
  readonly first: Int32Array;
  readonly count: Int32Array;
  /** `stride` weights per output position. */
  readonly weights: Int32Array;
  readonly stride: number;
}

function triangle(x: number): number {
  const distance = Math.abs(x);
  return distance < 1 ? 1 - distance : 0;
}

/** Pillow's precompute_coeffs + normalize_coeffs_8bpc for the bilinear filter (support 1). */
function bilinearTaps(inSize: number, outSize: number): Taps {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = filterScale; // the triangle's support (1) widened when shrinking
  const stride = Math.ceil(support) * 2 + 1;
  const first = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Int32Array(outSize * stride);
  const inverse = 1 / filterScale; // Pillow multiplies by the reciprocal; dividing would round differently
  const k = new Float64Array(stride);
  for (let xx = 0; xx < outSize; xx++) {
    const center = (xx + 0.5) * scale;
    const xmin = Math.max(Math.trunc(center - support + 0.5), 0);
    const n = Math.min(Math.trunc(center + support + 0.5), inSize) - xmin;
    let sum = 0;
    for (let x = 0; x < n; x++) {
      k[x] = triangle((x + xmin - center + 0.5) * inverse);
      sum += k[x];
    }
    for (let x = 0; x < n; x++) {
      const w = sum !== 0 ? k[x] / sum : k[x];
      weights[xx * stride + x] = Math.trunc(w < 0 ? w * ONE - 0.5 : w * ONE + 0.5);
    }
    first[xx] = xmin;
    count[xx] = n;
  }
  return { first, count, weights, stride };
}

/** Pillow's clip8: the accumulator back to a byte. The sums stay below 2^31, so the arithmetic is exact. */
const clip8 = (accumulator: number): number => Math.min(255, Math.max(0, Math.floor(accumulator / ONE)));

/** Output columns [x0, x1) of the horizontal pass, for source rows [y0, y1) only. */
function resampleRows(src: RgbImage, width: number, x0 = 0, x1 = width, y0 = 0, y1 = src.height): RgbImage {
  const taps = bilinearTaps(src.width, width);
  const out = rgbImage(x1 - x0, y1 - y0);
  for (let y = y0; y < y1; y++) {
    const row = y * src.width * 3;
    for (let xx = x0; xx < x1; xx++) {
      const base = xx * taps.stride;
      let r = HALF;
      let g = HALF;
      let b = HALF;
      for (let t = 0; t < taps.count[xx]; t++) {
        const w = taps.weights[base + t];
        const p = row + (taps.first[xx] + t) * 3;
        r += src.data[p] * w;
        g += src.data[p + 1] * w;
        b += src.data[p + 2] * w;
      }
      const o = ((y - y0) * (x1 - x0) + (xx - x0)) * 3;
      out.data[o] = clip8(r);
      out.data[o + 1] = clip8(g);
      out.data[o + 2] = clip8(b);
    }
  }
  return out;
}

/** Output rows [y0, y1) of the vertical pass; `src` holds the source rows from `srcRow0` on. */
function resampleColumns(src: RgbImage, inHeight: number, height: number, y0 = 0, y1 = height, srcRow0 = 0): RgbImage {
  const taps = bilinearTaps(inHeight, height);
  const out = rgbImage(src.width, y1 - y0);
  const rowBytes = src.width * 3;
  for (let yy = y0; yy < y1; yy++) {
    const base = yy * taps.stride;
    for (let i = 0; i < rowBytes; i++) {
      let acc = HALF;
      for (let t = 0; t < taps.count[yy]; t++) acc += src.data[(taps.first[yy] + t - srcRow0) * rowBytes + i] * taps.weights[base + t];
      out.data[(yy - y0) * rowBytes + i] = clip8(acc);
    }
  }
  return out;
}

/** A rectangle of the resized picture: columns [x0, x1), rows [y0, y1). */
export interface ResizeWindow {
  readonly x0: number;
  readonly x1: number;
  readonly y0: number;
  readonly y1: number;
}

/** Rows [y0, y1) of `src` only (the picture itself when nothing is cut). */
function sourceRows(src: RgbImage, y0: number, y1: number): RgbImage {
  if (y0 === 0 && y1 === src.height) return src;
  const rowBytes = src.width * 3;
  return { width: src.width, height: y1 - y0, data: src.data.subarray(y0 * rowBytes, y1 * rowBytes) };
}

/** Columns [x0, x1) of every row (the picture itself when nothing is cut). */
function cropColumns(src: RgbImage, x0: number, x1: number): RgbImage {
  if (x0 === 0 && x1 === src.width) return src;
  const out = rgbImage(x1 - x0, src.height);
  for (let y = 0; y < src.height; y++) out.data.set(src.data.subarray((y * src.width + x0) * 3, (y * src.width + x1) * 3), y * (x1 - x0) * 3);
  return out;
}

/**
 * `Image.resize((width, height), Image.BILINEAR)` of Pillow, byte for byte, computed only inside `window` (the
 * whole picture by default). Each output pixel depends only on its own taps, so a window (the centre crop) is
 * exact and costs in proportion to its size: a 20-megapixel photo is not resized whole to keep 224x224 of it.
 */
export function resizeBilinearAntialiased(src: RgbImage, width: number, height: number, window: ResizeWindow = { x0: 0, x1: width, y0: 0, y1: height }): RgbImage {
  if (!(Number.isSafeInteger(width) && Number.isSafeInteger(height) && width > 0 && height > 0)) {
    throw new RangeError(`cannot resize to ${width}x${height}`);
  }
  const { x0, x1, y0, y1 } = window;
  // Pillow skips a pass whose size does not change (and copies when neither does).
  const vertical = height !== src.height ? bilinearTaps(src.height, height) : undefined;
  // The source rows the vertical pass reads for the window's rows (taps start and end monotonically).
  const rowFrom = vertical ? vertical.first[y0] : y0;
  const rowTo = vertical ? vertical.first[y1 - 1] + vertical.count[y1 - 1] : y1;
  const wide = width !== src.width ? resampleRows(src, width, x0, x1, rowFrom, rowTo) : cropColumns(sourceRows(src, rowFrom, rowTo), x0, x1);
  const resized = vertical ? resampleColumns(wide, src.height, height, y0, y1, rowFrom) : wide;
  return resized.data.buffer === src.data.buffer ? { width: resized.width, height: resized.height, data: resized.data.slice() } : resized;
}
