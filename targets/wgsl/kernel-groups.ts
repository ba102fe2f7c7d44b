// Which nodes the WGSL target runs as one dispatch (Target.kernelGroups). A dispatch boundary costs a
// pipeline switch and a full memory barrier on every adapter, and a round trip through memory for the
// intermediate; these fusions keep the intermediate in workgroup memory instead:
//   depthwise conv -> 1x1 conv   (every ShuffleNetV2 branch: the depthwise result never leaves the workgroup)
//   global average pool -> [flatten] -> classifier   (the pooled features never leave the workgroup)
// Only chains whose intermediate has no other reader qualify, and only when the workgroup tile fits the
// 16 KiB of workgroup memory WebGPU guarantees (compatibility mode included).

import { denseForm } from '../../compiler/ir/dense-form.ts';
import type { Graph, Node } from '../../compiler/ir/types.ts';
import { UseIndex } from '../../compiler/passes/rewriter.ts';
import { isViewNode } from '../../compiler/plan/views.ts';
import type { KernelGroup } from '../../compiler/plan/types.ts';
import { MIN_TILE_PIXELS } from './kernels/depthwise-pointwise.ts';
import { isSpatialMean, renderedConvClass } from './op-kinds.ts';

/** WebGPU's guaranteed maxComputeWorkgroupStorageSize, in floats. */
export const WORKGROUP_FLOATS = 16384 / 4;

export function wgslKernelGroups(graph: Graph): KernelGroup[] {
  const uses = new UseIndex(graph);
  const shapeOf = (id: number) => graph.values.get(id)!.type.shape;
  const isConst = (id: number | undefined) => id !== undefined && graph.values.get(id)!.data !== undefined;
  /** The node reading `id` as its first operand once nothing else reads it, looking through flatten-like views. */
  const soleReader = (id: number): Node | undefined => {
    const next = uses.soleConsumer(id);
    if (next && isViewNode(graph, next) && next.op.kind === 'reshape') return soleReader(next.outputs[0]);
    return next?.inputs[0] === id ? next : undefined;
  };
  const groups: KernelGroup[] = [];
  for (const node of graph.nodes) {
    const op = node.op;
    if (op.kind === 'conv2d' && shapeOf(node.inputs[0]).length === 4 && isConst(node.inputs[1])) {
      const channels = shapeOf(node.inputs[0])[1];
      const next = soleReader(node.outputs[0]);
      if (
        renderedConvClass(op, channels, shapeOf(node.outputs[0])[1]) === 'depthwise' &&
        next?.op.kind === 'conv2d' &&
        renderedConvClass(next.op, channels, shapeOf(next.outputs[0])[1]) === 'pointwise' &&
        isConst(next.inputs[1]) &&
        channels * MIN_TILE_PIXELS <= WORKGROUP_FLOATS // the smallest tile fits workgroup memory
      ) {
        groups.push([node.id, next.id]);
      }
    }
    const rank = shapeOf(node.inputs[0]).length;
    if ((op.kind === 'globalAvgPool' || (op.kind === 'reduceMean' && isSpatialMean(op, rank))) && rank >= 3) {
      const next = soleReader(node.outputs[0]);
      const features = shapeOf(node.inputs[0])[1];
      if (next && typeof denseForm(graph, next) !== 'string' && features <= WORKGROUP_FLOATS) {
        groups.push([node.id, next.id]);
      }
    }
  }
  return groups;
}
