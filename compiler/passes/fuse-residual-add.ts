// Residual fusion: add(conv(x), r), where a pointwise conv's result is read by that add alone and r has the add's
// shape, becomes the conv's epilogue: y = activation(conv(x) + b) + r (conv2d `residual`, inputs x, w, b, r).
// The sum is written while the conv result is still in registers instead of in a second pass over memory (G4).
// The fused conv takes the add's place in the schedule, where r is certainly computed. Only when the target
// renders a residual epilogue (PassContext.epilogues), and, for a target whose kernels reach the residual only
// through the arena (residualInCallerBuffers false), only when r cannot live in the caller's buffers.

import { classifyConv } from '../ir/conv-class.ts';
import { ALL_EPILOGUES } from '../ir/conv-epilogue.ts';
import type { Graph, Node } from '../ir/types.ts';
import { isViewNode } from '../plan/views.ts';
import type { Pass, PassContext } from './pass.ts';
import { fuseIntoResidualAdds, type FusedNode } from './residual-add-fusion.ts';
import type { UseIndex } from './rewriter.ts';

/** A pointwise conv without a residual yet takes r as its epilogue; a conv without bias gets a zero one. */
function absorbIntoConv(conv: Node, graph: Graph): FusedNode | undefined {
  const op = conv.op;
  if (op.kind !== 'conv2d' || op.residual) return undefined;
  const [x, w, bias] = conv.inputs;
  const channels = graph.values.get(conv.outputs[0])!.type.shape[1];
  if (classifyConv(op, graph.values.get(x)!.type.shape[1], channels) !== 'pointwise') return undefined;
  return (residual, rw) => {
    const b = bias ?? rw.addConst(`${graph.values.get(w)!.name}:zero_bias`, [channels], new Float32Array(channels));
    return { op: { ...op, residual: true }, inputs: [x, w, b, residual] };
  };
}

/**
 * True when the memory plan may put `id` outside the arena: it is a constant, a graph input or output, or a view
 * (split, concat, reshape, ...) of a value that may be.
 */
function mayLiveInCallerBuffers(id: number, uses: UseIndex): boolean {
  const graph = uses.graph;
  if (graph.values.get(id)!.data || graph.inputs.includes(id) || uses.isGraphOutput(id)) return true;
  const producer = uses.producer.get(id);
  return producer !== undefined && isViewNode(graph, producer) && producer.inputs.some((input) => mayLiveInCallerBuffers(input, uses));
}

export function fuseResidualAdd(graph: Graph, ctx: Partial<PassContext> = {}): Graph {
  const support = ctx.epilogues ?? ALL_EPILOGUES;
  if (!support.residual) return graph;
  if (support.residualInCallerBuffers === false) return fuseIntoResidualAdds(graph, absorbIntoConv, (r, uses) => !mayLiveInCallerBuffers(r, uses));
  return fuseIntoResidualAdds(graph, absorbIntoConv);
}

export const fuseResidualAddPass: Pass = { name: 'fuse-residual-add', run: fuseResidualAdd };
