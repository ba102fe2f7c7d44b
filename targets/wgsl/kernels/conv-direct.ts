// Direct convolution for everything that is neither pointwise nor depthwise: in ShuffleNetV2 the 3x3
// stride-2 stem on the 3-channel image (and any grouped conv). One invocation per output pixel and block of
// output channels: 8 (two vec4 accumulators) or 4 when a group's outputs divide by them, else 1; each input
// tap loaded then feeds the whole block. Taps are the outer loop so their index arithmetic is done once for
// all input channels. Weights are laid out [M/tile][taps][Cin/groups][tile]; bias and ReLU fused.

import { WeightBlock } from '../weight-block.ts';
import { u32 } from '../wgsl-text.ts';
import type { Kernel, KernelContext } from './kernel.ts';
import { ceilDiv, kernelHead, WORKGROUP_SIZE } from './kernel.ts';
import type { SpatialConvParams } from './spatial-conv-params.ts';
import { windowLoop } from './window.ts';

export function directConvKernel(ctx: KernelContext, k: SpatialConvParams): Kernel {
  const block = new WeightBlock();
  const taps = k.window.kernel[0] * k.window.kernel[1];
  const perGroupIn = k.inChannels / k.groups;
  const perGroupOut = k.outChannels / k.groups;
  const tile = [8, 4, 1].find((t) => perGroupOut % t === 0)!;
  const vectors = tile === 1 ? 1 : tile / 4;
  // [M][cpg][taps] -> [M/tile][taps][cpg][tile]
  const packed = new Float32Array(k.weight.length);
  for (let m = 0; m < k.outChannels; m++) {
    for (let ci = 0; ci < perGroupIn; ci++) {
      for (let t = 0; t < taps; t++) {
        packed[((Math.floor(m / tile) * taps + t) * perGroupIn + ci) * tile + (m % tile)] = k.weight[(m * perGroupIn + ci) * taps + t];
      }
    }
  }
  const weights = block.add(packed);
  const bias = block.add(k.bias ?? new Float32Array(k.outChannels));
  const e = ctx.entry;
  const type = tile === 1 ? 'f32' : 'vec4<f32>';
  // Blocks of 4 and 8 start on vec4 boundaries (aligned block parts, offsets multiples of the tile): one load each.
  const load = (i: string) => (tile === 1 ? `ws(${i})` : `w[(${i}) / 4u]`);
  const accs = Array.from({ length: vectors }, (_, v) => `acc${v}`);
  const init = accs.map((a, v) => `  var ${a} = ${load(`${u32(bias)} + m0 + ${u32(v * 4)}`)};\n`).join('');
  const update = accs.map((a, v) => `        ${a} += ${load(`i + ${u32(v * 4)}`)} * x;\n`).join('');
  const relu = k.relu ? accs.map((a) => `  ${a} = max(${a}, ${type}(0.0));\n`).join('') : '';
  const store =
    tile === 1
      ? `  act[${e}_y(m0, n) + p] = acc0;\n`
      : accs.map((a, v) => `  for (var j = 0u; j < 4u; j++) { act[${e}_y(m0 + ${u32(v * 4)} + j, n) + p] = ${a}[j]; }\n`).join('');
  const code =
    kernelHead(ctx, block, { x: k.x, y: k.y }) +
    `  let p = g.x;
  let m0 = g.y * ${u32(tile)};
  let n = g.z;
  if (p >= ${u32(k.outPlane)}) { return; }
  let firstIn = (m0 / ${u32(perGroupOut)}) * ${u32(perGroupIn)};
  let wb = ${u32(weights)} + g.y * ${u32(taps * perGroupIn * tile)};
${init}${windowLoop(
      k.window,
      `      for (var ci = 0u; ci < ${u32(perGroupIn)}; ci++) {
        let x = select(0.0, act[${e}_x(firstIn + ci, n) + q], ok);
        let i = wb + (t * ${u32(perGroupIn)} + ci) * ${u32(tile)};
${update}      }`,
    )}${relu}${store}}
`;
  return { kind: 'conv', code, block, workgroups: [ceilDiv(k.outPlane, WORKGROUP_SIZE), k.outChannels / tile, k.batch] };
}
