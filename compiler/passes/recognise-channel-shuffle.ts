// Channel-shuffle and channel-split recognition, by evaluation rather than by pattern matching.
//
// Exporters spell ShuffleNetV2's data movement in many ways: torchvision's Reshape [N,2,C/2,H,W] ->
// Transpose [0,2,1,3,4] -> Reshape, Megvii's Reshape [N*C/2,2,H*W] -> Transpose [1,0,2] -> Reshape ->
// Gather 0 / Gather 1, torch.chunk as two Slices or a Split, other batch sizes, other opsets. Instead of
// listing node sequences, this pass takes every maximal region of movement ops (reshape, transpose, gather
// with constant indices, slice, split) hanging off a 4-D [N,C,H,W] value, runs it on an "iota" input whose
// every element holds its own flat index, and reads off what each result of the region is. A result with
// out[n,c,h,w] = in[n, pick[c], h, w] is a pure channel selection; it is rewritten as channelShuffle + split
// (+ concat), the ops the planar layout turns into bookkeeping (compiler/plan/views.ts). Results that mix
// anything else (a spatial transpose, a flatten) keep their original ops.

import { CompileError } from '../ir/errors.ts';
import { normaliseAxis } from '../ir/shape-inference.ts';
import type { Graph, Node, Value } from '../ir/types.ts';
import { evalOp } from '../interpreter/eval-op.ts';
import type { Tensor } from '../interpreter/tensor.ts';
import { channelSelection, planSelections } from './channel-selection.ts';
import { eliminateDeadCode } from './eliminate-dead-code.ts';
import type { Pass } from './pass.ts';
import { Rewriter, UseIndex } from './rewriter.ts';

const CHAIN_KINDS = new Set(['reshape', 'transpose', 'gather', 'slice', 'split']);

function isChainNode(uses: UseIndex, node: Node): boolean {
  return CHAIN_KINDS.has(node.op.kind) && (node.op.kind !== 'gather' || uses.constData(node.inputs[1]) !== undefined);
}

/** A channel split is already canonical: nothing to gain from rewriting a path made only of them. */
function isChannelSplit(graph: Graph, node: Node): boolean {
  const rank = graph.values.get(node.inputs[0])!.type.shape.length;
  return node.op.kind === 'split' && rank === 4 && normaliseAxis(node.op.axis, rank) === 1;
}

function isActivation4d(v: Value): boolean {
  return v.type.dtype === 'f32' && !v.data && v.type.shape.length === 4;
}

/** The chain nodes reachable from `root` through chain nodes only, in graph order. */
function regionFrom(uses: UseIndex, root: number, order: ReadonlyMap<number, number>): Node[] {
  const members = new Map<number, Node>();
  const frontier = [root];
  while (frontier.length) {
    const id = frontier.pop()!;
    for (const node of uses.consumers(id)) {
      if (members.has(node.id) || node.inputs[0] !== id || !isChainNode(uses, node)) continue;
      members.set(node.id, node);
      frontier.push(...node.outputs);
    }
  }
  return [...members.values()].sort((a, b) => order.get(a.id)! - order.get(b.id)!);
}

function iota(v: Value): Tensor {
  const data = new Float64Array(v.type.shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < data.length; i++) data[i] = i;
  // i64 tensors are doubles, exact for any index, and every movement op is defined on them.
  return { type: { dtype: 'i64', shape: v.type.shape }, data };
}

/** The region's results as channel selections of the root, for those that are. */
function selectionsOf(uses: UseIndex, root: Value, region: readonly Node[]): Map<number, number[]> {
  const graph = uses.graph;
  const values = new Map<number, Tensor>([[root.id, iota(root)]]);
  for (const node of region) {
    const inputs = node.inputs.map((id, i) => (i === 0 ? values.get(id)! : { type: graph.values.get(id)!.type, data: uses.constData(id)! }));
    let results: Tensor[];
    try {
      results = evalOp(node.op, inputs);
    } catch (e) {
      if (e instanceof CompileError) throw e.withSite({ node: node.origin });
      throw e;
    }
    node.outputs.forEach((id, i) => values.set(id, results[i]));
  }
  const selections = new Map<number, number[]>();
  for (const node of region) {
    for (const id of node.outputs) {
      const pick = channelSelection(values.get(id)!, root.type.shape);
      if (pick) selections.set(id, pick);
    }
  }
  return selections;
}

interface Replacement {
  readonly root: number;
  readonly values: readonly number[];
  readonly picks: readonly number[][];
}

/** What one region should replace: results read outside it that are selections reached through more than channel splits. */
function replacementFor(uses: UseIndex, root: Value, region: readonly Node[], selections: ReadonlyMap<number, number[]>): Replacement | undefined {
  const inRegion = new Set(region.map((n) => n.id));
  const canonical = new Set<number>([root.id]);
  const values: number[] = [];
  const picks: number[][] = [];
  for (const node of region) {
    const viaSplits = isChannelSplit(uses.graph, node) && canonical.has(node.inputs[0]);
    for (const id of node.outputs) {
      if (viaSplits) canonical.add(id);
      const readOutside = uses.consumers(id).some((c) => !inRegion.has(c.id));
      if (viaSplits || !readOutside || uses.isGraphOutput(id) || !selections.has(id)) continue;
      values.push(id);
      picks.push(selections.get(id)!);
    }
  }
  return values.length ? { root: root.id, values, picks } : undefined;
}

/** Emit shuffle + split + concats computing every replaced value from the root, and alias them. */
function emitReplacement(rw: Rewriter, r: Replacement, origin: string): void {
  const channels = rw.builder.value(r.root).type.shape[1];
  for (const plan of planSelections(channels, r.picks)) {
    const shuffled = plan.groups > 1 ? rw.emit({ kind: 'channelShuffle', groups: plan.groups }, [r.root], origin)[0] : r.root;
    const pieces = plan.pieces.length > 1 ? rw.emit({ kind: 'split', axis: 1, sizes: plan.pieces }, [shuffled], origin) : [shuffled];
    plan.members.forEach((m, k) => {
      const wanted = plan.parts[k];
      const parts = wanted === 'all' ? [shuffled] : wanted.map((p) => pieces[p]);
      const value = parts.length === 1 ? parts[0] : rw.emit({ kind: 'concat', axis: 1 }, parts, origin)[0];
      if (!rw.alias(r.values[m], value)) throw new CompileError('internal: channel selection result could not be rerouted', { node: origin });
    });
  }
}

export function recogniseChannelShuffle(graph: Graph): Graph {
  const uses = new UseIndex(graph);
  const order = new Map(graph.nodes.map((n, i) => [n.id, i]));
  const candidates = [...graph.inputs, ...graph.nodes.flatMap((n) => n.outputs)].map((id) => graph.values.get(id)!);
  /** Values already explained as a selection of an earlier root; a later root never starts inside one. */
  const explained = new Set<number>();
  /** Replacements to emit just before the first node of their region. */
  const before = new Map<number, Replacement[]>();
  for (const root of candidates) {
    if (!isActivation4d(root) || explained.has(root.id)) continue;
    const region = regionFrom(uses, root.id, order);
    if (!region.length) continue;
    const selections = selectionsOf(uses, root, region);
    for (const id of selections.keys()) explained.add(id);
    const replacement = replacementFor(uses, root, region, selections);
    if (replacement) before.set(region[0].id, [...(before.get(region[0].id) ?? []), replacement]);
  }
  if (!before.size) return graph;

  const rw = new Rewriter(graph);
  for (const node of graph.nodes) {
    for (const r of before.get(node.id) ?? []) emitReplacement(rw, r, node.origin);
    rw.keep(node);
  }
  // The bypassed reshape/transpose/gather chains are garbage this pass made; sweep them here.
  return eliminateDeadCode(rw.finish());
}

export const recogniseChannelShufflePass: Pass = { name: 'recognise-channel-shuffle', run: recogniseChannelShuffle };
