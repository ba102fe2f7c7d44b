// PNG and JPEG files to 8-bit RGB, as `Image.open(path).convert('RGB')` gives them to torchvision: grey is
// repeated into three channels, palettes are looked up, alpha is dropped (not composited), 16-bit samples are
// rounded to 8 bits, Adobe CMYK JPEGs are converted to RGB. pngjs and jpeg-js do the decoding;
// anything they refuse, a truncated file, or a picture too large to hold is a one-line CompileError.

import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { CompileError } from '../../compiler/ir/errors.ts';
import type { RgbImage } from '../../runtime/image/rgb-image.ts';
import { minimumScanBytes, readJpegLayout, type JpegLayout } from './jpeg-frame.ts';
import { isPlainYCbCr, libjpegRgb } from './jpeg-ycbcr.ts';

/** Pictures above this many pixels are refused before decoding (jpeg-js's own default limit). */
export const MAX_MEGAPIXELS = 100;

export type ImageFormat = 'png' | 'jpeg';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The format by content (an extension can lie), or undefined. */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (bytes.length >= 8 && PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return undefined;
}

/** The last bytes of a complete file: PNG's IEND chunk (empty, fixed CRC) and JPEG's EOI marker. */
const PNG_END = [0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82];
const JPEG_END = [0xff, 0xd9];
const endsWith = (bytes: Uint8Array, tail: readonly number[]) => tail.every((b, i) => bytes[bytes.length - tail.length + i] === b);

const invalid = (reason: string, file: string) => new CompileError(reason, { file, kind: 'invalid-input' });

function checkSize(width: number, height: number, file: string): void {
  if (!(width > 0 && height > 0)) throw invalid(`the picture has no pixels (${width}x${height})`, file);
  if (width * height > MAX_MEGAPIXELS * 1e6) throw invalid(`the picture is ${width}x${height}, more than ${MAX_MEGAPIXELS} megapixels`, file);
}

function dropAlpha(rgba: Uint8Array, width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0, o = 0; o < data.length; i += 4, o += 3) {
    data[o] = rgba[i];
    data[o + 1] = rgba[i + 1];
    data[o + 2] = rgba[i + 2];
  }
  return { width, height, data };
}

function decodePng(bytes: Uint8Array, file: string): RgbImage {
  // The IHDR chunk comes first: its size is checked before pngjs allocates anything.
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 33) throw invalid('truncated PNG (no complete header)', file);
  checkSize(view.getUint32(16), view.getUint32(20), file);
  let png;
  try {
    // pngjs expands palettes, grey and low bit depths to RGBA and rounds 16-bit samples to 8 bits.
    png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (e) {
    throw invalid(`cannot decode PNG${endsWith(bytes, PNG_END) ? '' : ' (truncated: no IEND chunk at the end)'}: ${(e as Error).message}`, file);
  }
  return dropAlpha(png.data, png.width, png.height);
}

/**
 * Refuses a frame whose file is too short to code it (see minimumScanBytes), before jpeg-js spends seconds on it.
 * Only files holding less than half that minimum are refused: a 2x margin for a coding trick the count might
 * miss, since libjpeg's flat-colour files already reach 1.02x of it. The slow fuzz cases (cmyk.jpg with a side
 * changed to 65535, 4 s each on an idle machine) hold 1/3.1 and 1/2.3 of what their frames need.
 */
function checkCodedSize(layout: JpegLayout, bytes: Uint8Array, file: string): void {
  const needed = minimumScanBytes(layout);
  const held = bytes.length - layout.frameEnd;
  if (held < needed / 2) throw invalid(`the JPEG frame header declares ${layout.width}x${layout.height} pixels, which need at least ${needed} bytes of coded data; the file has only ${held} bytes after the header`, file);
}

function decodeJpeg(bytes: Uint8Array, file: string): RgbImage {
  const layout = readJpegLayout(bytes);
  if (layout) {
    checkSize(layout.width, layout.height, file);
    checkCodedSize(layout, bytes, file);
  }
  // JFIF YCbCr: jpeg-js's raw samples, converted as libjpeg converts them (see jpeg-ycbcr.ts).
  if (layout && isPlainYCbCr(layout)) {
    const raw = jpegJs(bytes, file, false);
    if (raw.width === layout.width && raw.height === layout.height) return libjpegRgb(raw.data, layout);
  }
  return jpegJs(bytes, file, undefined);
}

/** jpeg-js's RGB (colorTransform undefined: its own choice) or raw components (false). */
function jpegJs(bytes: Uint8Array, file: string, colorTransform: false | undefined): RgbImage {
  let decoded;
  try {
    // tolerantDecoding off: a truncated scan is an error, not a picture with grey rows.
    decoded = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, tolerantDecoding: false, colorTransform, maxResolutionInMP: MAX_MEGAPIXELS, maxMemoryUsageInMB: 2048 });
  } catch (e) {
    throw invalid(`cannot decode JPEG${endsWith(bytes, JPEG_END) ? '' : ' (truncated: no end-of-image marker)'}: ${(e as Error).message}`, file);
  }
  checkSize(decoded.width, decoded.height, file);
  return { width: decoded.width, height: decoded.height, data: decoded.data };
}

/** Decodes a PNG or JPEG file's bytes; `file` names it in messages. */
export function decodeImage(bytes: Uint8Array, file: string): RgbImage {
  if (bytes.length === 0) throw invalid('the file is empty', file);
  const format = sniffImageFormat(bytes);
  if (format === 'png') return decodePng(bytes, file);
  if (format === 'jpeg') return decodeJpeg(bytes, file);
  throw invalid('not a PNG or JPEG picture', file);
}
