// A picture file as a model input: decoded, then preprocessed as torchvision's ImageNet weights expect
// (runtime/image/preprocess.ts) into the model's [1, 3, H, W] input.

import { CompileError } from '../../compiler/ir/errors.ts';
import { preprocessImage } from '../../runtime/image/preprocess.ts';
import type { RgbImage } from '../../runtime/image/rgb-image.ts';
import { readInputFile } from '../read-file.ts';
import { decodeImage } from './decode-image.ts';

/** Whether a path names a picture (by extension), as opposed to a tensor file. */
export const isImageFile = (path: string): boolean => /\.(png|jpe?g)$/i.test(path);

export interface ImageInputOptions {
  /** The shorter side before the centre crop (default 256, as torchvision's presets). */
  readonly resizeTo?: number;
}

/** Reads and decodes a PNG or JPEG file. */
export function readImage(path: string): RgbImage {
  return decodeImage(readInputFile(path), path);
}

/** The [1, 3, H, W] input (flat) of a model whose input shape is `inputShape`; `file` names the picture. */
export function imageTensor(image: RgbImage, inputShape: readonly number[], file: string, opts: ImageInputOptions = {}): Float32Array {
  const [batch, channels, height, width] = inputShape;
  if (inputShape.length !== 4 || channels !== 3) {
    throw new CompileError(`a picture gives a [1,3,H,W] input; the model's input is [${inputShape.join(',')}]`, { file, kind: 'invalid-input' });
  }
  if (batch !== 1) {
    throw new CompileError(`a picture fills a batch of 1; the model's input is [${inputShape.join(',')}] (give --input-shape 1x3x${height}x${width})`, { file, kind: 'invalid-input' });
  }
  return preprocessImage(image, { height, width, resizeTo: opts.resizeTo });
}

/** readImage + imageTensor. */
export function readImageTensor(path: string, inputShape: readonly number[], opts: ImageInputOptions = {}): Float32Array {
  return imageTensor(readImage(path), inputShape, path, opts);
}
