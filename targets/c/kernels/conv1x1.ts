// 1×1 convolution (groups 1, stride 1, no padding) as a register-blocked matrix product over the planar layout:
// out[m][p] = act(bias[m] + sum_k w[m][k] * in[k][p]). Each layer is a short loop nest over tiles of BLOCK_M
// output channels × BLOCK_P pixels, and every tile is a call to a shared microkernel (pointwise-microkernel.ts)
// with the layer's operands as arguments, so the vector code exists once per tile shape, not once per layer.
// Input channels are visited in increasing plane offset and the weights are packed in that order, so a channel-
// routed input (the halves of a shuffled concat) is read in place as a few affine stretches (a run table).

import type { Node, OpOf } from '../../../compiler/ir/types.ts';
import { affineRuns } from '../operands.ts';
import type { Kernel, KernelContext } from './context.ts';
import { constData, placementOf, shapeOf, taskKernel, taskSlice, WEIGHTS } from './context.ts';
import { convEpilogue, epilogueSummary, loopRelu, tileSpan } from './conv-epilogue.ts';
import { tileAccumulatorFloats, tileCalls, tileSplit, type TileOperands } from './tile-loops.ts';

/** Default register tile: 8 output channels x 32 pixels (AVX-512 / NEON sized; see CEmitOptions.tile). */
export const DEFAULT_TILE = { rows: 8, pixels: 32 } as const;

/** Packs w[m][order[k]] as [block of `rows`][k][row], the layout the microkernels read. */
export function packTiles(w: Float32Array, outChannels: number, channels: number, rows: number, order: readonly number[]): Float32Array {
  const packed = new Float32Array(outChannels * channels);
  for (let m0 = 0; m0 < outChannels; m0 += rows) {
    const r = Math.min(rows, outChannels - m0);
    for (let k = 0; k < channels; k++) for (let i = 0; i < r; i++) packed[m0 * channels + k * r + i] = w[(m0 + i) * channels + order[k]];
  }
  return packed;
}

export function emitConv1x1(ctx: KernelContext, node: Node, fn: string): Kernel {
  const op = node.op as OpOf<'conv2d'>;
  const [batch, channels, height, width] = shapeOf(ctx, node.inputs[0]);
  const outChannels = shapeOf(ctx, node.outputs[0])[1];
  const pixels = height * width;
  const inPlace = placementOf(ctx, node.inputs[0], node);
  const outPlace = placementOf(ctx, node.outputs[0], node);
  const w = constData(ctx, node.inputs[1], node, 'weight')!;
  const b = constData(ctx, node.inputs[2], node, 'bias') ?? new Float32Array(outChannels);

  // Visit input channels in plane order; pack weights [block][k][row] in that order.
  const order = [...Array(channels).keys()].sort((a, c) => inPlace.channelOffsets[a] - inPlace.channelOffsets[c]);
  const inRuns = affineRuns(order.map((c) => inPlace.channelOffsets[c]))!;
  const outRuns = affineRuns(outPlace.channelOffsets)!;
  const relu = loopRelu(op);
  // Tasks take whole row blocks (output channels) or whole pixel tiles: their outputs are disjoint, their
  // accumulators own slices.
  const { tasks, declaration, split } = tileSplit(ctx, outChannels, pixels, batch * outChannels * channels * pixels);
  const accFloats = tileAccumulatorFloats(ctx);
  ctx.scratch(tasks * accFloats);
  const operands: TileOperands = {
    channels,
    outChannels,
    pixels,
    relu,
    input: { table: ctx.tables.runTable(inRuns), count: inRuns.length },
    output: ctx.tables.runTable(outRuns),
    accumulators: taskSlice('scratch', tasks, accFloats),
  };
  const wOff = ctx.weights.add(packTiles(w, outChannels, channels, ctx.tile.rows, order));
  const bOff = ctx.weights.add(b);
  const body = [
    `const float *w = ${WEIGHTS(ctx.prefix)} + ${wOff}, *bias = ${WEIGHTS(ctx.prefix)} + ${bOff};`,
    ...(declaration ? [declaration] : []),
    ...batchLoop(batch, inPlace.batchStride, outPlace.batchStride, [
      ...tileCalls(ctx, operands, 'x', 'y', split),
      ...convEpilogue(ctx, node, tileSpan(outChannels, pixels, split), batch, batch > 1 ? 'n' : undefined),
    ]),
  ];
  const summary = `conv2d 1x1 ${channels} to ${outChannels} on ${height}x${width}${epilogueSummary(op)}`;
  return taskKernel(node, fn, summary, tasks, body);
}

/** `perItem` (written for x and y) once, or per batch item with x and y moved by the batch strides. */
export function batchLoop(batch: number, inStride: number, outStride: number, perItem: readonly string[]): string[] {
  if (batch === 1) return [...perItem];
  return [`int n;`, `for (n = 0; n < ${batch}; n++, x += ${inStride}, y += ${outStride}) {`, ...perItem.map((l) => '  ' + l), `}`];
}
