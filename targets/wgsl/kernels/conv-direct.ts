// Direct convolution for everything that is neither pointwise nor depthwise: in ShuffleNetV2 the 3x3
// stride-2 stem on the 3-channel image (and any grouped conv). One invocation per output pixel and block of
// output channels (4 when a group's outputs divide by 4, so every input tap loaded feeds 4 multiply-adds;
// weights laid out [M/4][Cin/groups][taps][4] for that); bias and ReLU fused.

import { addressFunction } from '../operand-address.ts';
import { WeightBlock } from '../weight-block.ts';
import { u32 } from '../wgsl-text.ts';
import type { Kernel, KernelContext } from './kernel.ts';
import { ceilDiv, WORKGROUP_SIZE } from './kernel.ts';
import type { SpatialConvParams } from './spatial-conv-params.ts';
import { entryHeader, windowLoop } from './window.ts';

export function directConvKernel(ctx: KernelContext, k: SpatialConvParams): Kernel {
  const block = new WeightBlock();
  const taps = k.window.kernel[0] * k.window.kernel[1];
  const perGroupIn = k.inChannels / k.groups;
  const perGroupOut = k.outChannels / k.groups;
  const tile = perGroupOut % 4 === 0 ? 4 : 1;
  // [M][cpg][taps] -> [M/tile][cpg][taps][tile]
  const packed = new Float32Array(k.weight.length);
  for (let m = 0; m < k.outChannels; m++) {
    for (let i = 0; i < perGroupIn * taps; i++) packed[(Math.floor(m / tile) * perGroupIn * taps + i) * tile + (m % tile)] = k.weight[m * perGroupIn * taps + i];
  }
  const weights = block.add(packed);
  const bias = block.add(k.bias ?? new Float32Array(k.outChannels));
  const e = ctx.entry;
  const vec = tile === 4 ? 'vec4<f32>' : 'f32';
  const load = (i: string) => (tile === 4 ? `vec4<f32>(w[${i}], w[${i} + 1u], w[${i} + 2u], w[${i} + 3u])` : `w[${i}]`);
  const store =
    tile === 4
      ? `  for (var j = 0u; j < 4u; j++) { act[${e}_y(m0 + j, n) + p] = acc[j]; }\n`
      : `  act[${e}_y(m0, n) + p] = acc;\n`;
  const code =
    addressFunction(`${e}_x`, k.x, block) +
    addressFunction(`${e}_y`, k.y, block) +
    entryHeader(e, WORKGROUP_SIZE) +
    `  let p = g.x;
  let m0 = g.y * ${u32(tile)};
  let n = g.z;
  if (p >= ${u32(k.outPlane)}) { return; }
  let firstIn = (m0 / ${u32(perGroupOut)}) * ${u32(perGroupIn)};
  var acc = ${load(`${u32(bias)} + m0`)};
  for (var ci = 0u; ci < ${u32(perGroupIn)}; ci++) {
    let src = ${e}_x(firstIn + ci, n);
    let wc = ${u32(weights)} + (g.y * ${u32(perGroupIn)} + ci) * ${u32(taps * tile)};
${windowLoop(k.window, `      acc += ${load(`wc + t * ${u32(tile)}`)} * act[src + q];`)}  }
${k.relu ? `  acc = max(acc, ${vec}(0.0));\n` : ''}${store}}
`;
  return { kind: 'conv', code, block, workgroups: [ceilDiv(k.outPlane, WORKGROUP_SIZE), k.outChannels / tile, k.batch] };
}
