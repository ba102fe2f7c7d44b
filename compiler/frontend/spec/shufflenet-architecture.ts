// torchvision's ShuffleNetV2 written once, as a walk over its layers with torchvision's module names. Each
// interpretation supplies the layer operations: the state_dict layout walks it with channel counts, the graph
// builder with IR values. Keeping a single walk means the expected keys and the built graph cannot drift apart.
// The spec's variant options (SE, residual, v2*'s extra depthwise conv, h-swish) extend the same walk; with all of
// them off it is exactly torchvision's network. fixtures/models/variant_style.py is the PyTorch side.

import type { ShuffleNetSpec } from './shufflenet-spec.ts';

export interface ConvLayer {
  readonly out: number;
  readonly kernel: number;
  readonly stride: number;
  readonly pad: number;
  /** groups = input channels makes it depthwise. */
  readonly depthwise: boolean;
  /** nn.Conv2d's bias (only the SE block's convs have one; `${name}.bias`). */
  readonly bias?: boolean;
}

/** One interpretation of the layers; `T` is whatever flows between them (channel counts, graph values...). */
export interface LayerOps<T> {
  /** nn.Conv2d(bias=False) named `name` (its weight key is `${name}.weight`). */
  conv(x: T, name: string, layer: ConvLayer): T;
  /** nn.BatchNorm2d in eval mode. */
  batchNorm(x: T, name: string): T;
  relu(x: T, name: string): T;
  /** nn.Hardswish. */
  hardSwish(x: T, name: string): T;
  /** nn.Sigmoid. */
  sigmoid(x: T, name: string): T;
  /** nn.Hardsigmoid: min(max(x / 6 + 1/2, 0), 1). */
  hardSigmoid(x: T, name: string): T;
  /** F.adaptive_avg_pool2d(x, 1): [N, C, 1, 1]. */
  globalPool(x: T, name: string): T;
  /** x * gate, gate [N, C, 1, 1] broadcast over the plane. */
  scale(x: T, gate: T, name: string): T;
  /** a + b, same shapes. */
  add(a: T, b: T, name: string): T;
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
const pw = (out: number, bias = false): ConvLayer => ({ out, kernel: 1, stride: 1, pad: 0, depthwise: false, bias });

/** The activation wherever torchvision has a ReLU. */
const activationOf = <T>(spec: ShuffleNetSpec, ops: LayerOps<T>) => (spec.activation === 'hswish' ? ops.hardSwish : ops.relu);

/** SqueezeExcite: pool, 1x1 to max(1, C/4) + bias, ReLU, 1x1 back to C + bias, gate, x * gate. */
function squeezeExcite<T>(spec: ShuffleNetSpec, ops: LayerOps<T>, x: T, name: string, channels: number): T {
  let s = ops.globalPool(x, `${name}.pool`);
  s = ops.relu(ops.conv(s, `${name}.fc1`, pw(Math.max(1, Math.floor(channels / 4)), true)), `${name}.relu`);
  s = ops.conv(s, `${name}.fc2`, pw(channels, true));
  const gate = spec.activation === 'hswish' ? ops.hardSigmoid(s, `${name}.gate`) : ops.sigmoid(s, `${name}.gate`);
  return ops.scale(x, gate, `${name}.scale`);
}

/** InvertedResidual.forward, for stride 2 (both branches see the whole input) or 1 (branch2 sees one half). */
function unit<T>(spec: ShuffleNetSpec, ops: LayerOps<T>, x: T, name: string, out: number, stride: 1 | 2, inChannels: number): T {
  const half = out / 2;
  const act = activationOf(spec, ops);
  const branch2 = (input: T): T => {
    // Module indices of branch2's Sequential: with extra_dw everything shifts by the two extra layers.
    let index = 0;
    const next = () => `${name}.branch2.${index++}`;
    let y = input;
    if (spec.extra_dw) y = ops.batchNorm(ops.conv(y, next(), dw3x3(stride === 1 ? half : inChannels, 1)), next());
    y = act(ops.batchNorm(ops.conv(y, next(), pw(half)), next()), next());
    y = ops.batchNorm(ops.conv(y, next(), dw3x3(half, stride)), next());
    y = act(ops.batchNorm(ops.conv(y, next(), pw(half)), next()), next());
    return spec.se ? squeezeExcite(spec, ops, y, next(), half) : y;
  };
  let joined: T;
  if (stride === 1) {
    const [x1, x2] = ops.chunk(x, `${name}.chunk`);
    const y = branch2(x2);
    joined = ops.cat(x1, spec.residual ? ops.add(y, x2, `${name}.residual`) : y, `${name}.cat`);
  } else {
    const b = `${name}.branch1`;
    let y = ops.batchNorm(ops.conv(x, `${b}.0`, dw3x3(inChannels, stride)), `${b}.1`);
    y = act(ops.batchNorm(ops.conv(y, `${b}.2`, pw(half)), `${b}.3`), `${b}.4`);
    joined = ops.cat(y, branch2(x), `${name}.cat`);
  }
  return ops.channelShuffle(joined, `${name}.channel_shuffle`);
}

/** ShuffleNetV2._forward_impl. */
export function walkShuffleNet<T>(spec: ShuffleNetSpec, input: T, ops: LayerOps<T>): T {
  const [c0, , , , c4] = spec.stages_out_channels;
  const act = activationOf(spec, ops);
  let x = ops.conv(input, 'conv1.0', { out: c0, kernel: 3, stride: 2, pad: 1, depthwise: false });
  x = act(ops.batchNorm(x, 'conv1.1'), 'conv1.2');
  x = ops.maxPool(x, 'maxpool');
  let channels = c0;
  for (let s = 0; s < 3; s++) {
    const out = spec.stages_out_channels[s + 1];
    x = unit(spec, ops, x, `stage${s + 2}.0`, out, 2, channels);
    for (let i = 1; i < spec.stages_repeats[s]; i++) x = unit(spec, ops, x, `stage${s + 2}.${i}`, out, 1, out);
    channels = out;
  }
  x = act(ops.batchNorm(ops.conv(x, 'conv5.0', pw(c4)), 'conv5.1'), 'conv5.2');
  return ops.linear(ops.globalMean(x, 'mean'), 'fc', spec.num_classes);
}
