// Dense (groups 1) k×k convolutions with few input channels — the ShuffleNetV2 stem, 3×3 stride 2 on RGB —
// as "one output row at a time" matrix products. For each output row the kernel gathers the Cin·kh·kw
// shifted input rows it needs into a small stack buffer (zeros where the window hangs over the padding), then
// runs the same register-blocked tiles as the 1×1 convolution over that buffer (the taps play the part of the
// input channels, at affine offsets). Strided and padded reads happen once per tap row, not once per
// multiply-add.

import type { Node, OpOf } from '../../../compiler/ir/types.ts';
import { addressing, placementAddressing, type ChannelAddressing } from '../operands.ts';
import type { TileSpec } from './conv1x1-tile.ts';
import { tileCode } from './conv1x1.ts';
import type { Kernel, KernelContext } from './context.ts';
import { constData, indent, originComment, placementOf, shapeOf, WEIGHTS } from './context.ts';
import { tapRanges } from './generic-conv.ts';

/** Largest tap-row buffer (floats) the kernel keeps on the stack. */
const MAX_ROW_BUFFER = 16384;
const ROW_TILE = 16;

export function isStemConv(op: OpOf<'conv2d'>, inChannels: number, outWidth: number): boolean {
  return op.groups === 1 && !(op.kernel[0] === 1 && op.kernel[1] === 1) && inChannels * op.kernel[0] * op.kernel[1] * outWidth <= MAX_ROW_BUFFER;
}

export function emitStemConv(ctx: KernelContext, node: Node, fn: string): Kernel {
  const op = node.op as OpOf<'conv2d'>;
  const BLOCK_M = ctx.tile.rows;
  const [batch, channels, height, width] = shapeOf(ctx, node.inputs[0]);
  const [, outChannels, outHeight, outWidth] = shapeOf(ctx, node.outputs[0]);
  const [kh, kw] = op.kernel;
  const [sh, sw] = op.stride;
  const [dh, dw] = op.dilations;
  const taps = channels * kh * kw;
  const relu = op.activation === 'relu';
  const input = placementAddressing(placementOf(ctx, node.inputs[0], node), ctx.tables);
  const outPlace = placementAddressing(placementOf(ctx, node.outputs[0], node), ctx.tables);
  const w = constData(ctx, node.inputs[1], node, 'weight')!;
  const b = constData(ctx, node.inputs[2], node, 'bias') ?? new Float32Array(outChannels);
  // Weights [block][tap][row]; tap t = (ci * kh + ky) * kw + kx is also the natural weight layout.
  const packed = new Float32Array(outChannels * taps);
  for (let m0 = 0; m0 < outChannels; m0 += BLOCK_M) {
    const rows = Math.min(BLOCK_M, outChannels - m0);
    for (let t = 0; t < taps; t++) for (let i = 0; i < rows; i++) packed[m0 * taps + t * rows + i] = w[(m0 + i) * taps + t];
  }
  const wOff = ctx.weights.add(packed);
  const bOff = ctx.weights.add(b);
  const cols = tapRanges(outWidth, width, kw, sw, op.pads[1], dw);

  const rowOffsets = Array.from({ length: taps }, (_, t) => t * outWidth);
  const tapAddressing = addressing(rowOffsets, 0, ctx.tables);
  const output: ChannelAddressing = { ...outPlace, at: (i) => `${outPlace.at(i)} + oy * ${outWidth}` };
  const tile = (rows: number, px: number): string => {
    const spec: TileSpec = { rows, pixels: px, channels: taps, relu, input: tapAddressing, output };
    return tileCode(ctx.neon, spec);
  };
  const fullP = Math.floor(outWidth / ROW_TILE) * ROW_TILE;
  const pixelLoops = (rows: number): string[] => [
    `const float *wb = wt + m * ${taps};`,
    ...(fullP > 0 ? [`for (p = 0; p < ${fullP}; p += ${ROW_TILE}) {`, indent(tile(rows, ROW_TILE), 1), `}`] : []),
    ...(outWidth > fullP ? [`p = ${fullP};`, `{`, indent(tile(rows, outWidth - fullP), 1), `}`] : []),
  ];
  const fullM = Math.floor(outChannels / BLOCK_M) * BLOCK_M;
  const body = [
    `static const int col_lo[${kw}] = { ${cols.lo.join(', ')} }, col_hi[${kw}] = { ${cols.hi.join(', ')} };`,
    `const float *wt = ${WEIGHTS(ctx.prefix)} + ${wOff};`,
    `const float *bias = ${WEIGHTS(ctx.prefix)} + ${bOff};`,
    `float tap_rows[${taps * outWidth}];`,
    `int n, oy, ci, ky, kx, ox, m, p, k, j;`,
    `for (n = 0; n < ${batch}; n++) {`,
    `  float *restrict yn = y + n * ${output.batchStride};`,
    `  for (oy = 0; oy < ${outHeight}; oy++) {`,
    `    /* gather the shifted input rows of every tap */`,
    `    for (ci = 0; ci < ${channels}; ci++) {`,
    `      const float *xc = x + n * ${input.batchStride} + ${input.at('ci')};`,
    `      for (ky = 0; ky < ${kh}; ky++) {`,
    `        const int iy = oy * ${sh} - ${op.pads[0]} + ky * ${dh};`,
    `        for (kx = 0; kx < ${kw}; kx++) {`,
    `          float *r = tap_rows + ((ci * ${kh} + ky) * ${kw} + kx) * ${outWidth};`,
    `          if (iy < 0 || iy >= ${height}) {`,
    `            for (ox = 0; ox < ${outWidth}; ox++) r[ox] = 0.0f;`,
    `          } else {`,
    `            const float *src = xc + iy * ${width} - ${op.pads[1]} + kx * ${dw};`,
    `            for (ox = 0; ox < col_lo[kx]; ox++) r[ox] = 0.0f;`,
    `            for (ox = col_lo[kx]; ox < col_hi[kx]; ox++) r[ox] = src[ox * ${sw}];`,
    `            for (ox = col_hi[kx]; ox < ${outWidth}; ox++) r[ox] = 0.0f;`,
    `          }`,
    `        }`,
    `      }`,
    `    }`,
    `    {`,
    `      const float *restrict xn = tap_rows;`,
    ...(fullM > 0 ? [`      for (m = 0; m < ${fullM}; m += ${BLOCK_M}) {`, indent(pixelLoops(BLOCK_M).join('\n'), 4), `      }`] : []),
    ...(outChannels > fullM ? [`      m = ${fullM};`, `      {`, indent(pixelLoops(outChannels - fullM).join('\n'), 4), `      }`] : []),
    `    }`,
    `  }`,
    `}`,
  ];
  const summary = `conv2d ${kh}x${kw} s${sh}x${sw} ${channels} to ${outChannels} ${height}x${width} to ${outHeight}x${outWidth}${relu ? ' relu' : ''} as tap-row tiles`;
  return { definition: [originComment(node, summary), `static void ${fn}(const float *x, float *y) {`, indent(body.join('\n'), 1), `}`].join('\n') };
}
