// The frame header reader and the smallest coded size it derives, against libjpeg's own files (via Pillow in
// fixtures/generate_images.py): the bound must never exceed what a complete file holds, and libjpeg's optimised
// flat picture shows it is not loose either.

import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { minimumScanBytes, readJpegLayout, type JpegLayout } from '../../../api/image/jpeg-frame.ts';
import { ROOT } from '../../support/cli.ts';

const layoutOf = (name: string) => {
  const bytes = new Uint8Array(readFileSync(join(ROOT, 'fixtures/images', name)));
  return { bytes, layout: readJpegLayout(bytes) as JpegLayout };
};

describe('api/image jpeg-frame', () => {
  it('reads size, sampling, mode and where the frame header ends', () => {
    const { bytes, layout } = layoutOf('tall_progressive.jpg');
    expect([layout.width, layout.height, layout.progressive, layout.adobe]).to.deep.equal([180, 300, true, false]);
    expect(layout.components.map((c) => `${c.h}x${c.v}`)).to.deep.equal(['2x2', '1x1', '1x1']);
    // SOF2 at 158, 2 marker bytes + a 17-byte segment.
    expect(bytes[158 + 1]).to.equal(0xc2);
    expect(layout.frameEnd).to.equal(158 + 2 + 17);
    expect(layoutOf('cmyk.jpg').layout.adobe).to.equal(true);
  });

  it('counts 2 bits per block sequential and 1 progressive, every component at its own resolution', () => {
    // 320x240 4:2:0: 40x30 luma blocks + 2 x 20x15 chroma = 1800 blocks, 2 bits each.
    expect(minimumScanBytes(layoutOf('photo_rgb_420.jpg').layout)).to.equal(450);
    // 180x300 4:2:0 progressive: 23x38 + 2 x 12x19 = 1330 blocks (edges rounded up per component), 1 bit each.
    expect(minimumScanBytes(layoutOf('tall_progressive.jpg').layout)).to.equal(167);
    // 255x253 4:2:0: the chroma planes are 128x127 samples, 16x16 blocks each.
    expect(minimumScanBytes(layoutOf('odd_rgb_420.jpg').layout)).to.equal(Math.ceil(((32 * 32 + 2 * 16 * 16) * 2) / 8));
  });

  it("is reached by libjpeg's optimised flat picture and never exceeded by a fixture", () => {
    const { bytes, layout } = layoutOf('flat_optimised.jpg');
    const ratio = (bytes.length - layout.frameEnd) / minimumScanBytes(layout);
    expect(ratio).to.be.within(1, 1.1);
    for (const name of ['photo_rgb_420.jpg', 'photo_rgb_422.jpg', 'photo_rgb_444.jpg', 'odd_rgb_420.jpg', 'tiny_rgb_420.jpg', 'tall_progressive.jpg', 'grey.jpg', 'cmyk.jpg']) {
      const f = layoutOf(name);
      expect(f.bytes.length - f.layout.frameEnd, name).to.be.above(minimumScanBytes(f.layout));
    }
  });
});
