// Direct convolution for everything that is neither pointwise nor depthwise: in ShuffleNetV2 the 3x3
// stride-2 stem on the 3-channel image (and any grouped conv). One invocation per output pixel and channel;
// bias and ReLU fused.

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
  const weights = block.add(k.weight);
  const bias = block.add(k.bias ?? new Float32Array(k.outChannels));
  const e = ctx.entry;
  const code =
    addressFunction(`${e}_x`, k.x, block) +
    addressFunction(`${e}_y`, k.y, block) +
    entryHeader(e, WORKGROUP_SIZE) +
    `  let p = g.x;
  let m = g.y;
  let n = g.z;
  if (p >= ${u32(k.outPlane)}) { return; }
  let firstIn = (m / ${u32(perGroupOut)}) * ${u32(perGroupIn)};
  var acc = w[${u32(bias)} + m];
  for (var ci = 0u; ci < ${u32(perGroupIn)}; ci++) {
    let src = ${e}_x(firstIn + ci, n);
    let wc = ${u32(weights)} + (m * ${u32(perGroupIn)} + ci) * ${u32(taps)};
${windowLoop(k.window, '      acc += w[wc + t] * act[src + q];')}  }
${k.relu ? '  acc = max(acc, 0.0);\n' : ''}  act[${e}_y(m, n) + p] = acc;
}
`;
  return { kind: 'conv', code, block, workgroups: [ceilDiv(k.outPlane, WORKGROUP_SIZE), k.outChannels, k.batch] };
}
