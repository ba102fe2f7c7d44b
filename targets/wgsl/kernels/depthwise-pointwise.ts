// A depthwise conv and the 1x1 conv reading it, in one dispatch (ShuffleNetV2's branch tail: 3x3 depthwise,
// then 1x1 + ReLU), each conv with its own epilogue. Each workgroup owns a tile of P output pixels of one batch item:
//   1. its 64 invocations compute the depthwise result for every channel of the tile into workgroup memory
//      (C x P floats, within the 16 KiB every adapter has: P shrinks as C grows), 4 pixels of one channel per
//      item so that each tap's weight is loaded once for the 4;
//   2. after one barrier they compute the 1x1 conv from that memory in conv1x1.ts's register tile (8 output
//      channels x 4 pixels per item), items spread over the invocations.
// The depthwise result never reaches the activation buffer and each depthwise value is computed once.
// Loads are what the software adapters pay for (llvmpipe and SwiftShader run invocations in SIMD lanes and
// load per lane), so both phases are tiled to load as little per multiply-add as the separate kernels or less.
// The memory plan keeps the depthwise input allocated until the 1x1 output is written (a kernel group): a
// workgroup's window reads pixels that another workgroup's output could overwrite otherwise.

import { WeightBlock } from '../weight-block.ts';
import { u32 } from '../wgsl-text.ts';
import type { Conv1x1Params } from './conv1x1.ts';
import { OC_BLOCK, packPointwise, storeOutputBlock } from './conv1x1.ts';
import { activate } from './epilogue.ts';
import type { Kernel, KernelContext } from './kernel.ts';
import { ceilDiv, kernelHead, WORKGROUP_BUILTINS, WORKGROUP_SIZE } from './kernel.ts';
import type { SpatialConvParams } from './spatial-conv-params.ts';
import { quadTap, quadWindowLoop } from './window.ts';

/** Pixels per item in both phases (one vec4). */
const PIXELS = 4;
/** Largest tile: 16 pixel groups, so 4 output blocks already give the 1x1 phase one item per invocation. */
const MAX_TILE_PIXELS = 64;

export interface DepthwisePointwiseParams {
  /** The depthwise conv (its `y` is never written). */
  readonly depthwise: SpatialConvParams;
  /** The 1x1 conv reading the depthwise result (its `x` is never read). */
  readonly pointwise: Omit<Conv1x1Params, 'x'>;
  /** var<workgroup> capacity to use, in floats. */
  readonly workgroupFloats: number;
}

/** The smallest tile, in pixels: kernel-groups.ts fuses only when C times this fits workgroup memory. */
export const MIN_TILE_PIXELS = PIXELS;

/** Pixels per tile: a multiple of 4 within memory, spread evenly so the last tile is not mostly empty. */
export function tilePixels(channels: number, plane: number, workgroupFloats: number): number {
  const most = Math.min(MAX_TILE_PIXELS, Math.floor(workgroupFloats / channels / PIXELS) * PIXELS);
  if (most < PIXELS) throw new Error(`internal: ${channels} channels leave no tile in ${workgroupFloats} workgroup floats`);
  return ceilDiv(ceilDiv(plane, ceilDiv(plane, most)), PIXELS) * PIXELS;
}

export function depthwisePointwiseKernel(ctx: KernelContext, k: DepthwisePointwiseParams): Kernel {
  const dw = k.depthwise;
  const pw = k.pointwise;
  const win = dw.window;
  const channels = dw.inChannels;
  const plane = dw.outPlane;
  const tile = tilePixels(channels, plane, k.workgroupFloats);
  const groups = tile / PIXELS;
  const block = new WeightBlock();
  const dwWeights = block.add(dw.weight);
  const dwBias = block.add(dw.bias ?? new Float32Array(channels));
  const packed = packPointwise(block, { ...pw, inChannels: channels });
  const e = ctx.entry;
  const t = `${e}_t`;
  const epilogue = (v: string) => activate(pw.activation, v, 'vec4<f32>');
  const code =
    kernelHead(ctx, block, { x: dw.x, y: pw.y, ...(pw.residual ? { r: pw.residual } : {}) }, WORKGROUP_SIZE, { builtins: WORKGROUP_BUILTINS, declarations: `var<workgroup> ${t}: array<vec4<f32>, ${channels * groups}>;\n` }) +
    `  let n = wg.z;
  let p0 = wg.x * ${u32(tile)};
  for (var i = li; i < ${u32(channels * groups)}; i += ${u32(WORKGROUP_SIZE)}) {
    let c = i / ${u32(groups)};
    let src = ${e}_x(c, n);
    let wc = ${u32(dwWeights)} + c * ${u32(win.kernel[0] * win.kernel[1])};
    var acc = vec4<f32>(ws(${u32(dwBias)} + c));
${indent(quadWindowLoop(win, `p0 + (i % ${u32(groups)}) * 4u`, `      acc += ws(wc + t) * ${quadTap('src')};`))}    ${t}[i] = ${activate(dw.activation, 'acc', 'vec4<f32>')};
  }
  workgroupBarrier();
  for (var i = li; i < ${u32(groups * packed.blocks)}; i += ${u32(WORKGROUP_SIZE)}) {
    let g = i % ${u32(groups)};
    let ob = i / ${u32(groups)};
    let p = p0 + g * 4u;
    let b = (${u32(packed.bias)} + ob * ${u32(OC_BLOCK)}) / 4u; // in vec4s: block parts are vec4-aligned
    let lo = w[b];
    let hi = w[b + 1u];
    var lo0 = lo; var lo1 = lo; var lo2 = lo; var lo3 = lo;
    var hi0 = hi; var hi1 = hi; var hi2 = hi; var hi3 = hi;
    var wi = (${u32(packed.weights)} + ob * ${u32(channels * OC_BLOCK)}) / 4u;
    for (var c = 0u; c < ${u32(channels)}; c++) {
      let v = ${t}[c * ${u32(groups)} + g];
      let wl = w[wi];
      let wh = w[wi + 1u];
      lo0 += wl * v.x; lo1 += wl * v.y; lo2 += wl * v.z; lo3 += wl * v.w;
      hi0 += wh * v.x; hi1 += wh * v.y; hi2 += wh * v.z; hi3 += wh * v.w;
      wi += ${u32(OC_BLOCK / 4)};
    }
    let outs = array<vec4<f32>, 8>(${['lo0', 'lo1', 'lo2', 'lo3', 'hi0', 'hi1', 'hi2', 'hi3'].map(epilogue).join(', ')});
    let m0 = ob * ${u32(OC_BLOCK)};
${storeOutputBlock(e, pw.outChannels, plane, pw.residual !== undefined, '  ')}  }
}
`;
  return {
    kind: 'depthwise-conv1x1',
    code,
    block,
    workgroups: [ceilDiv(plane, tile), 1, dw.batch],
    workgroupBytes: channels * tile * 4,
  };
}

/** Indents generated statements by two more spaces (window loops write function-body level code). */
function indent(code: string): string {
  return code.replace(/^(?=.)/gm, '  ');
}
