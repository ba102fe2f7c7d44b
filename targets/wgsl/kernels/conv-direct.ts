// Direct convolution for everything that is neither pointwise nor depthwise: in ShuffleNetV2 the 3x3
// stride-2 stem on the 3-channel image (and any grouped conv). One invocation per 4 consecutive output pixels
// and block of output channels: 8 (two vec4 accumulators per pixel) or 4 when a group's outputs divide by
// them, else 1; each weight load feeds 4 pixels and each input value the whole block (the software adapters
// pay per load). Taps are the outer loop so their index arithmetic is done once for all input channels.
// Weights are laid out [M/tile][taps][Cin/groups][tile]; bias and activation fused.

import { WeightBlock } from '../weight-block.ts';
import { u32 } from '../wgsl-text.ts';
import { activate } from './epilogue.ts';
import type { Kernel, KernelContext } from './kernel.ts';
import { ceilDiv, kernelHead, WORKGROUP_SIZE } from './kernel.ts';
import type { SpatialConvParams } from './spatial-conv-params.ts';
import { quadTap, quadWindowLoop } from './window.ts';

/** Output pixels per invocation. */
const PIXELS = 4;

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
  // Blocks of 4 and 8 start on vec4 boundaries (aligned block parts, offsets multiples of the tile): one load each.
  const load = (i: string) => (tile === 1 ? `ws(${i})` : `w[(${i}) / 4u]`);
  const lanes = ['x', 'y', 'z', 'w'];
  // Tile 1: one vec4 accumulator over the 4 pixels. Tiles 4 and 8: one vec4 of channels per vector and pixel.
  const accs = tile === 1 ? ['acc'] : Array.from({ length: vectors * PIXELS }, (_, a) => `acc${Math.floor(a / PIXELS)}_${a % PIXELS}`);
  const init =
    tile === 1
      ? `  var acc = vec4<f32>(ws(${u32(bias)} + m0));\n`
      : accs.map((a, j) => `  var ${a} = ${load(`${u32(bias)} + m0 + ${u32(Math.floor(j / PIXELS) * 4)}`)};\n`).join('');
  const update =
    tile === 1
      ? '        acc += ws(i) * x;\n'
      : Array.from({ length: vectors }, (_, v) => `        let w${v} = ${load(`i + ${u32(v * 4)}`)};\n` + lanes.map((l, j) => `        acc${v}_${j} += w${v} * x.${l};\n`).join('')).join('');
  const epilogue = k.activation === 'none' ? '' : accs.map((a) => `  ${a} = ${activate(k.activation, a, 'vec4<f32>')};\n`).join('');
  const store = Array.from({ length: PIXELS }, (_, j) => {
    const writes =
      tile === 1
        ? `act[${e}_y(m0, n) + p0 + ${u32(j)}] = acc.${lanes[j]};`
        : Array.from({ length: vectors }, (_, v) => `for (var c = 0u; c < 4u; c++) { act[${e}_y(m0 + ${u32(v * 4)} + c, n) + p0 + ${u32(j)}] = acc${v}_${j}[c]; }`).join(' ');
    return `  if (p0 + ${u32(j)} < ${u32(k.outPlane)}) { ${writes} }\n`;
  }).join('');
  const code =
    kernelHead(ctx, block, { x: k.x, y: k.y }) +
    `  let p0 = g.x * ${u32(PIXELS)};
  let m0 = g.y * ${u32(tile)};
  let n = g.z;
  if (p0 >= ${u32(k.outPlane)}) { return; }
  let firstIn = (m0 / ${u32(perGroupOut)}) * ${u32(perGroupIn)};
  let wb = ${u32(weights)} + g.y * ${u32(taps * perGroupIn * tile)};
${init}${quadWindowLoop(
      k.window,
      'p0',
      `      for (var ci = 0u; ci < ${u32(perGroupIn)}; ci++) {
        let src = ${e}_x(firstIn + ci, n);
        let x = ${quadTap('src')};
        let i = wb + (t * ${u32(perGroupIn)} + ci) * ${u32(tile)};
${update}      }`,
    )}${epilogue}${store}}
`;
  return { kind: 'conv', code, block, workgroups: [ceilDiv(ceilDiv(k.outPlane, PIXELS), WORKGROUP_SIZE), k.outChannels / tile, k.batch] };
}
