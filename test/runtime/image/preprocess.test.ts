// Preprocessing against PyTorch: every PNG fixture, decoded and resized + centre-cropped, must be byte-identical
// to what torchvision's Resize(256) + CenterCrop gave on the PIL image, and the normalised tensor identical to
// `weights.transforms()`'s. (Expectations: fixtures/generate_images.py; JPEG decoding is checked elsewhere.)

import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeImage } from '../../../api/image/decode-image.ts';
import { centreCrop, preprocessImage, resizeAndCrop, shorterSideSize } from '../../../runtime/image/preprocess.ts';
import { resizeBilinearAntialiased } from '../../../runtime/image/resize-antialiased.ts';
import { readNpy } from '../../../runtime/npy.ts';
import { ROOT } from '../../support/cli.ts';
import { readNpyBytes } from '../../support/npy-bytes.ts';

const FIXTURES = join(ROOT, 'fixtures');
interface ImageEntry { file: string; crop: string; input?: string; size: [number, number] }
const manifest = JSON.parse(readFileSync(join(FIXTURES, 'images/manifest.json'), 'utf8')) as {
  images: ImageEntry[];
  other_crops: { file: string; height: number; width: number; crop: string }[];
};
const decode = (file: string) => decodeImage(readFileSync(join(FIXTURES, file)), file);

function differingBytes(a: Uint8Array, b: Uint8Array): number {
  expect(a.length).to.equal(b.length);
  return a.reduce((n, x, i) => n + (x !== b[i] ? 1 : 0), 0);
}

describe('runtime/image preprocessing vs torchvision', () => {
  for (const entry of manifest.images.filter((e) => e.file.endsWith('.png'))) {
    it(`${entry.file}: Resize(256) + CenterCrop(224) byte-identical to PIL's`, () => {
      const crop = resizeAndCrop(decode(entry.file), { width: 224, height: 224 });
      const golden = readNpyBytes(join(FIXTURES, entry.crop));
      expect(golden.shape).to.deep.equal([224, 224, 3]);
      expect(differingBytes(crop.data, golden.data)).to.equal(0);
    });
  }

  for (const entry of manifest.other_crops) {
    it(`${entry.file}: a ${entry.height}x${entry.width} input (padding when the crop is larger) matches`, () => {
      const crop = resizeAndCrop(decode(entry.file), { width: entry.width, height: entry.height });
      const golden = readNpyBytes(join(FIXTURES, entry.crop));
      expect(golden.shape).to.deep.equal([entry.height, entry.width, 3]);
      expect(differingBytes(crop.data, golden.data)).to.equal(0);
    });
  }

  it('normalised tensor equals transforms() bit for bit (PNG)', () => {
    const entry = manifest.images.find((e) => e.file.endsWith('.png') && e.input)!;
    const tensor = preprocessImage(decode(entry.file), { width: 224, height: 224 });
    const golden = readNpy(readFileSync(join(FIXTURES, entry.input!)));
    expect(golden.shape).to.deep.equal([1, 3, 224, 224]);
    expect(tensor.every((x, i) => x === golden.data[i])).to.equal(true);
  });

  it("sizes the shorter side as torchvision does (int() of the scaled longer side)", () => {
    expect(shorterSideSize(320, 240, 256)).to.deep.equal([341, 256]);
    expect(shorterSideSize(180, 300, 256)).to.deep.equal([256, 426]);
    expect(shorterSideSize(256, 256, 256)).to.deep.equal([256, 256]);
  });

  it('crops at round-half-even offsets (Python round) and pads with black', () => {
    const src = { width: 5, height: 1, data: Uint8Array.from({ length: 15 }, (_, i) => Math.floor(i / 3) + 1) };
    // (5 - 2) / 2 = 1.5 rounds to 2; (5 - 4) / 2 = 0.5 rounds to 0.
    expect(Array.from(centreCrop(src, 2, 1).data.filter((_, i) => i % 3 === 0))).to.deep.equal([3, 4]);
    expect(Array.from(centreCrop(src, 4, 1).data.filter((_, i) => i % 3 === 0))).to.deep.equal([1, 2, 3, 4]);
    expect(Array.from(centreCrop(src, 7, 1).data.filter((_, i) => i % 3 === 0))).to.deep.equal([0, 1, 2, 3, 4, 5, 0]);
  });

  it('leaves a picture of the target size unchanged and rejects an empty target', () => {
    const src = decode(manifest.images[0].file);
    expect(resizeBilinearAntialiased(src, src.width, src.height).data).to.deep.equal(src.data);
    expect(() => resizeBilinearAntialiased(src, 0, 10)).to.throw(RangeError);
  });
});
