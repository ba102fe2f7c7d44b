// Lowers a kernel group (kernel-groups.ts) to its one fused kernel. The kernel takes the place of the group's
// last member in the schedule: that is where the plan allocated the group's output, and the plan keeps every
// member's inputs allocated until then.

import type { Node } from '../../compiler/ir/types.ts';
import { depthwisePointwiseKernel } from './kernels/depthwise-pointwise.ts';
import type { Kernel } from './kernels/kernel.ts';
import { pooledClassifierKernel } from './kernels/pooled-classifier.ts';
import { WORKGROUP_FLOATS } from './kernel-groups.ts';
import type { LoweringContext } from './lower-node.ts';
import { classifierParams, conv1x1Params, nodeOperands, planeOf, spatialConvParams } from './lower-node.ts';

export function lowerGroup(cx: LoweringContext, members: readonly Node[]): Kernel {
  const [first, second] = members.map((node) => nodeOperands(cx, node));
  const kinds = members.map((n) => n.op.kind).join('+');
  if (members.length === 2 && kinds === 'conv2d+conv2d') {
    return depthwisePointwiseKernel({ entry: cx.nextEntry() }, { depthwise: spatialConvParams(first), pointwise: conv1x1Params(second), workgroupFloats: WORKGROUP_FLOATS });
  }
  if (members.length === 2 && (first.node.op.kind === 'globalAvgPool' || first.node.op.kind === 'reduceMean')) {
    const xShape = first.shape(first.node.inputs[0]);
    const pool = { x: first.activation(first.node.inputs[0]), y: first.activation(first.node.outputs[0]), channels: xShape[1], plane: planeOf(xShape), batch: xShape[0] };
    return pooledClassifierKernel({ entry: cx.nextEntry() }, { pool, classifier: classifierParams(second) });
  }
  return first.fail(`internal: no fused kernel for the group ${kinds}`);
}
