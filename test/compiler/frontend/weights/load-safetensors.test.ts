// .safetensors files assembled by hand (layout from the format's README) and from the fixtures.

import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { loadWeights } from '../../../../compiler/frontend/weights/load-weights.ts';
import { oneLineErrorOf as errorOf } from '../../../support/one-line-error.ts';

function safetensors(header: unknown, data: Uint8Array, lengthOverride?: number): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setUint32(0, lengthOverride ?? json.length, true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

function f32Bytes(values: number[]): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  values.forEach((v, i) => new DataView(bytes.buffer).setFloat32(i * 4, v, true));
  return bytes;
}

describe('loading .safetensors', () => {
  it('reads F32, F16 and BF16 tensors in any order, ignoring __metadata__ and I64 num_batches_tracked', () => {
    // bytes: [0,8) f32 [2] = 1.5, -2 | [8,12) f16 [2] = 1 (0x3c00), 65504 (0x7bff) | [12,16) bf16 [2] = -2 (0xc000), 0.5 (0x3f00) | [16,24) i64
    const data = new Uint8Array([...f32Bytes([1.5, -2]), 0x00, 0x3c, 0xff, 0x7b, 0x00, 0xc0, 0x00, 0x3f, 5, 0, 0, 0, 0, 0, 0, 0]);
    const header = {
      __metadata__: { format: 'pt' },
      'b.bf16': { dtype: 'BF16', shape: [2, 1], data_offsets: [12, 16] },
      'a.f32': { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
      'c.f16': { dtype: 'F16', shape: [1, 2], data_offsets: [8, 12] },
      'bn.num_batches_tracked': { dtype: 'I64', shape: [], data_offsets: [16, 24] },
    };
    const w = loadWeights(safetensors(header, data), 'w.safetensors');
    expect([...w.keys()]).to.deep.equal(['b.bf16', 'a.f32', 'c.f16']);
    expect(w.get('a.f32')).to.deep.equal({ shape: [2], data: Float32Array.from([1.5, -2]) });
    expect(w.get('c.f16')).to.deep.equal({ shape: [1, 2], data: Float32Array.from([1, 65504]) });
    expect(w.get('b.bf16')).to.deep.equal({ shape: [2, 1], data: Float32Array.from([-2, 0.5]) });
  });

  it('refuses overlaps, gaps, offsets past the end, size mismatches and unknown dtypes', () => {
    const data = f32Bytes([1, 2, 3, 4]);
    const cases: [Record<string, unknown>, string][] = [
      [{ a: { dtype: 'F32', shape: [3], data_offsets: [0, 12] }, b: { dtype: 'F32', shape: [2], data_offsets: [8, 16] } }, 'overlaps'],
      [{ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [1], data_offsets: [12, 16] } }, 'gap of 4 bytes'],
      [{ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, '8 bytes no tensor uses'],
      [{ a: { dtype: 'F32', shape: [5], data_offsets: [0, 20] } }, 'outside the 16-byte data section'],
      [{ a: { dtype: 'F32', shape: [3], data_offsets: [0, 16] } }, 'needs 12 bytes, data_offsets give 16'],
      [{ a: { dtype: 'F8_E4M3', shape: [16], data_offsets: [0, 16] } }, 'unsupported dtype "F8_E4M3"'],
      [{ a: { dtype: 'I32', shape: [4], data_offsets: [0, 16] } }, '"a" has dtype i32'],
      [{ a: { dtype: 'F32', shape: [-4], data_offsets: [0, 16] } }, 'shape must be'],
      [{ a: { dtype: 'F32', shape: [2 ** 20, 2 ** 20], data_offsets: [0, 16] } }, 'absurd dimensions'],
    ];
    for (const [header, reason] of cases) expect(errorOf(() => loadWeights(safetensors(header, data), 'bad.safetensors'))).to.contain(reason);
    expect(errorOf(() => loadWeights(safetensors({}, data, 5000), 'bad.safetensors'))).to.contain('runs past the end');
    expect(errorOf(() => loadWeights(new TextEncoder().encode('\x0f\0\0\0\0\0\0\0{"a": not json}'), 'bad.safetensors'))).to.contain('not valid UTF-8 JSON');
  });

  it('refuses the fixtures with an absurd shape and a header running past the end', () => {
    expect(errorOf(() => loadWeights(readFileSync('fixtures/bad/absurd_shape.safetensors'), 'absurd_shape.safetensors'))).to.contain('"fc.weight" has absurd dimensions');
    expect(errorOf(() => loadWeights(readFileSync('fixtures/bad/header_past_end.safetensors'), 'header_past_end.safetensors'))).to.contain('runs past the end');
  });

  it('warns once, naming the tensor, about NaN/Inf weights and still loads them', () => {
    const warnings: string[] = [];
    const w = loadWeights(readFileSync('fixtures/bad/nan_weights.safetensors'), 'nan_weights.safetensors', { warn: (m) => warnings.push(m) });
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.contain('"fc.bias"').and.contain('NaN or Inf').and.not.contain('\n');
    const bias = [...w.get('fc.bias')!.data];
    expect(bias.some(Number.isNaN)).to.equal(true);
    expect(bias.some((v) => v === Infinity || v === -Infinity)).to.equal(true);
  });

  it('refuses files that are neither archives nor safetensors', () => {
    expect(errorOf(() => loadWeights(new TextEncoder().encode('hello world, not weights'), 'w.bin'))).to.contain('wrong magic');
    expect(errorOf(() => loadWeights(new TextEncoder().encode('hello world, not weights'), 'w.dat'))).to.contain('unknown weight file format');
  });
});
