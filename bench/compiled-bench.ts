// What the C/NEON and wasm benchmark drivers share: the compiled model they start from, and what one timed call
// returns (the model's own time measured apart from the call, and per-kernel times in an instrumented build).

import type { Artifact } from '../compiler/target.ts';

export interface CompiledBenchOptions {
  readonly artifacts: readonly Artifact[];
  /** The validated model name the artifacts were emitted under. */
  readonly name: string;
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  /** Instrumented build (-DSNV2C_PROFILE) reporting this many kernels per run. */
  readonly profileLayers?: number;
}

export interface CompiledCall {
  readonly output: Float32Array;
  /** The whole call as a user of the Model API pays it: input in, inference, output back. */
  readonly totalMs: number;
  /** `<name>_run` / `<name>_infer` alone. */
  readonly modelMs: number;
  /** CPU time of the process during it (all threads): what a loaded machine cannot inflate by preemption. */
  readonly cpuMs: number;
  /** Per-kernel ms of this call (instrumented builds only), in profile-slot order. */
  readonly layerMs?: Float64Array;
}

export interface CompiledBench {
  call(input: Float32Array): Promise<CompiledCall>;
  dispose(): void;
}
