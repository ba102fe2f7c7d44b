// What a backend provides. compiler/ never imports targets/: the library API (api/) picks a Target and hands it to the pipeline.

import type { EpilogueSupport } from './ir/conv-epilogue.ts';
import type { Graph } from './ir/types.ts';
import type { Pass } from './passes/pass.ts';
import type { KernelGroup, MemoryPlan } from './plan/types.ts';

export interface Artifact {
  /** Path relative to the output directory. */
  readonly path: string;
  readonly contents: string | Uint8Array;
}

export interface EmitOptions {
  /** C identifier-safe model name (validated by the library API): prefixes every emitted symbol and file. */
  readonly name: string;
  /** Target-specific emit options (e.g. `pthreads` for c/neon); a target ignores keys it does not know. */
  readonly emit?: Readonly<Record<string, unknown>>;
}

export interface Target {
  readonly name: string;
  /** Extra passes this backend wants after the shared pipeline (may be empty). */
  readonly passes: readonly Pass[];
  /** Conv epilogues this backend renders (compiler/ir/conv-epilogue.ts); absent: a fused ReLU only. */
  readonly epilogues?: EpilogueSupport;
  /**
   * Nodes this backend emits as one kernel (e.g. a depthwise conv and the 1x1 conv reading it). The plan must
   * know them (planForTarget), since a fused kernel still reads its first member's inputs while it writes; emit
   * fuses only the groups the plan it is given honours.
   */
  kernelGroups?(graph: Graph): readonly KernelGroup[];
  emit(graph: Graph, plan: MemoryPlan, options: EmitOptions): Artifact[];
  /**
   * Bytes the emitted arena holds beyond the plan's activations (kernel scratch after them), so that reports show
   * the arena the artifacts declare. Absent: none.
   */
  scratchBytes?(graph: Graph, plan: MemoryPlan): number;
}
