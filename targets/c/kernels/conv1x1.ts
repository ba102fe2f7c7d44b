// 1×1 convolution (groups 1, stride 1, no padding) as a register-blocked matrix product over the planar layout:
// out[m][p] = act(bias[m] + sum_k w[m][k] * in[k][p]). A tile keeps BLOCK_M output channels × BLOCK_P pixels
// in named accumulator arrays (explicitly unrolled by the emitter, so gcc and clang reliably keep them in vector
// registers), streams one input row of BLOCK_P pixels per k, and ends with the bias/ReLU epilogue.
// Input channels are visited in increasing plane offset and the weights are packed in that order, so a channel-
// routed input (the halves of a shuffled concat) is read in place as a few affine stretches, one k loop each.

import type { Node, OpOf } from '../../../compiler/ir/types.ts';
import { addressing, affineRuns } from '../operands.ts';
import type { Kernel, KernelContext } from './context.ts';
import { constData, indent, originComment, placementOf, shapeOf, WEIGHTS } from './context.ts';
import { neonConv1x1Tile } from '../neon/conv1x1-tile.ts';
import { portableTile, type TileSpec } from './conv1x1-tile.ts';
import { vectorConv1x1Tile } from '../vector/conv1x1-tile.ts';

/** Default register tile: 8 output channels x 32 pixels (AVX-512 / NEON sized; see CEmitOptions.tile). */
export const DEFAULT_TILE = { rows: 8, pixels: 32 } as const;

/** One tile for every build: NEON when asked for and compiled for ARM, AVX-512 / AVX2+FMA on x86, SIMD128 on wasm, else portable. */
export function tileCode(neon: boolean, spec: TileSpec): string {
  const portable = vectorConv1x1Tile(spec, portableTile(spec));
  return neon ? `#if defined(__ARM_NEON)\n${neonConv1x1Tile(spec)}\n#else\n${portable}\n#endif` : portable;
}

export function isConv1x1(op: OpOf<'conv2d'>): boolean {
  return op.groups === 1 && op.kernel[0] === 1 && op.kernel[1] === 1 && op.stride[0] === 1 && op.stride[1] === 1 && op.pads.every((p) => p === 0);
}

export function emitConv1x1(ctx: KernelContext, node: Node, fn: string): Kernel {
  const op = node.op as OpOf<'conv2d'>;
  const { rows: BLOCK_M, pixels: BLOCK_P } = ctx.tile;
  const [batch, channels, height, width] = shapeOf(ctx, node.inputs[0]);
  const outChannels = shapeOf(ctx, node.outputs[0])[1];
  const pixels = height * width;
  const inPlace = placementOf(ctx, node.inputs[0], node);
  const outPlace = placementOf(ctx, node.outputs[0], node);
  const w = constData(ctx, node.inputs[1], node, 'weight')!;
  const b = constData(ctx, node.inputs[2], node, 'bias') ?? new Float32Array(outChannels);

  // Visit input channels in plane order; pack weights [block][k][row] in that order.
  const order = [...Array(channels).keys()].sort((a, c) => inPlace.channelOffsets[a] - inPlace.channelOffsets[c]);
  const sortedOffsets = order.map((c) => inPlace.channelOffsets[c]);
  // Affine stretches of the sorted offsets: one stretch is addressed inline, several through a run table.
  const runs = affineRuns(sortedOffsets)!;
  const input = runs.length === 1 ? { at: runs[0].at, batchStride: inPlace.batchStride, affine: true } : addressing(sortedOffsets, inPlace.batchStride, ctx.tables);
  const runTable = runs.length === 1 ? undefined : { name: ctx.tables.runTable(runs), count: runs.length };
  const output = addressing(outPlace.channelOffsets, outPlace.batchStride, ctx.tables);
  const packed = new Float32Array(outChannels * channels);
  for (let m0 = 0; m0 < outChannels; m0 += BLOCK_M) {
    const rows = Math.min(BLOCK_M, outChannels - m0);
    for (let k = 0; k < channels; k++) for (let i = 0; i < rows; i++) packed[m0 * channels + k * rows + i] = w[(m0 + i) * channels + order[k]];
  }
  const wOff = ctx.weights.add(packed);
  const bOff = ctx.weights.add(b);

  const relu = op.activation === 'relu';
  const fullM = Math.floor(outChannels / BLOCK_M) * BLOCK_M;
  const fullP = Math.floor(pixels / BLOCK_P) * BLOCK_P;
  const tile = (rows: number, px: number): string => tileCode(ctx.neon, { rows, pixels: px, channels, relu, input, runTable, output });
  // Pixel tiles outside, channel blocks inside: a tile's input rows (K x 32 floats) stay in L1 while each block's
  // weights stream past them. Measured on x1.0 (gcc and clang, AVX-512) it beats the opposite order on the 56x56 to
  // 14x14 planes. Small planes (7x7: two pixel tiles, weights up to 1.9 MB against a 91 KB input) go the other way:
  // each weight block is read once and all pixel tiles run under it (conv5 464->1024 on 7x7: 0.62 -> 0.55 ms, gcc).
  const weightsOutside = pixels <= 2 * BLOCK_P;
  const pixelLoop = (inner: (px: number) => string): string[] => [
    ...(fullP > 0 ? [`for (p = 0; p < ${fullP}; p += ${BLOCK_P}) {`, indent(inner(BLOCK_P), 1), `}`] : []),
    ...tailTiles(pixels, fullP, BLOCK_P).map(([at, px]) => [`p = ${at};`, `{`, indent(inner(px), 1), `}`].join('\n')),
  ];
  const channelBlocks = (inner: (rows: number) => string): string[] => [
    ...(fullM > 0 ? [`for (m = 0; m < ${fullM}; m += ${BLOCK_M}) {`, `  const float *wb = wt + m * ${channels};`, indent(inner(BLOCK_M), 1), `}`] : []),
    ...(outChannels > fullM ? [`m = ${fullM};`, `{`, `  const float *wb = wt + m * ${channels};`, indent(inner(outChannels - fullM), 1), `}`] : []),
  ];
  const loops = weightsOutside
    ? channelBlocks((rows) => pixelLoop((px) => tile(rows, px)).join('\n'))
    : pixelLoop((px) => channelBlocks((rows) => tile(rows, px)).join('\n'));
  const body = [
    `const float *wt = ${WEIGHTS(ctx.prefix)} + ${wOff};`,
    `const float *bias = ${WEIGHTS(ctx.prefix)} + ${bOff};`,
    `int n, m, p, k, j;`,
    `for (n = 0; n < ${batch}; n++) {`,
    `  const float *restrict xn = x + n * ${input.batchStride};`,
    `  float *restrict yn = y + n * ${output.batchStride};`,
    indent(loops.join('\n'), 1),
    `}`,
  ];
  const summary = `conv2d 1x1 ${channels} to ${outChannels} on ${height}x${width}${relu ? ' relu' : ''}`;
  return {
    definition: [originComment(node, summary), `static void ${fn}(const float *x, float *y) {`, indent(body.join('\n'), 1), `}`].join('\n'),
  };
}

/**
 * Tiles for the pixels left after the full tiles, as [start, width] pairs. The rest is covered by one vector-
 * friendly tile (8, 16 or BLOCK_P wide) that ends at the last pixel and may overlap pixels already done: they are
 * recomputed in the same order to the same values (input and output never alias), which is far cheaper than a
 * narrow scalar remainder tile (on 7x7 = 32 + 17 pixels, 32 + 16 + 1 used to stream every weight block 3 times).
 */
function tailTiles(pixels: number, fullP: number, BLOCK_P: number): [number, number][] {
  const rest = pixels - fullP;
  if (rest === 0) return [];
  const width = [8, 16, BLOCK_P].find((w) => w >= rest && w <= pixels && w <= BLOCK_P);
  if (width !== undefined) return [[pixels - width, width]];
  // Planes narrower than a vector: plain remainder tiles.
  const tiles: [number, number][] = [];
  let at = fullP;
  if (rest >= BLOCK_P / 2) {
    tiles.push([at, BLOCK_P / 2]);
    at += BLOCK_P / 2;
  }
  if (pixels > at) tiles.push([at, pixels - at]);
  return tiles;
}
