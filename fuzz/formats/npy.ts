// .npy tensors: the header dict re-written with changed dtypes, shapes, orders and lengths (or hostile text),
// the version and header-length fields damaged, or the data cut short. The consumer reads it as `run --input`.

import { readFileSync } from 'node:fs';
import { readNpy } from '../../runtime/npy.ts';
import { FIXTURES, type FuzzFormat, type FuzzInput } from '../format.ts';
import { concat, mutateBytes } from '../mutate-bytes.ts';
import type { Random } from '../random.ts';

const SEED = new Uint8Array(readFileSync(new URL('tv_tiny_o13_bn/input.npy', FIXTURES)));
const MAGIC = 6;
const headerLength = new DataView(SEED.buffer, SEED.byteOffset).getUint16(8, true);
const BODY = SEED.subarray(10 + headerLength);

const DESCR = ["'<f4'", "'<f8'", "'>f4'", "'<f2'", "'|u1'", "'<i8'", "'<c8'", "'O'", "[('a', '<f4')]", "''", '1'];
const SHAPES = ['(1, 3, 64, 64)', '()', '(0,)', '(12288,)', '(-1, 3)', '(99999999999, 99999999999)', '(1, 3, 64, 65)', "('x',)", '(1,', ''];

function header(descr: string, order: string, shape: string): Uint8Array {
  let text = `{'descr': ${descr}, 'fortran_order': ${order}, 'shape': ${shape}, }`;
  text += ' '.repeat((64 - ((10 + text.length + 1) % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + text.length);
  out.set(SEED.subarray(0, MAGIC + 2));
  new DataView(out.buffer).setUint16(8, text.length, true);
  out.set(new TextEncoder().encode(text), 10);
  return out;
}

function generate(r: Random): FuzzInput {
  switch (r.int(4)) {
    case 0: {
      // Each field keeps its valid value half the time, so combinations near the valid header are common.
      const field = (valid: string, others: readonly string[]) => (r.chance(0.5) ? valid : r.pick(others));
      const dict = header(field("'<f4'", DESCR), field('False', ['True', '0', 'None']), field('(1, 3, 64, 64)', SHAPES));
      return { bytes: concat(dict, BODY), mutation: 'header dict' };
    }
    case 1:
      return { bytes: concat(header("'<f4'", 'False', '(1, 3, 64, 64)'), BODY.subarray(0, r.int(BODY.length))), mutation: 'data cut short' };
    case 2: {
      const bytes = new Uint8Array(SEED);
      bytes[MAGIC + r.int(4)] = r.pick([0, 1, 2, 3, 4, 0xff]);
      return { bytes, mutation: 'version or header length' };
    }
    default:
      return { bytes: mutateBytes(SEED.subarray(0, 10 + headerLength + 64), r), mutation: 'bytes' };
  }
}

async function consume({ bytes }: FuzzInput): Promise<void> {
  readNpy(bytes, 'fuzz.npy');
}

export const npyFormat: FuzzFormat = { name: 'npy', generate, consume };
