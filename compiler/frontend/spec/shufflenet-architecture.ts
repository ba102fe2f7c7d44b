// torchvision's ShuffleNetV2 written once, as a walk over its layers with torchvision's module names. Each
// interpretation supplies the layer operations: the state_dict layout walks it with channel counts, the graph
// builder with IR values. Keeping a single walk means the expected keys and the built graph cannot drift apart.

import type { ShuffleNetSpec } from './shufflenet-spec.ts';

export interface ConvLayer {
  readonly out: number;
  readonly kernel: number;
  readonly stride: number;
  readonly pad: number;
  /** groups = input channels makes it depthwise. */
  readonly depthwise: boolean;
}

/** One interpretation of the layers; `T` is whatever flows between them (channel counts, graph values...). */
export interface LayerOps<T> {
  /** nn.Conv2d(bias=False) named `name` (its weight key is `${name}.weight`). */
  conv(x: T, name: string, layer: ConvLayer): T;
  /** nn.BatchNorm2d in eval mode. */
  batchNorm(x: T, name: string): T;
  relu(x: T, name: string): T;
  /** nn.MaxPool2d(kernel_size=3, stride=2, padding=1). */
  maxPool(x: T, name: string): T;
  /** x.chunk(2, dim=1). */
  chunk(x: T, name: string): [T, T];
  /** torch.cat((a, b), dim=1). */
  cat(a: T, b: T, name: string): T;
  /** channel_shuffle(x, 2): view [N, 2, C/2, H, W], transpose(1, 2), view [N, C, H, W]. */
  channelShuffle(x: T, name: string): T;
  /** x.mean([2, 3]). */
  globalMean(x: T, name: string): T;
  /** nn.Linear(in, out) with bias. */
  linear(x: T, name: string, out: number): T;
}

const dw3x3 = (channels: number, stride: number): ConvLayer => ({ out: channels, kernel: 3, stride, pad: 1, depthwise: true });
const pw = (out: number): ConvLayer => ({ out, kernel: 1, stride: 1, pad: 0, depthwise: false });

/** InvertedResidual.forward, for stride 2 (both branches see the whole input) or 1 (branch2 sees one half). */
function unit<T>(ops: LayerOps<T>, x: T, name: string, out: number, stride: 1 | 2, inChannels: number): T {
  const half = out / 2;
  const branch2 = (input: T): T => {
    const b = `${name}.branch2`;
    let y = ops.relu(ops.batchNorm(ops.conv(input, `${b}.0`, pw(half)), `${b}.1`), `${b}.2`);
    y = ops.batchNorm(ops.conv(y, `${b}.3`, dw3x3(half, stride)), `${b}.4`);
    return ops.relu(ops.batchNorm(ops.conv(y, `${b}.5`, pw(half)), `${b}.6`), `${b}.7`);
  };
  let joined: T;
  if (stride === 1) {
    const [x1, x2] = ops.chunk(x, `${name}.chunk`);
    joined = ops.cat(x1, branch2(x2), `${name}.cat`);
  } else {
    const b = `${name}.branch1`;
    let y = ops.batchNorm(ops.conv(x, `${b}.0`, dw3x3(inChannels, stride)), `${b}.1`);
    y = ops.relu(ops.batchNorm(ops.conv(y, `${b}.2`, pw(half)), `${b}.3`), `${b}.4`);
    joined = ops.cat(y, branch2(x), `${name}.cat`);
  }
  return ops.channelShuffle(joined, `${name}.channel_shuffle`);
}

/** ShuffleNetV2._forward_impl. */
export function walkShuffleNet<T>(spec: ShuffleNetSpec, input: T, ops: LayerOps<T>): T {
  const [c0, , , , c4] = spec.stages_out_channels;
  let x = ops.conv(input, 'conv1.0', { out: c0, kernel: 3, stride: 2, pad: 1, depthwise: false });
  x = ops.relu(ops.batchNorm(x, 'conv1.1'), 'conv1.2');
  x = ops.maxPool(x, 'maxpool');
  let channels = c0;
  for (let s = 0; s < 3; s++) {
    const out = spec.stages_out_channels[s + 1];
    x = unit(ops, x, `stage${s + 2}.0`, out, 2, channels);
    for (let i = 1; i < spec.stages_repeats[s]; i++) x = unit(ops, x, `stage${s + 2}.${i}`, out, 1, out);
    channels = out;
  }
  x = ops.relu(ops.batchNorm(ops.conv(x, 'conv5.0', pw(c4)), 'conv5.1'), 'conv5.2');
  return ops.linear(ops.globalMean(x, 'mean'), 'fc', spec.num_classes);
}
