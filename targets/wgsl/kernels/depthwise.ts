// Depthwise convolution (groups = in = out channels), bias and activation fused: one invocation per output pixel
// and channel, walking only the in-bounds taps. Its input and output planes are found through the routing
// tables, so it permutes nothing at run time.

import { WeightBlock } from '../weight-block.ts';
import { u32 } from '../wgsl-text.ts';
import { activate } from './epilogue.ts';
import type { Kernel, KernelContext } from './kernel.ts';
import { kernelHead, perPixelStart, perPixelWorkgroups } from './kernel.ts';
import type { SpatialConvParams } from './spatial-conv-params.ts';
import { windowLoop } from './window.ts';

export function depthwiseKernel(ctx: KernelContext, k: SpatialConvParams): Kernel {
  const block = new WeightBlock();
  const taps = k.window.kernel[0] * k.window.kernel[1];
  const weights = block.add(k.weight);
  const bias = block.add(k.bias ?? new Float32Array(k.outChannels));
  const e = ctx.entry;
  const code =
    kernelHead(ctx, block, { x: k.x, y: k.y }) +
    perPixelStart(k.outPlane) +
    `  let src = ${e}_x(c, n);
  let wc = ${u32(weights)} + c * ${u32(taps)};
  var acc = ws(${u32(bias)} + c);
${windowLoop(k.window, '      acc += ws(wc + t) * select(0.0, act[src + q], ok);')}${k.activation === 'none' ? '' : `  acc = ${activate(k.activation, 'acc', 'f32')};\n`}  act[${e}_y(c, n) + p] = acc;
}
`;
  return { kind: 'depthwise', code, block, workgroups: perPixelWorkgroups(k.outPlane, k.outChannels, k.batch) };
}
