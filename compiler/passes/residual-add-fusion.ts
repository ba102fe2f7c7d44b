// What the residual fusions share (fuse-residual-add.ts, fuse-scale-add.ts): find each f32 add y = p + r whose
// operands both have y's shape and where p comes from a node that only this add reads and that can add r itself;
// drop that producer and put the fused node at the add's place in the schedule (where r is certainly computed),
// writing the add's outputs. Each pass says only which producers qualify and what the fused node is.

import type { Graph, Node, Op } from '../ir/types.ts';
import { Rewriter, UseIndex } from './rewriter.ts';

/** Builds the fused node's op and inputs, given the residual operand (may add constants through `rw`). */
export type FusedNode = (residual: number, rw: Rewriter) => { op: Op; inputs: readonly number[] };

/**
 * For `producer` (of one add operand, read by that add alone): how it computes its result plus a residual, or
 * undefined when it cannot.
 */
export type AbsorbResidual = (producer: Node, graph: Graph) => FusedNode | undefined;

/** Whether `residual` may be fused in (default: any). */
export type AcceptResidual = (residual: number, uses: UseIndex) => boolean;

export function fuseIntoResidualAdds(graph: Graph, absorb: AbsorbResidual, accept: AcceptResidual = () => true): Graph {
  const uses = new UseIndex(graph);
  const shapeKey = (id: number) => graph.values.get(id)!.type.shape.join(',');
  /** add node id -> the fused node that replaces it, and where that came from. */
  const fusions = new Map<number, { fused: FusedNode; residual: number; origin: string }>();
  const absorbed = new Set<number>();
  for (const add of graph.nodes) {
    if (add.op.kind !== 'binary' || add.op.fn !== 'add' || add.op.residual) continue;
    const [a, b] = add.inputs;
    const out = add.outputs[0];
    if (a === b || graph.values.get(out)!.type.dtype !== 'f32' || shapeKey(a) !== shapeKey(out) || shapeKey(b) !== shapeKey(out)) continue;
    for (const [operand, residual] of [[a, b], [b, a]]) {
      const producer = uses.producer.get(operand);
      if (!producer || absorbed.has(producer.id) || uses.soleConsumer(operand) !== add || !accept(residual, uses)) continue;
      const fused = absorb(producer, graph);
      if (!fused) continue;
      fusions.set(add.id, { fused, residual, origin: producer.origin });
      absorbed.add(producer.id);
      break;
    }
  }
  if (fusions.size === 0) return graph;
  const rw = new Rewriter(graph);
  for (const node of graph.nodes) {
    const fusion = fusions.get(node.id);
    if (absorbed.has(node.id)) {
      rw.markChanged(); // computed where its add was
    } else if (fusion) {
      const { op, inputs } = fusion.fused(fusion.residual, rw);
      rw.emitInto(op, inputs, node.outputs, fusion.origin);
    } else {
      rw.keep(node);
    }
  }
  return rw.finish();
}
