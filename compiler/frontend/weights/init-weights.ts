// Weights for a model given without a checkpoint (cost analysis, structure tests): torchvision-style init_params
// drawn from a seeded PRNG, so the same seed always compiles to the same numbers.
//   conv weight     kaiming normal, mode fan_out, ReLU gain: std = sqrt(2 / (out_channels * kh * kw))
//   BN              weight 1, bias 0, running_mean 0, running_var 1
//   fc              weight normal(0, 0.01), bias 0
//   conv bias       0 (only the SE block's convs have one)

import { SeededRandom } from './seeded-random.ts';
import type { WeightMap } from './weight-map.ts';

export type ParamRole = 'convWeight' | 'convBias' | 'bnWeight' | 'bnBias' | 'bnMean' | 'bnVar' | 'fcWeight' | 'fcBias';

/** One state_dict entry a model expects. */
export interface ParamSlot {
  readonly key: string;
  readonly shape: readonly number[];
  readonly role: ParamRole;
}

export const DEFAULT_INIT_SEED = 0;

export function initWeights(slots: readonly ParamSlot[], seed = DEFAULT_INIT_SEED): WeightMap {
  const random = new SeededRandom(seed);
  const weights: WeightMap = new Map();
  for (const slot of slots) {
    const data = new Float32Array(slot.shape.reduce((a, b) => a * b, 1));
    switch (slot.role) {
      case 'convWeight': {
        const fanOut = slot.shape[0] * slot.shape.slice(2).reduce((a, b) => a * b, 1);
        const std = Math.sqrt(2 / fanOut);
        for (let i = 0; i < data.length; i++) data[i] = std * random.normal();
        break;
      }
      case 'fcWeight':
        for (let i = 0; i < data.length; i++) data[i] = 0.01 * random.normal();
        break;
      case 'bnWeight':
      case 'bnVar':
        data.fill(1);
        break;
      case 'convBias':
      case 'bnBias':
      case 'bnMean':
      case 'fcBias':
        break;
    }
    weights.set(slot.key, { shape: [...slot.shape], data });
  }
  return weights;
}
