// The whole `snv2c analyze` result: the model as given ("before"), the compiled graph under its memory plan
// ("after"), the arena figures, and the JSON form printed by `--json`.

import type { Graph } from '../ir/types.ts';
import type { MemoryPlan } from '../plan/types.ts';
import { formatBytes } from './format.ts';
import { countFusedEpilogues, type FusedEpilogues } from './fused-epilogues.ts';
import { analyzeCost, type AnalyzeOptions, type CostReport, type LayerReport } from './analyze-cost.ts';

export interface MemoryFigures {
  /** The whole arena: the plan's activations, then the target's kernel scratch (what <NAME>_ARENA_BYTES declares). */
  readonly arenaBytes: number;
  /** The memory plan's activations. */
  readonly plannedBytes: number;
  /** The target's kernel scratch after them (stem tap rows, classifier sums, tile accumulators); undefined: no target. */
  readonly scratchBytes?: number;
  /** Largest set of simultaneously live activation bytes under the schedule: no plan can use less. */
  readonly arenaLowerBoundBytes: number;
  /** All arena activations as if none shared memory. */
  readonly activationBytes: number;
  /** Names of nodes that still copy data (view-kind ops the plan had to materialise). */
  readonly copyNodes: readonly string[];
}

export interface ModelAnalysis {
  readonly before: CostReport;
  readonly after: CostReport;
  readonly memory: MemoryFigures;
  readonly inputShapes: readonly (readonly number[])[];
  /** Element-wise ops the compiled graph applies inside conv epilogues. */
  readonly fused: FusedEpilogues;
}

export function analyzeModel(imported: Graph, compiled: Graph, plan: MemoryPlan, opts: Omit<AnalyzeOptions, 'plan'> = {}, scratchBytes?: number): ModelAnalysis {
  const copies = compiled.nodes.filter((n) => plan.copyNodes?.has(n.id)).map((n) => n.origin);
  return {
    before: analyzeCost(imported, opts),
    after: analyzeCost(compiled, { ...opts, plan }),
    memory: {
      arenaBytes: 4 * plan.arenaFloats + (scratchBytes ?? 0),
      plannedBytes: 4 * plan.arenaFloats,
      scratchBytes,
      arenaLowerBoundBytes: 4 * plan.lowerBoundFloats,
      activationBytes: 4 * plan.totalActivationFloats,
      copyNodes: copies,
    },
    inputShapes: imported.inputs.map((id) => imported.values.get(id)!.type.shape),
    fused: countFusedEpilogues(compiled),
  };
}

/** The report line on the kernel scratch: its size, or why it is not counted. */
export function scratchSummary(m: MemoryFigures): string {
  if (m.scratchBytes === undefined) return 'kernel scratch not counted: it depends on the target (analyze --target c | neon | wasm)';
  if (m.scratchBytes === 0) return 'kernel scratch: none';
  return `kernel scratch ${formatBytes(m.scratchBytes)} (${m.scratchBytes} B) after the activations: stem tap rows, classifier sums, tile accumulators`;
}

/** How the arena splits, for the first report line: the parts behind the total, once a target is known. */
export const arenaParts = (m: MemoryFigures): string => (m.scratchBytes === undefined ? 'activations only' : 'activations + kernel scratch, the arena the emitted code declares');

const layerJson = (l: LayerReport) => ({
  name: l.name,
  op: l.op,
  category: l.category,
  macs: l.macs,
  flops: l.flops,
  params: l.params,
  outputElements: l.outputElements,
  macBytes: l.macBytes,
  movedBytes: l.movedBytes,
  intensity: l.intensity,
  guidelines: l.guidelines,
});

const reportJson = (r: CostReport) => ({
  totals: r.totals,
  guidelines: r.findings.map((f) => ({ id: f.id, title: f.title, flagged: f.flagged, summary: f.summary, figures: f.figures })),
});

/**
 * The `--json` document. `totals` describes what runs (the compiled graph and its plan) except `params`, which
 * counts the model as given (PyTorch's count: BN weight and bias included, running statistics not).
 * `layers` are the compiled graph's nodes, `layersBefore` the imported graph's.
 */
export function analysisJson(a: ModelAnalysis) {
  const after = a.after.totals;
  return {
    inputShapes: a.inputShapes,
    totals: {
      macs: after.macs,
      params: a.before.totals.params,
      macBytes: after.macBytes,
      movedBytes: after.movedBytes,
      arenaBytes: a.memory.arenaBytes,
      arenaLowerBoundBytes: a.memory.arenaLowerBoundBytes,
      activationBytes: a.memory.activationBytes,
      flops: after.flops,
      intensity: after.intensity,
      kernels: after.kernels,
    },
    before: reportJson(a.before),
    after: reportJson(a.after),
    memory: a.memory,
    fused: a.fused,
    layers: a.after.layers.map(layerJson),
    layersBefore: a.before.layers.map(layerJson),
  };
}
