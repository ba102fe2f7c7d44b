// Pointwise (1x1, stride 1, ungrouped) convolution with fused bias and ReLU: ShuffleNetV2's main cost.
// Tiled per output-channel block: each invocation computes OC_BLOCK output channels of one pixel, so every
// input value it loads feeds OC_BLOCK multiply-adds, and the weights of a block are one vec4 per input channel
// (laid out [M/4][Cin][4] at compile time). Input channels are read through the routing tables, so a
// shuffled or split input costs nothing.

import type { Operand } from '../operand-address.ts';
import { addressFunction } from '../operand-address.ts';
import { WeightBlock } from '../weight-block.ts';
import { u32 } from '../wgsl-text.ts';
import type { Kernel, KernelContext } from './kernel.ts';
import { ceilDiv, WORKGROUP_SIZE } from './kernel.ts';
import { entryHeader } from './window.ts';

const OC_BLOCK = 4;

export interface Conv1x1Params {
  readonly x: Operand;
  readonly y: Operand;
  readonly inChannels: number;
  readonly outChannels: number;
  /** H * W (same in and out). */
  readonly plane: number;
  readonly batch: number;
  /** [outChannels, inChannels] row-major. */
  readonly weight: Float32Array;
  readonly bias?: Float32Array;
  readonly relu: boolean;
}

export function conv1x1Kernel(ctx: KernelContext, k: Conv1x1Params): Kernel {
  const block = new WeightBlock();
  const blocks = ceilDiv(k.outChannels, OC_BLOCK);
  const packed = new Float32Array(blocks * k.inChannels * OC_BLOCK);
  for (let m = 0; m < k.outChannels; m++) {
    const b = Math.floor(m / OC_BLOCK);
    for (let c = 0; c < k.inChannels; c++) packed[(b * k.inChannels + c) * OC_BLOCK + (m % OC_BLOCK)] = k.weight[m * k.inChannels + c];
  }
  const weights = block.add(packed);
  const bias = block.add(Float32Array.from({ length: blocks * OC_BLOCK }, (_, m) => k.bias?.[m] ?? 0));
  const e = ctx.entry;
  const code =
    addressFunction(`${e}_x`, k.x, block) +
    addressFunction(`${e}_y`, k.y, block) +
    entryHeader(e, WORKGROUP_SIZE) +
    `  let p = g.x;
  let m0 = g.y * ${u32(OC_BLOCK)};
  let n = g.z;
  if (p >= ${u32(k.plane)}) { return; }
  let b = ${u32(bias)} + m0;
  var acc = vec4<f32>(w[b], w[b + 1u], w[b + 2u], w[b + 3u]);
  for (var c = 0u; c < ${u32(k.inChannels)}; c++) {
    let v = act[${e}_x(c, n) + p];
    let i = ${u32(weights)} + (g.y * ${u32(k.inChannels)} + c) * ${u32(OC_BLOCK)};
    acc += vec4<f32>(w[i], w[i + 1u], w[i + 2u], w[i + 3u]) * v;
  }
${k.relu ? '  acc = max(acc, vec4<f32>(0.0));\n' : ''}  for (var j = 0u; j < ${u32(OC_BLOCK)}; j++) {
    if (m0 + j < ${u32(k.outChannels)}) { act[${e}_y(m0 + j, n) + p] = acc[j]; }
  }
}
`;
  return { kind: 'conv1x1', code, block, workgroups: [ceilDiv(k.plane, WORKGROUP_SIZE), blocks, k.batch] };
}
