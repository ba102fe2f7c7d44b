// NumPy .npy reading and writing. Golden bytes come from NumPy itself (the fixtures' .npy files) or are put
// together by hand here, byte by byte, following the format description.

import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NpyFormatError, readNpy, writeNpy } from '../../runtime/npy.ts';
import { oneLineErrorOf } from '../support/one-line-error.ts';

const FIXTURES = join(import.meta.dirname, '../../fixtures');

/** A .npy file assembled by hand: magic, version, header length, header text, then little-endian values. */
function handMade(header: string, values: number[], { version = 1, itemSize = 4 } = {}): Uint8Array {
  const lengthBytes = version === 1 ? 2 : 4;
  const text = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + lengthBytes + text.length + values.length * itemSize);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, text.length, true);
  else view.setUint32(8, text.length, true);
  out.set(text, 8 + lengthBytes);
  const start = 8 + lengthBytes + text.length;
  values.forEach((v, i) => (itemSize === 4 ? view.setFloat32(start + 4 * i, v, true) : view.setFloat64(start + 8 * i, v, true)));
  return out;
}

const errorOf = (fn: () => unknown): string => oneLineErrorOf(fn, NpyFormatError);

describe('runtime/npy', () => {
  it('reads versions 1, 2 and 3, float32 and float64', () => {
    const v1 = readNpy(handMade("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }\n", [1, 2, 3, 4, 5, 6.5]));
    expect(v1.shape).to.deep.equal([2, 3]);
    expect(Array.from(v1.data)).to.deep.equal([1, 2, 3, 4, 5, 6.5]);
    const v2 = readNpy(handMade('{"shape": (3,), "fortran_order": False, "descr": "<f8"}\n', [0.1, -2, 1e30], { version: 2, itemSize: 8 }));
    expect(v2.shape).to.deep.equal([3]);
    expect(Array.from(v2.data)).to.deep.equal([Math.fround(0.1), -2, Math.fround(1e30)]);
    const v3 = readNpy(handMade("{'descr': '<f4', 'fortran_order': False, 'shape': (), }      \n", [42], { version: 3 }));
    expect(v3.shape).to.deep.equal([]);
    expect(Array.from(v3.data)).to.deep.equal([42]);
  });

  it('writes exactly the bytes NumPy writes', () => {
    const bytes = readFileSync(join(FIXTURES, 'tv_tiny_o13_bn/input.npy'));
    const array = readNpy(bytes);
    expect(array.shape).to.deep.equal([1, 3, 64, 64]);
    expect(Buffer.from(writeNpy(array.shape, array.data)).equals(bytes)).to.equal(true);
    const out = readFileSync(join(FIXTURES, 'tv_tiny_o13_bn/output.npy'));
    const logits = readNpy(out);
    expect(Buffer.from(writeNpy(logits.shape, logits.data)).equals(out)).to.equal(true);
  });

  it('writes 1-D and scalar shapes the way Python spells tuples', () => {
    const text = (b: Uint8Array) => new TextDecoder().decode(b.subarray(10, 10 + new DataView(b.buffer).getUint16(8, true)));
    expect(text(writeNpy([3], new Float32Array(3)))).to.match(/^\{'descr': '<f4', 'fortran_order': False, 'shape': \(3,\), \} *\n$/);
    expect(text(writeNpy([], new Float32Array(1)))).to.match(/'shape': \(\), \}/);
    expect(writeNpy([3], new Float32Array(3)).length % 64).to.equal(12);
  });

  it('refuses what it cannot read, in one line naming the file', () => {
    const h = (dict: string) => handMade(dict + '\n', [1, 2]);
    expect(errorOf(() => readNpy(new TextEncoder().encode('hello world'), 'a.npy'))).to.equal('a.npy: not a NumPy .npy file (bad magic)');
    expect(errorOf(() => readNpy(h("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }"), 'b.npy'))).to.match(/^b\.npy: dtype ">f4" is not supported/);
    expect(errorOf(() => readNpy(h("{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }"), 'b.npy'))).to.match(/dtype "<i4" is not supported/);
    expect(errorOf(() => readNpy(h("{'descr': '<f4', 'fortran_order': True, 'shape': (2,), }"), 'c.npy'))).to.match(/^c\.npy: fortran_order arrays are not supported/);
    expect(errorOf(() => readNpy(h("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }"), 'd.npy'))).to.equal('d.npy: holds 8 data bytes, shape (3) of <f4 needs 12');
    expect(errorOf(() => readNpy(h("{'descr': '<f4', 'fortran_order': False}"), 'e.npy'))).to.equal('e.npy: header lacks shape');
    expect(errorOf(() => readNpy(h("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}"), 'e.npy'))).to.match(/unexpected header key "x"/);
    expect(errorOf(() => readNpy(h("{'descr': '<f4', 'fortran_order': False, 'shape': (2,)} __import__('os')"), 'e.npy'))).to.match(/trailing text after the header dict/);
    expect(errorOf(() => readNpy(h("{'descr': '<f4', 'fortran_order': False, 'shape': (-2,), }"), 'e.npy'))).to.match(/malformed header|non-negative/);
    expect(errorOf(() => readNpy(handMade("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", [1, 2]), 'f.npy'))).to.equal('f.npy: header does not end with a newline');
    const truncated = readFileSync(join(FIXTURES, 'bad/truncated_input.npy'));
    expect(errorOf(() => readNpy(truncated, 't.npy'))).to.equal('t.npy: holds 24512 data bytes, shape (1, 3, 64, 64) of <f4 needs 49152');
    expect(errorOf(() => readNpy(truncated.subarray(0, 20), 't.npy'))).to.equal('t.npy: truncated header');
    const bad = handMade("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }\n", [1, 2]);
    bad[6] = 4;
    expect(errorOf(() => readNpy(bad, 'v.npy'))).to.equal('v.npy: unsupported .npy format version 4.0');
  });

  it('refuses absurd shapes without allocating', () => {
    const huge = handMade("{'descr': '<f4', 'fortran_order': False, 'shape': (65536, 65536), }\n", [1]);
    expect(errorOf(() => readNpy(huge, 'h.npy'))).to.match(/^h\.npy: shape \(65536, 65536\) is absurdly large/);
  });
});
