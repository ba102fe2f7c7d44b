// Reads the uint8 .npy fixtures (fixtures/images/*.crop.npy: pictures as bytes, HWC). The runtime's reader takes
// float tensors only; these trusted fixture files need no more than their shape and payload.

import { expect } from 'chai';
import { readFileSync } from 'node:fs';

export function readNpyBytes(path: string): { shape: number[]; data: Uint8Array } {
  const bytes = readFileSync(path);
  expect(bytes.subarray(0, 8).toString('latin1')).to.equal('\x93NUMPY\x01\x00');
  const headerLength = bytes.readUInt16LE(8);
  const header = bytes.subarray(10, 10 + headerLength).toString('latin1');
  expect(header).to.match(/'descr': '\|u1', 'fortran_order': False/);
  const shape = /'shape': \(([\d, ]*)\)/.exec(header)![1].split(',').filter((s) => s.trim() !== '').map(Number);
  const data = new Uint8Array(bytes.subarray(10 + headerLength));
  expect(data.length).to.equal(shape.reduce((a, b) => a * b, 1));
  return { shape, data };
}
