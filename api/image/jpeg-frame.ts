// The JPEG frame header (SOF0..SOF2), read before jpeg-js runs. Its layout chooses the colour path (jpeg-ycbcr.ts)
// and lets the decoder refuse a frame the file is far too short to code: jpeg-js allocates and walks every block
// the header declares before it notices the data ran out, so a 100 KB file whose header was changed to 320x65535
// kept it busy for 4 s (15-18 s on a loaded machine) only to end in "unexpected marker".

interface Component {
  readonly id: number;
  readonly h: number;
  readonly v: number;
}

export interface JpegLayout {
  readonly width: number;
  readonly height: number;
  readonly components: readonly Component[];
  /** An Adobe APP14 marker (which sets its own colour transform) is present. */
  readonly adobe: boolean;
  /** SOF2: the coefficients come in several scans (bands, bit planes) instead of once per block. */
  readonly progressive: boolean;
  /** The offset just past the frame header: the coded scans can only lie after it. */
  readonly frameEnd: number;
}

/** The frame header (SOF0..SOF2) and whether an Adobe marker precedes it; undefined when not found. */
export function readJpegLayout(bytes: Uint8Array): JpegLayout | undefined {
  let adobe = false;
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return undefined;
    const marker = bytes[at + 1];
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    const length = (bytes[at + 2] << 8) | bytes[at + 3];
    const body = at + 4;
    if (marker === 0xee && length >= 7 && String.fromCharCode(...bytes.subarray(body, body + 5)) === 'Adobe') adobe = true;
    if (marker >= 0xc0 && marker <= 0xc2) {
      const count = bytes[body + 5];
      const frameEnd = body + 6 + 3 * count;
      if (frameEnd > bytes.length) return undefined;
      const components = Array.from({ length: count }, (_, i) => {
        const c = body + 6 + 3 * i;
        return { id: bytes[c], h: bytes[c + 1] >> 4, v: bytes[c + 1] & 15 };
      });
      const [height, width] = [(bytes[body + 1] << 8) | bytes[body + 2], (bytes[body + 3] << 8) | bytes[body + 4]];
      return { height, width, components, adobe, progressive: marker === 0xc2, frameEnd };
    }
    at = body + length - 2;
  }
  return undefined;
}

/**
 * The fewest bytes the scans of a complete file with this frame can take. Every 8x8 block of every component is
 * coded, and a Huffman code is 1 to 16 bits long (JPEG has no empty code), so:
 * - sequential (SOF0, SOF1): a block is at least a DC difference code and an end-of-block code, 2 bits;
 * - progressive (SOF2): the first DC scan codes one difference per block, 1 bit; the AC scans may be absent or
 *   code end-of-band runs of up to 32767 blocks per code, so they are counted as nothing.
 * Blocks are counted as a non-interleaved scan codes them (interleaved scans also code the MCU padding). One
 * full-resolution component alone thus allows at most 256 (sequential) or 512 (progressive) pixels per byte.
 * The bound is tight: libjpeg (Pillow, optimize=True) codes a flat colour in exactly 1 bit per DC and 1 per
 * end-of-block, so fixtures/images/flat_optimised.jpg holds 1.02x this minimum (the tables after the frame
 * header are the 2%); its progressive files of a flat colour hold 2.0x.
 */
export function minimumScanBytes(layout: JpegLayout): number {
  const hMax = Math.max(...layout.components.map((c) => c.h));
  const vMax = Math.max(...layout.components.map((c) => c.v));
  let blocks = 0;
  for (const { h, v } of layout.components) {
    if (h === 0 || v === 0) continue; // invalid: jpeg-js refuses it; count nothing rather than guess
    blocks += Math.ceil(Math.ceil((layout.width * h) / hMax) / 8) * Math.ceil(Math.ceil((layout.height * v) / vMax) / 8);
  }
  return Math.ceil((blocks * (layout.progressive ? 1 : 2)) / 8);
}
