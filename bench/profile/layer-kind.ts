// The operation kinds of the paper's time breakdown (Ma et al., ECCV 2018, Figure 2: the runtime of ShuffleNet v1
// and MobileNet v2 split by operation), for one compiled node. After channel routing, split/concat/shuffle are
// views and run no code, so "data movement" collects only the copies a plan could not avoid (zero on ShuffleNetV2).

import type { Graph, Node } from '../../compiler/ir/types.ts';
import { MOVEMENT_OPS } from '../../compiler/ir/types.ts';

export const LAYER_KINDS = ['stem conv', '1x1 conv', 'depthwise', 'other conv', 'pooling', 'classifier', 'element-wise', 'data movement'] as const;
export type LayerKind = (typeof LAYER_KINDS)[number];

export function layerKind(graph: Graph, node: Node): LayerKind {
  const op = node.op;
  switch (op.kind) {
    case 'conv2d': {
      const inChannels = graph.values.get(node.inputs[0])!.type.shape[1];
      const outChannels = graph.values.get(node.outputs[0])!.type.shape[1];
      if (op.kernel[0] === 1 && op.kernel[1] === 1) return '1x1 conv';
      if (op.groups > 1 && op.groups === inChannels && inChannels === outChannels) return 'depthwise';
      // The stem reads the network input; any other spatial dense conv (a bottleneck's 3x3) is its own kind.
      return graph.inputs.includes(node.inputs[0]) ? 'stem conv' : 'other conv';
    }
    case 'maxPool':
    case 'avgPool':
    case 'globalAvgPool':
    case 'reduceMean':
      return 'pooling';
    case 'gemm':
    case 'matMul':
    case 'dense':
      return 'classifier';
    default:
      return MOVEMENT_OPS.has(op.kind) ? 'data movement' : 'element-wise';
  }
}
