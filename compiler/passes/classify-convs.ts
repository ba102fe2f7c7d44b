// Conv classification: records on every conv2d whether it is pointwise, depthwise, grouped or general
// (compiler/ir/conv-class.ts), so targets read the class instead of re-deriving it from kernel, stride, pads and
// groups. Runs after every pass that creates or rewrites convs; the verifier re-checks a recorded class. Node ids
// are kept, so emitted code does not change.

import { classifyConv } from '../ir/conv-class.ts';
import type { Graph } from '../ir/types.ts';
import type { Pass } from './pass.ts';
import { replaceNodesInPlace } from './rewriter.ts';

export function classifyConvs(graph: Graph): Graph {
  return replaceNodesInPlace(graph, (node) => {
    const op = node.op;
    if (op.kind !== 'conv2d') return undefined;
    const inChannels = graph.values.get(node.inputs[0])!.type.shape[1];
    const outChannels = graph.values.get(node.outputs[0])!.type.shape[1];
    const convClass = classifyConv(op, inChannels, outChannels);
    return op.convClass === convClass ? undefined : { op: { ...op, convClass }, inputs: node.inputs };
  });
}

export const classifyConvsPass: Pass = { name: 'classify-convs', run: classifyConvs };
