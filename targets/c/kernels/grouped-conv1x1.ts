// Grouped 1×1 convolution (groups > 1, stride 1, no padding; ShuffleNet v1's pointwise group convs and the G2
// experiment of the ShuffleNet V2 paper): g independent 1×1 convolutions, each over its own channel slice. Every
// group runs the same shared microkernels as a dense 1×1 layer (tile-loops.ts) with its own run tables, packed
// weights and biases, instead of the direct-convolution fallback, so dense and grouped layers are compared on
// equal code.

import type { Node, OpOf } from '../../../compiler/ir/types.ts';
import { affineRuns } from '../operands.ts';
import { batchLoop, packTiles } from './conv1x1.ts';
import type { Kernel, KernelContext } from './context.ts';
import { constData, placementOf, shapeOf, taskKernel, WEIGHTS } from './context.ts';
import { tileAccumulatorFloats, tileCalls } from './tile-loops.ts';
import { convEpilogue, epilogueSummary, loopRelu } from './conv-epilogue.ts';

export function isGroupedConv1x1(op: OpOf<'conv2d'>, inChannels: number, outChannels: number): boolean {
  const pointwise = op.kernel[0] === 1 && op.kernel[1] === 1 && op.stride[0] === 1 && op.stride[1] === 1 && op.pads.every((p) => p === 0);
  // Depthwise 1x1 (one channel per group) is a per-channel scale: nothing for a matrix tile to do.
  return pointwise && op.groups > 1 && inChannels / op.groups > 1 && outChannels / op.groups > 1;
}

export function emitGroupedConv1x1(ctx: KernelContext, node: Node, fn: string): Kernel {
  const op = node.op as OpOf<'conv2d'>;
  const [batch, channels, height, width] = shapeOf(ctx, node.inputs[0]);
  const outChannels = shapeOf(ctx, node.outputs[0])[1];
  const inPer = channels / op.groups;
  const outPer = outChannels / op.groups;
  const inPlace = placementOf(ctx, node.inputs[0], node);
  const outPlace = placementOf(ctx, node.outputs[0], node);
  const w = constData(ctx, node.inputs[1], node, 'weight')!;
  const b = constData(ctx, node.inputs[2], node, 'bias') ?? new Float32Array(outChannels);
  const relu = loopRelu(op);

  // One task (groups run one after another), so one set of accumulators in the scratch serves every group.
  ctx.scratch(tileAccumulatorFloats(ctx));
  const groups: string[] = [];
  for (let g = 0; g < op.groups; g++) {
    // The group's input channels in plane order, and its weights [outPer][inPer] packed in that order.
    const offsets = inPlace.channelOffsets.slice(g * inPer, (g + 1) * inPer);
    const order = [...Array(inPer).keys()].sort((a, c) => offsets[a] - offsets[c]);
    const inRuns = affineRuns(order.map((c) => offsets[c]))!;
    const outRuns = affineRuns(outPlace.channelOffsets.slice(g * outPer, (g + 1) * outPer))!;
    const wOff = ctx.weights.add(packTiles(w.subarray(g * outPer * inPer, (g + 1) * outPer * inPer), outPer, inPer, ctx.tile.rows, order));
    const bOff = ctx.weights.add(b.subarray(g * outPer, (g + 1) * outPer));
    const input = { table: ctx.tables.runTable(inRuns), count: inRuns.length };
    const calls = tileCalls(ctx, { channels: inPer, outChannels: outPer, pixels: height * width, relu, input, output: ctx.tables.runTable(outRuns), accumulators: 'scratch' }, 'x', 'y');
    groups.push(`{ /* group ${g} */`, `  const float *w = ${WEIGHTS(ctx.prefix)} + ${wOff}, *bias = ${WEIGHTS(ctx.prefix)} + ${bOff};`, ...calls.map((l) => '  ' + l), `}`);
  }
  const summary = `conv2d 1x1 g${op.groups} ${channels} to ${outChannels} on ${height}x${width}${epilogueSummary(op)}`;
  const epilogue = convEpilogue(ctx, node, { channels: ['0', String(outChannels)], pixels: ['0', String(height * width)] }, batch, batch > 1 ? 'n' : undefined);
  const body = batchLoop(batch, inPlace.batchStride, outPlace.batchStride, [...groups, ...epilogue]);
  return taskKernel(node, fn, summary, 1, body);
}
