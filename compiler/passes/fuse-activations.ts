// Activation fusion: an activation that only follows a conv becomes the conv's epilogue, so it is applied while
// the result is still in registers instead of in a second pass over memory (guideline G4).
//   conv2d -> relu | sigmoid | hardSigmoid | hardSwish | clip 0..6    => conv2d{activation}
//   conv2d, conv2d, ... -> concat -> relu                             => every conv gets the relu, the concat stays
// A standalone op fuses only when it equals an epilogue exactly (compiler/ir/conv-epilogue.ts) and the target
// renders that epilogue (PassContext.epilogues). An activation can only move into a producer whose result nobody
// else reads, or that reader would see the change, and only into a conv without an activation or residual yet;
// a relu also fuses into a conv already fused with a relu (relu is idempotent).

import { ALL_EPILOGUES, epilogueActivation } from '../ir/conv-epilogue.ts';
import type { Activation, Graph, Node } from '../ir/types.ts';
import type { Pass, PassContext } from './pass.ts';
import { Rewriter, UseIndex } from './rewriter.ts';

/** A conv whose result only `reader` consumes and whose epilogue can still take `activation`. */
function ownedConv(uses: UseIndex, value: number, reader: Node, activation: Activation): Node | undefined {
  const conv = uses.producer.get(value);
  if (!conv || conv.op.kind !== 'conv2d' || conv.op.residual || uses.soleConsumer(value) !== reader) return undefined;
  const free = conv.op.activation === 'none' || (activation === 'relu' && conv.op.activation === 'relu');
  return free ? conv : undefined;
}

export function fuseActivations(graph: Graph, ctx: Partial<PassContext> = {}): Graph {
  const supported = new Set((ctx.epilogues ?? ALL_EPILOGUES).activations);
  const uses = new UseIndex(graph);
  /** conv node id -> its epilogue and the value it must write (the activation's result, or its own behind a concat). */
  const fusedConvs = new Map<number, { activation: Activation; writes: number }>();
  /** activation node ids that vanish, and concat node ids that must write the relu's result instead of their own. */
  const dropped = new Set<number>();
  const concatInto = new Map<number, number>();
  for (const node of graph.nodes) {
    const activation = epilogueActivation(node.op);
    if (!activation || !supported.has(activation) || graph.values.get(node.inputs[0])!.type.dtype !== 'f32') continue;
    const x = node.inputs[0];
    const conv = ownedConv(uses, x, node, activation);
    if (conv) {
      fusedConvs.set(conv.id, { activation, writes: node.outputs[0] });
      dropped.add(node.id);
      continue;
    }
    // Only a relu distributes over a concat of conv results (the other activations could too, but no exporter
    // writes them that way).
    const concat = uses.producer.get(x);
    if (activation !== 'relu' || !concat || concat.op.kind !== 'concat' || uses.soleConsumer(x) !== node) continue;
    const convs = concat.inputs.map((id) => ownedConv(uses, id, concat, activation));
    if (convs.some((c) => !c)) continue;
    for (const c of convs) fusedConvs.set(c!.id, { activation, writes: c!.outputs[0] });
    concatInto.set(concat.id, node.outputs[0]);
    dropped.add(node.id);
  }
  if (dropped.size === 0) return graph;

  const rw = new Rewriter(graph);
  for (const node of graph.nodes) {
    const fused = fusedConvs.get(node.id);
    if (fused !== undefined && node.op.kind === 'conv2d') {
      rw.emitInto({ ...node.op, activation: fused.activation }, node.inputs, [fused.writes], node.origin);
    } else if (concatInto.has(node.id)) {
      rw.emitInto(node.op, node.inputs, [concatInto.get(node.id)!], node.origin);
    } else if (dropped.has(node.id)) {
      rw.markChanged();
    } else {
      rw.keep(node);
    }
  }
  return rw.finish();
}

export const fuseActivationsPass: Pass = { name: 'fuse-activations', run: fuseActivations };
