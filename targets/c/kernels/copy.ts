// Kernels that move whole planes: the rare channel-movement node the memory plan could not turn into a view
// (a channel shuffle whose result is a graph output must land densely in the caller's buffer). The source plane of each output channel is the placement the node would have had as a view.

import type { Node } from '../../../compiler/ir/types.ts';
import { viewPlacements } from '../../../compiler/plan/views.ts';
import { addressing, placementAddressing } from '../operands.ts';
import type { Kernel, KernelContext } from './context.ts';
import { indent, originComment, placementOf, reluExpr, shapeOf } from './context.ts';

function planeKernel(ctx: KernelContext, node: Node, fn: string, source: ReturnType<typeof addressing>, relu: boolean, summary: string, outputIndex = 0): Kernel {
  const shape = shapeOf(ctx, node.outputs[outputIndex]);
  const [batch, channels] = shape;
  const plane = shape.slice(2).reduce((a, b) => a * b, 1);
  const output = placementAddressing(placementOf(ctx, node.outputs[outputIndex], node), ctx.tables);
  const body = [
    `int n, c, p;`,
    `for (n = 0; n < ${batch}; n++) {`,
    `  for (c = 0; c < ${channels}; c++) {`,
    `    const float *restrict xp = x + n * ${source.batchStride} + ${source.at('c')};`,
    `    float *restrict yp = y + n * ${output.batchStride} + ${output.at('c')};`,
    `    for (p = 0; p < ${plane}; p++) yp[p] = ${reluExpr('xp[p]', relu)};`,
    `  }`,
    `}`,
  ];
  return { definition: [originComment(node, summary), `static void ${fn}(const float *x, float *y) {`, indent(body.join('\n'), 1), `}`].join('\n') };
}

/** A channel-movement node materialised as plane copies (all of its inputs must share one buffer). */
export function emitMovementCopy(ctx: KernelContext, node: Node, fn: string, outputIndex: number): Kernel {
  const inputs = node.inputs.map((id) => placementOf(ctx, id, node));
  const asView = viewPlacements(ctx.graph, node, inputs)[outputIndex];
  const source = addressing(asView.channelOffsets, asView.batchStride, ctx.tables);
  return planeKernel(ctx, node, fn, source, false, `${node.op.kind} output ${outputIndex} materialised as plane copies`, outputIndex);
}
