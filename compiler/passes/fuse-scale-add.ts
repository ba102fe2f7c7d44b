// SE scale fusion: an SE block's x * gate (gate [N,C,1,1]) whose only reader is the residual add after it becomes
// one element-wise op, y = x * gate + r (binary mul with `residual`): the scaled tensor is never written out and
// read back (guideline G4). The fused op takes the add's place in the schedule. Only when the target renders it
// (PassContext.epilogues.scaleResidual). Without a shortcut the SE output goes to a concat, which channel routing
// already makes free, so the scale has no consumer to fuse into and stays standalone.

import { ALL_EPILOGUES } from '../ir/conv-epilogue.ts';
import type { Graph, Node } from '../ir/types.ts';
import type { Pass, PassContext } from './pass.ts';
import { fuseIntoResidualAdds, type FusedNode } from './residual-add-fusion.ts';

/** A plain multiplication takes r as a third operand. */
function absorbIntoMul(mul: Node): FusedNode | undefined {
  if (mul.op.kind !== 'binary' || mul.op.fn !== 'mul' || mul.op.residual) return undefined;
  return (residual) => ({ op: { kind: 'binary', fn: 'mul', residual: true }, inputs: [...mul.inputs, residual] });
}

export function fuseScaleAdd(graph: Graph, ctx: Partial<PassContext> = {}): Graph {
  if (!(ctx.epilogues ?? ALL_EPILOGUES).scaleResidual) return graph;
  return fuseIntoResidualAdds(graph, absorbIntoMul);
}

export const fuseScaleAddPass: Pass = { name: 'fuse-scale-add', run: fuseScaleAdd };
