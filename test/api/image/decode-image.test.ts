// Decoding every PNG/JPEG flavour of fixtures/images against PIL (via PyTorch's preprocessed crops): PNG is exact,
// JPEG within the IDCT's rounding. Broken files are one-line CompileErrors of kind invalid-input.

import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeImage } from '../../../api/image/decode-image.ts';
import { readImageTensor } from '../../../api/image/image-input.ts';
import { CompileError } from '../../../compiler/ir/errors.ts';
import { resizeAndCrop } from '../../../runtime/image/preprocess.ts';
import { ROOT } from '../../support/cli.ts';
import { readNpyBytes } from '../../support/npy-bytes.ts';
import { oneLineErrorOf } from '../../support/one-line-error.ts';

const FIXTURES = join(ROOT, 'fixtures');
const manifest = JSON.parse(readFileSync(join(FIXTURES, 'images/manifest.json'), 'utf8')) as {
  images: { file: string; crop: string; size: [number, number] }[];
  bad: { file: string; reason: string }[];
};

/**
 * Measured here (decoded picture vs PIL's, after resize + crop): every YCbCr JPEG mean 0.15 levels, max 3 (jpeg-js's
 * IDCT rounds differently from libjpeg's; chroma upsampling and colour conversion are libjpeg's own, see
 * jpeg-ycbcr.ts); the 4x6 picture, magnified 64x, mean 0.43; grey and CMYK max 1. Without jpeg-ycbcr.ts,
 * 4:2:0 pictures are off by 1.2 on average and 58 at colour edges.
 */
const JPEG_BOUNDS: Record<string, { mean: number; max: number }> = {
  'images/photo_rgb_420.jpg': { mean: 0.2, max: 3 },
  'images/photo_rgb_422.jpg': { mean: 0.2, max: 3 },
  'images/photo_rgb_444.jpg': { mean: 0.2, max: 3 },
  'images/odd_rgb_420.jpg': { mean: 0.2, max: 3 },
  'images/tall_progressive.jpg': { mean: 0.2, max: 3 },
  'images/tiny_rgb_420.jpg': { mean: 0.5, max: 3 },
  'images/grey.jpg': { mean: 0.1, max: 1 },
  'images/cmyk.jpg': { mean: 0.1, max: 1 },
  'images/flat_optimised.jpg': { mean: 0.1, max: 1 },
};

describe('api/image decodeImage', () => {
  for (const entry of manifest.images) {
    it(`${entry.file}: decodes to the size PIL reports and the pixels torchvision saw`, () => {
      const image = decodeImage(readFileSync(join(FIXTURES, entry.file)), entry.file);
      expect([image.width, image.height]).to.deep.equal(entry.size);
      const crop = resizeAndCrop(image, { width: 224, height: 224 }).data;
      const golden = readNpyBytes(join(FIXTURES, entry.crop)).data;
      let max = 0;
      let sum = 0;
      crop.forEach((x, i) => {
        const d = Math.abs(x - golden[i]);
        max = Math.max(max, d);
        sum += d;
      });
      const bound = entry.file.endsWith('.png') ? { mean: 0, max: 0 } : JPEG_BOUNDS[entry.file];
      expect(bound, `no bound for ${entry.file}`).to.not.equal(undefined);
      expect(max).to.be.at.most(bound.max);
      expect(sum / crop.length).to.be.at.most(bound.mean);
    });
  }

  for (const bad of manifest.bad) {
    it(`${bad.file} (${bad.reason}): one-line invalid-input error`, () => {
      const message = oneLineErrorOf(() => decodeImage(readFileSync(join(FIXTURES, bad.file)), bad.file));
      expect(message).to.contain(bad.file);
      if (bad.file.includes('truncated')) expect(message).to.contain('(truncated: no ');
      try {
        decodeImage(readFileSync(join(FIXTURES, bad.file)), bad.file);
      } catch (e) {
        expect((e as CompileError).kind).to.equal('invalid-input');
      }
    });
  }

  it('refuses a PNG that claims more than 100 megapixels before decoding it', () => {
    const png = Buffer.from(readFileSync(join(FIXTURES, 'images/photo_rgb.png')));
    png.writeUInt32BE(20000, 16);
    png.writeUInt32BE(20000, 20);
    expect(oneLineErrorOf(() => decodeImage(png, 'huge.png'))).to.match(/20000x20000, more than 100 megapixels/);
  });

  it('refuses a JPEG whose frame header declares more blocks than its coded data can hold, before decoding it', () => {
    // One of the fuzzer's cases: cmyk.jpg (320x240, 4 components) with its height changed to 65535. jpeg-js took
    // 4 s on it (15-18 s under load) before failing on the missing data.
    const jpeg = Buffer.from(readFileSync(join(FIXTURES, 'images/cmyk.jpg')));
    const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
    jpeg.writeUInt16BE(65535, sof + 5);
    const start = performance.now();
    const message = oneLineErrorOf(() => decodeImage(jpeg, 'tall.jpg'));
    expect(message).to.match(/^tall\.jpg: .*320x65535 pixels, which need at least 327680 bytes of coded data; the file has only 106655 bytes after the header$/);
    expect(performance.now() - start).to.be.below(500);
    // Twice the height still fits the data's bound: jpeg-js decides, and fails on the missing rows.
    jpeg.writeUInt16BE(480, sof + 5);
    expect(oneLineErrorOf(() => decodeImage(jpeg, 'taller.jpg'))).to.match(/^taller\.jpg: cannot decode JPEG/);
  });

  it('readImageTensor wants a [1,3,H,W] model input', () => {
    const file = join(FIXTURES, 'images/grey.png');
    expect(readImageTensor(file, [1, 3, 32, 40])).to.have.length(3 * 32 * 40);
    expect(oneLineErrorOf(() => readImageTensor(file, [2, 3, 32, 32]))).to.match(/batch of 1.*--input-shape 1x3x32x32/);
    expect(oneLineErrorOf(() => readImageTensor(file, [1, 1, 32, 32]))).to.match(/\[1,3,H,W\]/);
    expect(oneLineErrorOf(() => readImageTensor(join(FIXTURES, 'images/nope.png'), [1, 3, 8, 8]))).to.match(/no such file/);
  });
});
