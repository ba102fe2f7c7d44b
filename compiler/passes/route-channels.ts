// Compile-time channel routing: the last step that makes split, concat and channel shuffle cost nothing.
//
// After recognise-channel-shuffle, the data movement left in a ShuffleNetV2 graph is split / concat on the
// channel axis, channelShuffle and reshapes that keep N, C and the plane. Under the planar placement contract
// (compiler/plan/types.ts) each channel is its own plane addressed through a per-value table of plane offsets,
// and the planner turns exactly those ops into table edits (isViewNode in compiler/plan/views.ts): a split
// takes a sub-list, a concat joins lists, a shuffle permutes one. No kernel runs for them.
//
// That is also why no weight is permuted here. A packed NHWC design needs a 1x1 conv reading a shuffled input
// to permute its weight columns, because it walks input channels at a fixed stride. A planar kernel reads
// input channel c from plane offset table[c], a compile-time constant per channel, so the permutation is
// already carried by the table and the weights stay in the model's logical order (the same for depthwise
// weights and biases).
//
// What this pass adds is canonical form, so targets, dumps and the cost report see the simplest routing:
//   channelShuffle(1) / channelShuffle(C), one-piece splits, one-input concats -> gone
//   channelShuffle of channelShuffle           -> one channelShuffle (or gone) when the product is one
//   a split of a split piece that nothing else reads  -> one split
//   concat of every piece of a split, in order  -> the split's input
//   concat of a concat that nothing else reads  -> one concat
// Movement nodes that still copy data afterwards (a transpose that is no channel permutation, a reshape that
// changes the channel count) are left alone and reported once through ctx.warn; targets decide what to do.
//
// Nothing else is needed in the graph itself. Where a producer writes (so that a stride-1 unit's branch writes
// into the planes its input half occupied and a stage runs in one buffer) is a placement decision, made by
// the memory planner from these view nodes; so is the rare view that cannot stay one (a view producing a
// graph output, which must be dense, or a concat joining the caller's input buffer with arena planes).

import { normaliseAxis } from '../ir/shape-inference.ts';
import type { Graph, Node } from '../ir/types.ts';
import { MOVEMENT_OPS } from '../ir/types.ts';
import { isViewNode } from '../plan/views.ts';
import { shuffleOrder } from './channel-selection.ts';
import { eliminateDeadCode } from './eliminate-dead-code.ts';
import type { Pass, PassContext } from './pass.ts';
import { Rewriter, UseIndex } from './rewriter.ts';

const MAX_SWEEPS = 16;

function isChannelOp(graph: Graph, node: Node, kind: 'split' | 'concat'): boolean {
  if (node.op.kind !== kind) return false;
  const rank = graph.values.get(node.inputs[0])!.type.shape.length;
  return rank >= 2 && normaliseAxis(node.op.axis, rank) === 1;
}

/** The shuffle group count whose order equals `order`, 1 for the identity, undefined for neither. */
function groupsOf(order: readonly number[]): number | undefined {
  const c = order.length;
  if (order.every((ch, i) => ch === i)) return 1;
  for (let g = 2; g < c; g++) {
    if (c % g === 0 && shuffleOrder(c, g).every((ch, i) => ch === order[i])) return g;
  }
  return undefined;
}

/** One sweep of the rewrites listed above; returns the same graph when none applied. */
function routeOnce(graph: Graph): Graph {
  const uses = new UseIndex(graph);
  const rw = new Rewriter(graph);
  const channelsOf = (id: number) => graph.values.get(id)!.type.shape[1];
  /** Nested splits merged into the split they read from (which is emitted before them). */
  const absorbed = new Set<number>();
  /** Split nodes -> the output of theirs that a nested split consumes. */
  const nestedSplit = new Map<number, { piece: number; inner: Node }>();
  for (const node of graph.nodes) {
    if (!isChannelOp(graph, node, 'split')) continue;
    const source = uses.producer.get(node.inputs[0]);
    if (!source || !isChannelOp(graph, source, 'split') || uses.soleConsumer(node.inputs[0]) !== node) continue;
    // One nesting per split and sweep, and never into a split that is itself being absorbed.
    // (A one-piece source is removed instead, and the nested split then reads its input directly.)
    if (nestedSplit.has(source.id) || absorbed.has(source.id) || source.outputs.length === 1) continue;
    nestedSplit.set(source.id, { piece: source.outputs.indexOf(node.inputs[0]), inner: node });
    absorbed.add(node.id);
  }

  for (const node of graph.nodes) {
    const op = node.op;
    const x = node.inputs[0];
    const out = node.outputs[0];
    if (absorbed.has(node.id)) {
      rw.markChanged();
    } else if (op.kind === 'channelShuffle') {
      const source = uses.producer.get(x);
      const c = channelsOf(x);
      if ((op.groups === 1 || op.groups === c) && rw.alias(out, x)) continue;
      if (source?.op.kind === 'channelShuffle') {
        const inner = shuffleOrder(c, source.op.groups);
        const groups = groupsOf(shuffleOrder(c, op.groups).map((k) => inner[k]));
        if (groups === 1 && rw.alias(out, source.inputs[0])) continue;
        if (groups !== undefined && groups > 1) {
          rw.emitInto({ kind: 'channelShuffle', groups }, [source.inputs[0]], [out], node.origin);
          continue;
        }
      }
      rw.keep(node);
    } else if (isChannelOp(graph, node, 'split') && op.kind === 'split') {
      const nested = nestedSplit.get(node.id);
      if (node.outputs.length === 1 && rw.alias(out, x)) continue;
      if (!nested || nested.inner.op.kind !== 'split') {
        rw.keep(node);
        continue;
      }
      const sizes = [...op.sizes];
      const outputs = [...node.outputs];
      sizes.splice(nested.piece, 1, ...nested.inner.op.sizes);
      outputs.splice(nested.piece, 1, ...nested.inner.outputs);
      rw.emitInto({ kind: 'split', axis: 1, sizes }, [x], outputs, node.origin);
    } else if (isChannelOp(graph, node, 'concat')) {
      if (node.inputs.length === 1 && rw.alias(out, x)) continue;
      const source = uses.producer.get(x);
      const wholeSplit = source && isChannelOp(graph, source, 'split') && source.outputs.length === node.inputs.length && source.outputs.every((id, i) => id === node.inputs[i]);
      if (wholeSplit && rw.alias(out, source.inputs[0])) continue;
      // Flatten concats of concats (only ones nothing else reads, so each value keeps one definition).
      const inputs = node.inputs.flatMap((id) => {
        const inner = uses.producer.get(id);
        return inner && isChannelOp(graph, inner, 'concat') && uses.soleConsumer(id) === node ? inner.inputs : [id];
      });
      if (inputs.length === node.inputs.length) {
        rw.keep(node);
        continue;
      }
      rw.emitInto({ kind: 'concat', axis: 1 }, inputs, [out], node.origin);
    } else {
      rw.keep(node);
    }
  }
  return rw.finish();
}

/** Movement nodes the planar layout cannot turn into bookkeeping (they will copy at run time). */
export function copyingMovementNodes(graph: Graph): Node[] {
  return graph.nodes.filter((n) => MOVEMENT_OPS.has(n.op.kind) && !isViewNode(graph, n));
}

export function routeChannels(graph: Graph, ctx?: PassContext): Graph {
  let current = graph;
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    const next = routeOnce(current);
    if (next === current) break;
    current = next;
  }
  // Splits and concats bypassed above are dead now; sweep them so the result is the canonical graph.
  if (current !== graph) current = eliminateDeadCode(current);
  const copying = copyingMovementNodes(current);
  if (copying.length && ctx) {
    ctx.warn(`route-channels: ${copying.length} movement node(s) still copy data, e.g. node ${copying[0].origin}`);
  }
  return current;
}

export const routeChannelsPass: Pass = { name: 'route-channels', run: routeChannels };
