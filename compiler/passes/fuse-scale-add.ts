// SE scale fusion: an SE block's x * gate (gate [N,C,1,1]) whose only reader is the residual add after it becomes
// one element-wise op, y = x * gate + r (binary mul with `residual`): the scaled tensor is never written out and
// read back (guideline G4). The fused op takes the add's place in the schedule. Only when the target renders it
// (PassContext.epilogues.scaleResidual). Without a shortcut the SE output goes to a concat, which channel routing
// already makes free, so the scale has no consumer to fuse into and stays standalone.

import { ALL_EPILOGUES } from '../ir/conv-epilogue.ts';
import type { Graph, Node } from '../ir/types.ts';
import type { Pass, PassContext } from './pass.ts';
import { Rewriter, UseIndex } from './rewriter.ts';

export function fuseScaleAdd(graph: Graph, ctx: Partial<PassContext> = {}): Graph {
  if (!(ctx.epilogues ?? ALL_EPILOGUES).scaleResidual) return graph;
  const uses = new UseIndex(graph);
  const shapeOf = (id: number) => graph.values.get(id)!.type;
  /** add node id -> the mul it absorbs and the residual operand. */
  const fusions = new Map<number, { mul: Node; residual: number }>();
  const absorbed = new Set<number>();
  for (const add of graph.nodes) {
    if (add.op.kind !== 'binary' || add.op.fn !== 'add' || add.op.residual) continue;
    const out = shapeOf(add.outputs[0]);
    const [a, b] = add.inputs;
    if (a === b || out.dtype !== 'f32') continue;
    for (const [operand, residual] of [[a, b], [b, a]]) {
      const mul = uses.producer.get(operand);
      if (!mul || mul.op.kind !== 'binary' || mul.op.fn !== 'mul' || mul.op.residual || uses.soleConsumer(operand) !== add || absorbed.has(mul.id)) continue;
      if (shapeOf(residual).shape.join(',') !== out.shape.join(',') || shapeOf(operand).shape.join(',') !== out.shape.join(',')) continue;
      fusions.set(add.id, { mul, residual });
      absorbed.add(mul.id);
      break;
    }
  }
  if (fusions.size === 0) return graph;
  const rw = new Rewriter(graph);
  for (const node of graph.nodes) {
    const fusion = fusions.get(node.id);
    if (absorbed.has(node.id)) rw.markChanged(); // computed where its add was
    else if (fusion) rw.emitInto({ kind: 'binary', fn: 'mul', residual: true }, [...fusion.mul.inputs, fusion.residual], node.outputs, fusion.mul.origin);
    else rw.keep(node);
  }
  return rw.finish();
}

export const fuseScaleAddPass: Pass = { name: 'fuse-scale-add', run: fuseScaleAdd };
