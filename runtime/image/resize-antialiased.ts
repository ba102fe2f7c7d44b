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

function resampleRows(src: RgbImage, width: number): RgbImage {
  const taps = bilinearTaps(src.width, width);
  const out = rgbImage(width, src.height);
  for (let y = 0; y < src.height; y++) {
    const row = y * src.width * 3;
    for (let xx = 0; xx < width; xx++) {
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
      const o = (y * width + xx) * 3;
      out.data[o] = clip8(r);
      out.data[o + 1] = clip8(g);
      out.data[o + 2] = clip8(b);
    }
  }
  return out;
}

function resampleColumns(src: RgbImage, height: number): RgbImage {
  const taps = bilinearTaps(src.height, height);
  const out = rgbImage(src.width, height);
  const rowBytes = src.width * 3;
  for (let yy = 0; yy < height; yy++) {
    const base = yy * taps.stride;
    for (let i = 0; i < rowBytes; i++) {
      let acc = HALF;
      for (let t = 0; t < taps.count[yy]; t++) acc += src.data[(taps.first[yy] + t) * rowBytes + i] * taps.weights[base + t];
      out.data[yy * rowBytes + i] = clip8(acc);
    }
  }
  return out;
}

/** `Image.resize((width, height), Image.BILINEAR)` of Pillow, byte for byte. */
export function resizeBilinearAntialiased(src: RgbImage, width: number, height: number): RgbImage {
  if (!(Number.isSafeInteger(width) && Number.isSafeInteger(height) && width > 0 && height > 0)) {
    throw new RangeError(`cannot resize to ${width}x${height}`);
  }
  // Pillow skips a pass whose size does not change (and copies when neither does).
  const wide = width !== src.width ? resampleRows(src, width) : src;
  const resized = height !== src.height ? resampleColumns(wide, height) : wide;
  return resized === src ? { width, height, data: src.data.slice() } : resized;
}
