// JPEG colour as libjpeg(-turbo) produces it, and so as Pillow and torchvision see it. jpeg-js upsamples chroma by
// repetition and converts YCbCr to RGB in floating point with truncation; libjpeg interpolates chroma ("fancy
// upsampling", triangle weights 3/4 + 1/4) and converts with 16-bit fixed-point tables. On a 4:2:0 photo the two
// differ by 1.2 grey levels on average and up to ~60 at colour edges. For the usual JFIF layouts (4:4:4, 4:2:2,
// 4:2:0) this module takes jpeg-js's raw Y, Cb, Cr (no colour transform), reads the chroma planes back at their
// own resolution and repeats libjpeg's integer arithmetic (jdsample.c, jdcolor.c): what remains is the IDCT's
// rounding (mean 0.15 levels, max 3 on the fixtures). Other layouts keep jpeg-js's own conversion.

import type { RgbImage } from '../../runtime/image/rgb-image.ts';
import type { JpegLayout } from './jpeg-frame.ts';

/** The luma:chroma sampling ratios reproduced here (x, y): 4:4:4, 4:2:2, 4:2:0. */
const REPRODUCED: readonly string[] = ['1x1', '2x1', '2x2'];

/** Whether libjpeg's YCbCr path applies and this module reproduces it. */
export function isPlainYCbCr(layout: JpegLayout): boolean {
  const [y, cb, cr] = layout.components;
  if (layout.components.length !== 3 || layout.adobe) return false;
  if (y.id === 0x52 && cb.id === 0x47 && cr.id === 0x42) return false; // 'R','G','B': libjpeg reads it as RGB
  return cb.h === 1 && cb.v === 1 && cr.h === 1 && cr.v === 1 && REPRODUCED.includes(`${y.h}x${y.v}`);
}

/** One chroma plane at its own resolution, read back from jpeg-js's repeated samples (channel `c` of 3). */
function chromaPlane(raw: Uint8Array, width: number, height: number, c: number, sx: number, sy: number) {
  const w = Math.ceil(width / sx);
  const h = Math.ceil(height / sy);
  const plane = new Uint8Array(w * h);
  for (let r = 0; r < h; r++) for (let j = 0; j < w; j++) plane[r * w + j] = raw[(r * sy * width + j * sx) * 3 + c];
  return { plane, w, h };
}

/**
 * libjpeg's fancy upsampling of one plane by 2 across (h2v1) or 2 both ways (h2v2) to `width` x `height`
 * (jdsample.c): 3/4 of the nearer sample plus 1/4 of the farther, with its rounding biases; edge rows and
 * columns replicate; a plane 2 samples wide or less is repeated, as libjpeg does.
 */
function upsample(src: { plane: Uint8Array; w: number; h: number }, sy: number, width: number, height: number): Uint8Array {
  const { plane, w, h } = src;
  const out = new Uint8Array(width * height);
  const at = (r: number, j: number) => plane[Math.min(Math.max(r, 0), h - 1) * w + j];
  for (let y = 0; y < height; y++) {
    const r = Math.floor(y / sy);
    // h2v2's vertical step: 3 * nearer row + farther row (0..1020), finished by the horizontal step.
    const far = y % 2 === 0 ? r - 1 : r + 1;
    const column = (j: number) => 3 * at(r, j) + at(far, j);
    for (let x = 0; x < width; x++) {
      const j = x >> 1;
      const left = x % 2 === 0;
      const edge = left ? j === 0 : j === w - 1;
      const other = left ? j - 1 : j + 1;
      let value: number;
      if (w <= 2) value = at(r, j);
      else if (sy === 2) value = ((edge ? column(j) * 4 : column(j) * 3 + column(other)) + (left ? 8 : 7)) >> 4;
      else value = edge ? at(r, j) : (at(r, j) * 3 + at(r, other) + (left ? 1 : 2)) >> 2;
      out[y * width + x] = value;
    }
  }
  return out;
}

const SCALE = 65536;
const HALF = 32768;
const fix = (x: number) => Math.floor(x * SCALE + 0.5);
/** jdcolor.c's tables, indexed by the chroma sample. */
const CR_R = Int32Array.from({ length: 256 }, (_, i) => (fix(1.402) * (i - 128) + HALF) >> 16);
const CB_B = Int32Array.from({ length: 256 }, (_, i) => (fix(1.772) * (i - 128) + HALF) >> 16);
const CR_G = Int32Array.from({ length: 256 }, (_, i) => -fix(0.71414) * (i - 128));
const CB_G = Int32Array.from({ length: 256 }, (_, i) => -fix(0.34414) * (i - 128) + HALF);
const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : v);

/**
 * RGB from jpeg-js's untransformed output (`colorTransform: false`: Y, Cb, Cr per pixel, chroma repeated) of a
 * picture whose layout passed isPlainYCbCr.
 */
export function libjpegRgb(raw: Uint8Array, layout: JpegLayout): RgbImage {
  const { width, height } = layout;
  const [y, cb] = layout.components;
  const sx = y.h / cb.h;
  const sy = y.v / cb.v;
  const [cbFull, crFull] = [1, 2].map((c) => (sx === 1 ? null : upsample(chromaPlane(raw, width, height, c, sx, sy), sy, width, height)));
  const data = new Uint8Array(width * height * 3);
  for (let p = 0; p < width * height; p++) {
    const luma = raw[p * 3];
    const b = cbFull ? cbFull[p] : raw[p * 3 + 1];
    const r = crFull ? crFull[p] : raw[p * 3 + 2];
    data[p * 3] = clamp(luma + CR_R[r]);
    data[p * 3 + 1] = clamp(luma + ((CB_G[b] + CR_G[r]) >> 16));
    data[p * 3 + 2] = clamp(luma + CB_B[b]);
  }
  return { width, height, data };
}
