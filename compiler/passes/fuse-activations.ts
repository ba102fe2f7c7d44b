// Activation fusion: a relu that only follows a conv becomes the conv's epilogue, so the activation is applied
// while the result is still in registers instead of in a second pass over memory (guideline G4).
//   conv2d -> relu                        => conv2d{activation: relu}
//   conv2d, conv2d, ... -> concat -> relu  => every conv gets the relu, the concat stays (a view anyway)
// A relu can only move into a producer whose result nobody else reads, or that reader would see the change.
// Producers already fused with a relu qualify too (relu is idempotent).

import type { Graph, Node } from '../ir/types.ts';
import type { Pass } from './pass.ts';
import { Rewriter, UseIndex } from './rewriter.ts';

/** A conv whose result only `reader` consumes, so its epilogue may change. */
function ownedConv(uses: UseIndex, value: number, reader: Node): Node | undefined {
  const conv = uses.producer.get(value);
  return conv && conv.op.kind === 'conv2d' && uses.soleConsumer(value) === reader ? conv : undefined;
}

export function fuseActivations(graph: Graph): Graph {
  const uses = new UseIndex(graph);
  /** conv node id -> the value it must write (the relu's result, or its own result when behind a concat). */
  const reluConvs = new Map<number, number>();
  /** relu node ids that vanish, and concat node ids that must write the relu's result instead of their own. */
  const droppedRelus = new Set<number>();
  const concatInto = new Map<number, number>();
  for (const relu of graph.nodes) {
    if (relu.op.kind !== 'relu') continue;
    const x = relu.inputs[0];
    const conv = ownedConv(uses, x, relu);
    if (conv) {
      reluConvs.set(conv.id, relu.outputs[0]);
      droppedRelus.add(relu.id);
      continue;
    }
    const concat = uses.producer.get(x);
    if (!concat || concat.op.kind !== 'concat' || uses.soleConsumer(x) !== relu) continue;
    const convs = concat.inputs.map((id) => ownedConv(uses, id, concat));
    if (convs.some((c) => !c)) continue;
    for (const c of convs) reluConvs.set(c!.id, c!.outputs[0]);
    concatInto.set(concat.id, relu.outputs[0]);
    droppedRelus.add(relu.id);
  }
  if (droppedRelus.size === 0) return graph;

  const rw = new Rewriter(graph);
  for (const node of graph.nodes) {
    const reluOut = reluConvs.get(node.id);
    if (reluOut !== undefined && node.op.kind === 'conv2d') {
      rw.emitInto({ ...node.op, activation: 'relu' }, node.inputs, [reluOut], node.origin);
    } else if (concatInto.has(node.id)) {
      rw.emitInto(node.op, node.inputs, [concatInto.get(node.id)!], node.origin);
    } else if (droppedRelus.has(node.id)) {
      rw.markChanged();
    } else {
      rw.keep(node);
    }
  }
  return rw.finish();
}

export const fuseActivationsPass: Pass = { name: 'fuse-activations', run: fuseActivations };
