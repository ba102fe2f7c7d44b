// Joins measured kernel times with the cost model (compiler/analysis): per layer the time, its share of the
// whole, multiply-adds and achieved GMAC/s, memory access cost (MAC bytes) and achieved GB/s, and the G1-G4 flags
// the analysis raised; and the time by operation kind, as in the paper's Figure 2.
// A layer is one kernel's graph node, or the nodes a target fused into one kernel (WGSL's depthwise + 1x1): their
// costs add up, and their time goes to a joint kind ("depthwise + 1x1 conv") rather than being split by a guess.

import type { LayerReport } from '../../compiler/analysis/analyze-cost.ts';
import type { Graph, Node } from '../../compiler/ir/types.ts';
import { LAYER_KINDS, layerKind } from './layer-kind.ts';

/** One measured kernel: the graph node(s) it computes and its median time. */
export interface KernelTime {
  readonly nodeIds: readonly number[];
  readonly ms: number;
  /**
   * Host transfers (no graph node): where the headline time is the whole call (WebGPU without timestamp
   * queries), the input upload and output readback are part of it, so the profile shows them as rows too.
   */
  readonly transfer?: { readonly label: string; readonly bytes: number; readonly last: boolean };
}

export interface ProfiledLayer {
  readonly nodeIds: readonly number[];
  /** The nodes' origins joined with " + " (from the model file: escape before display). */
  readonly name: string;
  readonly op: string;
  /** One of LAYER_KINDS, or kinds joined with " + " for a fused kernel. */
  readonly kind: string;
  readonly ms: number;
  /** Of the summed layer times. */
  readonly share: number;
  readonly macs: number;
  readonly gmacPerSecond: number;
  readonly macBytes: number;
  readonly gbPerSecond: number;
  readonly guidelines: readonly string[];
}

export interface Profile {
  readonly layers: readonly ProfiledLayer[];
  /** ms per kind: every kind of LAYER_KINDS (0 where nothing ran), then any fused kinds. */
  readonly byKind: Readonly<Record<string, number>>;
  readonly layerSumMs: number;
  /**
   * Median time of the whole model in the same instrumented runs (its own time where the target measures it,
   * else the whole call): what the layer times should add up to, free of the drift between separate runs.
   */
  readonly wholeMs?: number;
}

/** The kind of the host transfer rows (not one of the paper's: its figure times the network on the device alone). */
export const HOST_TRANSFER = 'host transfer';

const perSecond = (amount: number, ms: number, unit: number) => (ms > 0 ? amount / (ms / 1000) / unit : 0);
const unique = <T>(xs: readonly T[]) => [...new Set(xs)];

/** Kernel times summed per layer (node group), in graph order, joined with the cost of its nodes. */
export function joinProfile(graph: Graph, costs: readonly LayerReport[], kernels: readonly KernelTime[]): Profile {
  const nodeById = new Map(graph.nodes.map((n, i) => [n.id, { node: n, step: i }]));
  type Row = { nodes: Node[]; ms: number; step: number; transfer?: KernelTime['transfer'] };
  const groups = new Map<string, Row>();
  const rows: Row[] = [];
  for (const k of kernels) {
    // A host transfer has no node: the upload sorts before every layer, the readback after.
    if (k.transfer) {
      rows.push({ nodes: [], ms: k.ms, step: k.transfer.last ? graph.nodes.length : -1, transfer: k.transfer });
      continue;
    }
    const key = k.nodeIds.join(',');
    const group = groups.get(key) ?? { nodes: k.nodeIds.map((id) => nodeById.get(id)!.node), ms: 0, step: nodeById.get(k.nodeIds[0])!.step };
    if (!groups.has(key)) rows.push(group);
    group.ms += k.ms;
    groups.set(key, group);
  }
  const costByNode = new Map(costs.map((c) => [c.nodeId, c]));
  const layerSumMs = rows.reduce((a, g) => a + g.ms, 0);
  const byKind: Record<string, number> = Object.fromEntries(LAYER_KINDS.map((k) => [k, 0]));
  const layers = rows
    .sort((a, b) => a.step - b.step)
    .map(({ nodes, ms, transfer }): ProfiledLayer => {
      const cost = nodes.map((n) => costByNode.get(n.id));
      const kind = transfer ? HOST_TRANSFER : unique(nodes.map((n) => layerKind(graph, n))).join(' + ');
      byKind[kind] = (byKind[kind] ?? 0) + ms;
      const macs = cost.reduce((s, c) => s + (c?.macs ?? 0), 0);
      const macBytes = transfer ? transfer.bytes : cost.reduce((s, c) => s + (c?.macBytes ?? 0), 0);
      return {
        nodeIds: nodes.map((n) => n.id),
        name: transfer ? transfer.label : nodes.map((n) => n.origin).join(' + '),
        op: transfer ? 'transfer' : nodes.map((n) => n.op.kind).join('+'),
        kind,
        ms,
        share: layerSumMs > 0 ? ms / layerSumMs : 0,
        macs,
        gmacPerSecond: perSecond(macs, ms, 1e9),
        macBytes,
        gbPerSecond: perSecond(macBytes, ms, 1e9),
        guidelines: unique(cost.flatMap((c) => c?.guidelines ?? [])),
      };
    });
  return { layers, byKind, layerSumMs };
}
