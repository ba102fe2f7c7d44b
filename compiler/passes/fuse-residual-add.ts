// Residual fusion: add(conv(x), r), where a pointwise conv's result is read by that add alone and r has the add's
// shape, becomes the conv's epilogue: y = activation(conv(x) + b) + r (conv2d `residual`, inputs x, w, b, r).
// The sum is written while the conv result is still in registers instead of in a second pass over memory (G4).
// The fused conv takes the add's place in the schedule, where r is certainly computed. Only when the target
// renders a residual epilogue (PassContext.epilogues).

import { classifyConv } from '../ir/conv-class.ts';
import { ALL_EPILOGUES } from '../ir/conv-epilogue.ts';
import type { Graph, Node } from '../ir/types.ts';
import type { Pass, PassContext } from './pass.ts';
import { Rewriter, UseIndex } from './rewriter.ts';

/** The pointwise conv producing `id` for `add` alone, free to take a residual. */
function fusableConv(uses: UseIndex, id: number, add: Node): Node | undefined {
  const conv = uses.producer.get(id);
  if (!conv || conv.op.kind !== 'conv2d' || conv.op.residual || uses.soleConsumer(id) !== add) return undefined;
  const shape = (v: number) => uses.graph.values.get(v)!.type.shape;
  return classifyConv(conv.op, shape(conv.inputs[0])[1], shape(id)[1]) === 'pointwise' ? conv : undefined;
}

export function fuseResidualAdd(graph: Graph, ctx: Partial<PassContext> = {}): Graph {
  if (!(ctx.epilogues ?? ALL_EPILOGUES).residual) return graph;
  const uses = new UseIndex(graph);
  /** add node id -> the conv it absorbs and the residual operand. */
  const fusions = new Map<number, { conv: Node; residual: number }>();
  const absorbed = new Set<number>();
  for (const node of graph.nodes) {
    if (node.op.kind !== 'binary' || node.op.fn !== 'add') continue;
    const out = graph.values.get(node.outputs[0])!.type;
    const [a, b] = node.inputs;
    if (a === b || out.dtype !== 'f32' || [a, b].some((id) => graph.values.get(id)!.type.shape.join(',') !== out.shape.join(','))) continue;
    for (const [operand, residual] of [[a, b], [b, a]]) {
      const conv = fusableConv(uses, operand, node);
      if (!conv || absorbed.has(conv.id)) continue;
      fusions.set(node.id, { conv, residual });
      absorbed.add(conv.id);
      break;
    }
  }
  if (fusions.size === 0) return graph;
  const rw = new Rewriter(graph);
  for (const node of graph.nodes) {
    const fusion = fusions.get(node.id);
    if (absorbed.has(node.id)) {
      rw.markChanged(); // computed where its add was
    } else if (fusion && fusion.conv.op.kind === 'conv2d') {
      const { conv, residual } = fusion;
      const op = fusion.conv.op;
      const [x, w, bias] = conv.inputs;
      const channels = graph.values.get(conv.outputs[0])!.type.shape[1];
      const b = bias ?? rw.addConst(`${graph.values.get(w)!.name}:zero_bias`, [channels], new Float32Array(channels));
      rw.emitInto({ ...op, residual: true }, [x, w, b, residual], node.outputs, conv.origin);
    } else {
      rw.keep(node);
    }
  }
  return rw.finish();
}

export const fuseResidualAddPass: Pass = { name: 'fuse-residual-add', run: fuseResidualAdd };
