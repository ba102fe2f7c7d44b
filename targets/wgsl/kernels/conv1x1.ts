// Pointwise (1x1, stride 1, ungrouped) convolution with its epilogue fused (bias, activation, residual add):
// ShuffleNetV2's main cost.
// Register-tiled: each invocation computes an 8-output-channel block for 4 neighbouring pixels, so each
// input channel costs 4 activation loads and 2 vec4 weight loads for 32 multiply-adds. Weights are laid out
// [M/8][Cin][8] at compile time so a block's weights for one input channel are contiguous. Input channels are
// read through the routing tables, so a shuffled or split input costs nothing. The workgroup is shaped to the
// plane (16x4 on 7x7 planes, 64x1 on large ones) so small late-stage planes still fill it.
// The weight packing (packPointwise) and the store (storeOutputBlock) are shared with the fused depthwise -> 1x1 kernel.

import type { Activation } from '../../../compiler/ir/types.ts';
import type { Operand } from '../operand-address.ts';
import { WeightBlock } from '../weight-block.ts';
import { u32 } from '../wgsl-text.ts';
import { activate } from './epilogue.ts';
import type { Kernel, KernelContext } from './kernel.ts';
import { ceilDiv, kernelHead, WORKGROUP_SIZE } from './kernel.ts';

/** Output channels per invocation (two vec4 accumulators per pixel). */
export const OC_BLOCK = 8;
/** Neighbouring pixels per invocation. */
const PIXELS = 4;

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
  readonly activation: Activation;
  /** Added after the activation: r has y's shape (conv2d `residual`). */
  readonly residual?: Operand;
}

/** Workgroup [x, y] with x * y = WORKGROUP_SIZE, x no wider than the pixel groups of a plane. */
function workgroupShape(pixelGroups: number): [number, number] {
  let x = WORKGROUP_SIZE;
  while (x > 8 && x / 2 >= pixelGroups) x /= 2;
  return [x, WORKGROUP_SIZE / x];
}

/** Where a pointwise block's packed weights and padded bias sit in its kernel's weight block. */
export interface PackedPointwise {
  readonly weights: number;
  readonly bias: number;
  /** Output-channel blocks of OC_BLOCK. */
  readonly blocks: number;
}

/** Adds the weights as [M/8][Cin][8] and the bias padded to a multiple of 8 to `block`. */
export function packPointwise(block: WeightBlock, k: Pick<Conv1x1Params, 'inChannels' | 'outChannels' | 'weight' | 'bias'>): PackedPointwise {
  const blocks = ceilDiv(k.outChannels, OC_BLOCK);
  const packed = new Float32Array(blocks * k.inChannels * OC_BLOCK);
  for (let m = 0; m < k.outChannels; m++) {
    const b = Math.floor(m / OC_BLOCK);
    for (let c = 0; c < k.inChannels; c++) packed[(b * k.inChannels + c) * OC_BLOCK + (m % OC_BLOCK)] = k.weight[m * k.inChannels + c];
  }
  const weights = block.add(packed);
  const bias = block.add(Float32Array.from({ length: blocks * OC_BLOCK }, (_, m) => k.bias?.[m] ?? 0));
  return { weights, bias, blocks };
}

/**
 * The loop storing an output block: 8 channels from m0 (`outs`: 2 vec4s of channels per pixel) for 4 pixels
 * from p, within the channel count and the plane; with a residual, each value plus r's at the same place.
 */
export function storeOutputBlock(e: string, outChannels: number, plane: number, residual: boolean, indent = ''): string {
  const sum = residual ? ' + act[r + q]' : '';
  return `  for (var j = 0u; j < ${u32(OC_BLOCK)}; j++) {
    if (m0 + j < ${u32(outChannels)}) {
      let o = ${e}_y(m0 + j, n) + p;
${residual ? `      let r = ${e}_r(m0 + j, n) + p;\n` : ''}      let half = (j / 4u) * 4u;
      for (var q = 0u; q < ${u32(PIXELS)}; q++) {
        if (p + q < ${u32(plane)}) { act[o + q] = outs[half + q][j % 4u]${sum}; }
      }
    }
  }
`.replace(/^(?=.)/gm, indent);
}

export function conv1x1Kernel(ctx: KernelContext, k: Conv1x1Params): Kernel {
  const block = new WeightBlock();
  const packed = packPointwise(block, k);
  const pixelGroups = ceilDiv(k.plane, PIXELS);
  const [wx, wy] = workgroupShape(pixelGroups);
  const e = ctx.entry;
  const epilogue = (v: string) => activate(k.activation, v, 'vec4<f32>');
  // Pixels past the plane end read neighbouring memory (bounds-checked by WebGPU) and are never stored.
  const code =
    kernelHead(ctx, block, { x: k.x, y: k.y, ...(k.residual ? { r: k.residual } : {}) }, [wx, wy]) +
    `  let p = g.x * ${u32(PIXELS)};
  let ob = g.y;
  let n = g.z;
  if (p >= ${u32(k.plane)} || ob >= ${u32(packed.blocks)}) { return; }
  let b = ${u32(packed.bias)} + ob * ${u32(OC_BLOCK)};
  let lo = w[b / 4u];
  let hi = w[b / 4u + 1u];
  var lo0 = lo; var lo1 = lo; var lo2 = lo; var lo3 = lo;
  var hi0 = hi; var hi1 = hi; var hi2 = hi; var hi3 = hi;
  var i = (${u32(packed.weights)} + ob * ${u32(k.inChannels * OC_BLOCK)}) / 4u; // in vec4s: block parts are vec4-aligned
  for (var c = 0u; c < ${u32(k.inChannels)}; c++) {
    let a = ${e}_x(c, n) + p;
    let v0 = act[a]; let v1 = act[a + 1u]; let v2 = act[a + 2u]; let v3 = act[a + 3u];
    let wl = w[i];
    let wh = w[i + 1u];
    lo0 += wl * v0; lo1 += wl * v1; lo2 += wl * v2; lo3 += wl * v3;
    hi0 += wh * v0; hi1 += wh * v1; hi2 += wh * v2; hi3 += wh * v3;
    i += ${u32(OC_BLOCK / 4)};
  }
  let m0 = ob * ${u32(OC_BLOCK)};
  let outs = array<vec4<f32>, 8>(${['lo0', 'lo1', 'lo2', 'lo3', 'hi0', 'hi1', 'hi2', 'hi3'].map(epilogue).join(', ')});
${storeOutputBlock(e, k.outChannels, k.plane, k.residual !== undefined)}}
`;
  return { kind: 'conv1x1', code, block, workgroups: [ceilDiv(pixelGroups, wx), ceilDiv(packed.blocks, wy), k.batch] };
}
