// The seeded init: torchvision-style distributions (checked statistically against their formulas) and determinism.

import { expect } from 'chai';
import type { ParamSlot } from '../../../../compiler/frontend/weights/init-weights.ts';
import { initWeights } from '../../../../compiler/frontend/weights/init-weights.ts';

const SLOTS: ParamSlot[] = [
  { key: 'conv.weight', shape: [128, 64, 3, 3], role: 'convWeight' }, // fan_out = 128 * 9
  { key: 'dw.weight', shape: [256, 1, 3, 3], role: 'convWeight' }, // fan_out = 256 * 9 (groups do not enter fan_out)
  { key: 'bn.weight', shape: [8], role: 'bnWeight' },
  { key: 'bn.bias', shape: [8], role: 'bnBias' },
  { key: 'bn.running_mean', shape: [8], role: 'bnMean' },
  { key: 'bn.running_var', shape: [8], role: 'bnVar' },
  { key: 'fc.weight', shape: [1000, 100], role: 'fcWeight' },
  { key: 'fc.bias', shape: [1000], role: 'fcBias' },
];

function stats(data: Float32Array): { mean: number; std: number; withinOneStd: number } {
  let sum = 0;
  for (const v of data) sum += v;
  const mean = sum / data.length;
  let sq = 0;
  for (const v of data) sq += (v - mean) ** 2;
  const std = Math.sqrt(sq / data.length);
  let inside = 0;
  for (const v of data) if (Math.abs(v - mean) <= std) inside++;
  return { mean, std, withinOneStd: inside / data.length };
}

describe('seeded weight init', () => {
  const w = initWeights(SLOTS, 42);

  it('draws conv weights from kaiming normal, fan_out mode: std = sqrt(2 / (out * kh * kw))', () => {
    for (const [key, fanOut] of [['conv.weight', 128 * 9], ['dw.weight', 256 * 9]] as const) {
      const s = stats(w.get(key)!.data);
      const std = Math.sqrt(2 / fanOut);
      expect(Math.abs(s.mean), key).to.be.below(0.05 * std);
      expect(s.std / std, key).to.be.within(0.97, 1.03);
      expect(s.withinOneStd, key).to.be.within(0.66, 0.705); // a normal puts 68.3% within one std
    }
  });

  it('draws fc weights from normal(0, 0.01) and zeroes biases; BN starts as identity', () => {
    const s = stats(w.get('fc.weight')!.data);
    expect(s.std).to.be.within(0.0097, 0.0103);
    expect([...w.get('fc.bias')!.data].every((v) => v === 0)).to.equal(true);
    expect([...w.get('bn.weight')!.data]).to.deep.equal(new Array(8).fill(1));
    expect([...w.get('bn.running_var')!.data]).to.deep.equal(new Array(8).fill(1));
    expect([...w.get('bn.bias')!.data, ...w.get('bn.running_mean')!.data]).to.deep.equal(new Array(16).fill(0));
    expect(w.get('conv.weight')!.shape).to.deep.equal([128, 64, 3, 3]);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const again = initWeights(SLOTS, 42);
    const other = initWeights(SLOTS, 43);
    expect(again.get('conv.weight')!.data).to.deep.equal(w.get('conv.weight')!.data);
    expect(other.get('conv.weight')!.data).to.not.deep.equal(w.get('conv.weight')!.data);
  });
});
