// Pictures for `snv2c run`: PNGs with one chunk changed (IHDR width, height, bit depth, colour type, interlace;
// a data chunk damaged) and re-checksummed so the change reaches the decoder, JPEGs with a marker segment changed
// (frame size, component count, tables) or cut, and plain byte damage. The consumer decodes and preprocesses for
// a 224x224 model.

import { readFileSync } from 'node:fs';
import { decodeImage } from '../../api/image/decode-image.ts';
import { imageTensor } from '../../api/image/image-input.ts';
import { crc32 } from '../../compiler/frontend/weights/zip-reader.ts';
import { FIXTURES, type FuzzFormat, type FuzzInput } from '../format.ts';
import { mutateBytes } from '../mutate-bytes.ts';
import type { Random } from '../random.ts';

const read = (name: string) => new Uint8Array(readFileSync(new URL(`images/${name}`, FIXTURES)));
const PNGS = ['odd_rgb.png', 'palette.png', 'grey16.png', 'rgba.png', 'grey_alpha.png'].map(read);
const JPEGS = ['photo_rgb_420.jpg', 'cmyk.jpg', 'grey.jpg', 'tall_progressive.jpg'].map(read);
const DIMS = [0, 1, 2, 7, 224, 65535, 65536, 0x7fffffff, 0x80000000, 0xffffffff];

function mutatePng(png: Uint8Array, r: Random): FuzzInput {
  const out = new Uint8Array(png);
  const view = new DataView(out.buffer);
  // The IHDR chunk follows the 8-byte signature: length(4) type(4) width height depth colour compression filter interlace crc.
  const field = r.int(6);
  if (field <= 1) view.setUint32(16 + 4 * field, r.pick(DIMS));
  else out[24 + (field - 2)] = r.pick([0, 1, 2, 3, 4, 6, 8, 16, 255]);
  view.setUint32(29, crc32(out.subarray(12, 29)));
  return { bytes: out, mutation: `IHDR ${['width', 'height', 'bit depth', 'colour type', 'compression', 'filter'][field]}` };
}

function mutateJpeg(jpeg: Uint8Array, r: Random): FuzzInput {
  const out = new Uint8Array(jpeg);
  const markers: number[] = [];
  for (let i = 2; i + 4 < out.length && markers.length < 16; ) {
    if (out[i] !== 0xff) break;
    markers.push(i);
    if (out[i + 1] === 0xda) break;
    i += 2 + ((out[i + 2] << 8) | out[i + 3]);
  }
  const at = r.pick(markers);
  const marker = out[at + 1];
  const isFrame = marker >= 0xc0 && marker <= 0xc2;
  if (isFrame && r.chance(0.7)) {
    // SOFn: length(2) precision(1) height(2) width(2) components(1) ...
    const offset = at + 4 + r.pick([0, 1, 3, 5]);
    const value = r.pick(DIMS);
    out[offset] = (value >>> 8) & 0xff;
    if (offset !== at + 4 && offset !== at + 9) out[offset + 1] = value & 0xff;
    return { bytes: out, mutation: 'frame header' };
  }
  const length = (out[at + 2] << 8) | out[at + 3];
  out[at + 4 + r.int(Math.max(1, length - 2))] = r.int(256);
  return { bytes: out, mutation: `segment ff${marker.toString(16)}` };
}

function generate(r: Random): FuzzInput {
  const choice = r.int(3);
  if (choice === 0) return mutatePng(r.pick(PNGS), r);
  if (choice === 1) return mutateJpeg(r.pick(JPEGS), r);
  return { bytes: mutateBytes(r.pick([...PNGS, ...JPEGS]), r), mutation: 'bytes' };
}

async function consume({ bytes }: FuzzInput): Promise<void> {
  const file = bytes[0] === 0x89 ? 'fuzz.png' : 'fuzz.jpg';
  imageTensor(decodeImage(bytes, file), [1, 3, 224, 224], file);
}

export const imageFormat: FuzzFormat = { name: 'image', generate, consume };
