// float16/bfloat16 decoding against IEEE 754 bit patterns worked out by hand, and strided gathers on small views.

import { expect } from 'chai';
import { halfToFloat } from '../../../../compiler/frontend/float16.ts';
import { elementReader, gatherStrided, readTensor } from '../../../../compiler/frontend/weights/tensor-data.ts';

describe('tensor data', () => {
  it('decodes float16 normals, subnormals, the largest finite value, infinities and NaN', () => {
    expect(halfToFloat(0x3c00)).to.equal(1);
    expect(halfToFloat(0xc000)).to.equal(-2);
    expect(halfToFloat(0x3555)).to.equal(0.333251953125);
    expect(halfToFloat(0x7bff)).to.equal(65504);
    expect(halfToFloat(0x0001)).to.equal(2 ** -24);
    expect(halfToFloat(0x0400)).to.equal(2 ** -14);
    expect(halfToFloat(0x8000)).to.equal(-0);
    expect(halfToFloat(0x7c00)).to.equal(Infinity);
    expect(halfToFloat(0xfc00)).to.equal(-Infinity);
    expect(halfToFloat(0x7e00)).to.be.NaN;
  });

  it('decodes bfloat16 as the top half of a float32, in either byte order', () => {
    const le = new DataView(Uint8Array.from([0x80, 0x3f, 0x49, 0xc0]).buffer); // 0x3f80 = 1, 0xc049 = -3.140625
    expect([0, 1].map(elementReader('bf16', le, true))).to.deep.equal([1, -3.140625]);
    const be = new DataView(Uint8Array.from([0x3f, 0x80]).buffer);
    expect(elementReader('bf16', be, false)(0)).to.equal(1);
  });

  it('gathers a transposed view, an offset column and an empty view', () => {
    const storage = [0, 1, 2, 3, 4, 5]; // a [2, 3] matrix, row-major
    const read = (i: number) => storage[i];
    expect([...gatherStrided(read, 0, [3, 2], [1, 3])]).to.deep.equal([0, 3, 1, 4, 2, 5]);
    expect([...gatherStrided(read, 1, [2], [3])]).to.deep.equal([1, 4]);
    expect([...gatherStrided(read, 5, [], [])]).to.deep.equal([5]);
    expect([...gatherStrided(read, 0, [0, 3], [3, 1])]).to.deep.equal([]);
  });

  it('copies contiguous float32 from an unaligned offset without sharing memory', () => {
    const bytes = new Uint8Array(13);
    new DataView(bytes.buffer).setFloat32(1, 2.5, true);
    new DataView(bytes.buffer).setFloat32(5, -7, true);
    const view = new DataView(bytes.buffer, 1, 12);
    const out = readTensor('f32', view, true, 0, [2], [1]);
    expect([...out]).to.deep.equal([2.5, -7]);
    bytes.fill(0);
    expect([...out]).to.deep.equal([2.5, -7]);
  });
});
