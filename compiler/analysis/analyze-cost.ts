// Cost analysis of one graph: per-layer costs, totals and the G1-G4 findings. An analysis never rewrites.
// With a memory plan, view nodes (split/concat/shuffle as channel bookkeeping) cost nothing; without one the
// graph is costed as a conventional runtime executes it, every node a kernel and every movement op a copy.

import type { Graph } from '../ir/types.ts';
import type { MemoryPlan } from '../plan/types.ts';
import { findUnits, type Unit } from './fragmentation.ts';
import { checkGuidelines, type GuidelineFinding, type GuidelineId, type GuidelineOptions } from './guidelines.ts';
import { layerCost, type CostMeasures, type LayerCost } from './layer-cost.ts';

export interface LayerReport extends LayerCost {
  readonly guidelines: readonly GuidelineId[];
}

/** The layer measures summed over the graph; intensity is the graph's FLOPs per MAC byte. */
export interface CostTotals extends CostMeasures {
  /** Nodes that run code (everything but views). */
  readonly kernels: number;
  readonly views: number;
}

export interface CostReport {
  readonly layers: readonly LayerReport[];
  readonly totals: CostTotals;
  readonly findings: readonly GuidelineFinding[];
  readonly units: readonly Unit[];
}

export interface AnalyzeOptions extends GuidelineOptions {
  readonly plan?: MemoryPlan;
}

export function analyzeCost(graph: Graph, opts: AnalyzeOptions = {}): CostReport {
  const counted = new Set<number>();
  const costs = graph.nodes.map((node) => layerCost(graph, node, opts.plan?.viewNodes.has(node.id) ?? false, counted));
  const units = findUnits(graph);
  const stepOf = new Map(graph.nodes.map((n, t) => [n.id, t]));
  const { findings, flags } = checkGuidelines(costs, units, stepOf, opts);
  const layers = costs.map((c) => ({ ...c, guidelines: flags.get(c.nodeId)! }));
  const sum = (key: Exclude<keyof CostMeasures, 'intensity'>) => layers.reduce((s, l) => s + l[key], 0);
  const macBytes = sum('macBytes');
  const views = layers.filter((l) => l.category === 'view').length;
  const totals: CostTotals = {
    macs: sum('macs'),
    flops: sum('flops'),
    params: sum('params'),
    outputElements: sum('outputElements'),
    macBytes,
    movedBytes: sum('movedBytes'),
    intensity: macBytes > 0 ? sum('flops') / macBytes : 0,
    kernels: layers.length - views,
    views,
  };
  return { layers, totals, findings, units };
}
