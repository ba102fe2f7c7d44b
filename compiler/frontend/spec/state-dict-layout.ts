// The state_dict a spec's torchvision model has: every key with its shape, in torchvision's order, found by walking
// the architecture with channel counts instead of tensors.

import type { ParamSlot } from '../weights/init-weights.ts';
import type { LayerOps } from './shufflenet-architecture.ts';
import { walkShuffleNet } from './shufflenet-architecture.ts';
import type { ShuffleNetSpec } from './shufflenet-spec.ts';

export function stateDictLayout(spec: ShuffleNetSpec): ParamSlot[] {
  const slots: ParamSlot[] = [];
  const ops: LayerOps<number> = {
    conv(c, name, layer) {
      const inPerGroup = layer.depthwise ? 1 : c;
      slots.push({ key: `${name}.weight`, shape: [layer.out, inPerGroup, layer.kernel, layer.kernel], role: 'convWeight' });
      if (layer.bias) slots.push({ key: `${name}.bias`, shape: [layer.out], role: 'convBias' });
      return layer.out;
    },
    batchNorm(c, name) {
      slots.push({ key: `${name}.weight`, shape: [c], role: 'bnWeight' }, { key: `${name}.bias`, shape: [c], role: 'bnBias' });
      slots.push({ key: `${name}.running_mean`, shape: [c], role: 'bnMean' }, { key: `${name}.running_var`, shape: [c], role: 'bnVar' });
      return c;
    },
    relu: (c) => c,
    hardSwish: (c) => c,
    sigmoid: (c) => c,
    hardSigmoid: (c) => c,
    globalPool: (c) => c,
    scale: (c) => c,
    add: (c) => c,
    maxPool: (c) => c,
    chunk: (c) => [c / 2, c / 2],
    cat: (a, b) => a + b,
    channelShuffle: (c) => c,
    globalMean: (c) => c,
    linear(c, name, out) {
      slots.push({ key: `${name}.weight`, shape: [out, c], role: 'fcWeight' }, { key: `${name}.bias`, shape: [out], role: 'fcBias' });
      return out;
    },
  };
  walkShuffleNet(spec, spec.input_shape[1], ops);
  return slots;
}
