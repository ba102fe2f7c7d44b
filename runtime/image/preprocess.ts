// ImageNet preprocessing as torchvision's classification weights define it (`weights.transforms()`, torchvision
// 0.14): resize the shorter side to 256 (Pillow's antialiased bilinear), centre crop to the model's input size,
// scale to [0, 1], subtract the ImageNet mean and divide by its std, channels first. Each step copies
// torchvision's arithmetic (integer sizes, Python's round-half-even crop offset, float32 normalisation), so a PNG
// becomes the very tensor PyTorch would feed the model.

import { resizeBilinearAntialiased } from './resize-antialiased.ts';
import { rgbImage, type RgbImage } from './rgb-image.ts';

export const IMAGENET_MEAN: readonly number[] = [0.485, 0.456, 0.406];
export const IMAGENET_STD: readonly number[] = [0.229, 0.224, 0.225];

export interface PreprocessOptions {
  /** The model's input height and width (the centre crop). */
  readonly height: number;
  readonly width: number;
  /** The shorter side after resizing (torchvision's presets: 256). */
  readonly resizeTo?: number;
  readonly mean?: readonly number[];
  readonly std?: readonly number[];
}

/** torchvision's `_compute_resized_output_size` for an int size: [width, height]. */
export function shorterSideSize(width: number, height: number, shorter: number): [number, number] {
  // Python: int(shorter * long / short); the product is an exact integer, the division one rounding.
  const scaled = (long: number, short: number) => Math.trunc((shorter * long) / short);
  return width <= height ? [shorter, scaled(height, width)] : [scaled(width, height), shorter];
}

/** Python's round() on the halves centre_crop produces: ties go to the even neighbour. */
function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const fraction = x - floor;
  if (fraction !== 0.5) return Math.round(x);
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * Where torchvision's `center_crop` takes a width x height crop from a picture: crop pixel (x, y) is picture
 * pixel (x + left, y + top), zero outside (it pads, split as it splits it, when the crop is the larger).
 */
function cropOffsets(pictureWidth: number, pictureHeight: number, width: number, height: number): { left: number; top: number } {
  const padLeft = width > pictureWidth ? Math.floor((width - pictureWidth) / 2) : 0;
  const padTop = height > pictureHeight ? Math.floor((height - pictureHeight) / 2) : 0;
  // After padding, a dimension smaller than the crop equals it; the offset is then taken in padded coordinates.
  const left = roundHalfEven((Math.max(width, pictureWidth) - width) / 2) - padLeft;
  const top = roundHalfEven((Math.max(height, pictureHeight) - height) / 2) - padTop;
  return { left, top };
}

/** torchvision's `center_crop`: zero padding (split as it splits it) when the crop is larger than the picture. */
export function centreCrop(src: RgbImage, width: number, height: number): RgbImage {
  const { left, top } = cropOffsets(src.width, src.height, width, height);
  return placeCrop(src, 0, 0, left, top, width, height);
}

/** The crop from `part`, a piece of the picture whose top-left pixel is picture pixel (partX, partY). */
function placeCrop(part: RgbImage, partX: number, partY: number, left: number, top: number, width: number, height: number): RgbImage {
  const out = rgbImage(width, height);
  for (let y = 0; y < height; y++) {
    const sy = y + top - partY;
    if (sy < 0 || sy >= part.height) continue;
    for (let x = 0; x < width; x++) {
      const sx = x + left - partX;
      if (sx < 0 || sx >= part.width) continue;
      const s = (sy * part.width + sx) * 3;
      const o = (y * width + x) * 3;
      out.data[o] = part.data[s];
      out.data[o + 1] = part.data[s + 1];
      out.data[o + 2] = part.data[s + 2];
    }
  }
  return out;
}

/** ToTensor + Normalize: CHW float32, each step rounded to float32 as PyTorch computes it. */
export function normalisedTensor(src: RgbImage, mean: readonly number[] = IMAGENET_MEAN, std: readonly number[] = IMAGENET_STD): Float32Array {
  const plane = src.width * src.height;
  const out = new Float32Array(3 * plane);
  for (let c = 0; c < 3; c++) {
    const m = Math.fround(mean[c]);
    const s = Math.fround(std[c]);
    for (let i = 0; i < plane; i++) out[c * plane + i] = Math.fround(Math.fround(src.data[i * 3 + c] / 255) - m) / s;
  }
  return out;
}

/** Resize + centre crop: the picture the model will see, still as bytes. Only the cropped part is resized. */
export function resizeAndCrop(src: RgbImage, opts: PreprocessOptions): RgbImage {
  const [width, height] = shorterSideSize(src.width, src.height, opts.resizeTo ?? 256);
  const { left, top } = cropOffsets(width, height, opts.width, opts.height);
  const window = { x0: Math.max(0, left), x1: Math.min(width, left + opts.width), y0: Math.max(0, top), y1: Math.min(height, top + opts.height) };
  return placeCrop(resizeBilinearAntialiased(src, width, height, window), window.x0, window.y0, left, top, opts.width, opts.height);
}

/** The whole preprocessing: a [1, 3, height, width] tensor, flat. */
export function preprocessImage(src: RgbImage, opts: PreprocessOptions): Float32Array {
  return normalisedTensor(resizeAndCrop(src, opts), opts.mean, opts.std);
}
