// Targets that `snv2c run` can execute, by name. Each entry loads its implementation lazily, so starting the
// CLI never pulls in a compiler toolchain it does not use. A target adds itself with one line in RUNNERS.

import type { Graph } from '../compiler/ir/types.ts';
import type { PipelineOptions } from '../compiler/pipeline.ts';
import { lazyRegistry } from './lazy-registry.ts';

export interface RunRequest {
  readonly graph: Graph;
  /** One flat float32 buffer per graph input, in graph.inputs order, shaped as the graph says. */
  readonly inputs: readonly Float32Array[];
  /** The model argument as given (for messages and naming build products). */
  readonly model: string;
  /** Pass flags for targets that compile (--disable-pass, --dump-after, --time-passes). */
  readonly pipeline?: PipelineOptions;
}

export interface Runner {
  /** One flat float32 buffer per graph output. */
  run(request: RunRequest): Promise<Float32Array[]>;
}

const RUNNERS = lazyRegistry<Runner>({
  reference: { description: 'the reference interpreter (plain TypeScript, fp32)', load: () => import('./runners/reference.ts').then((m) => m.referenceRunner) },
  c: { description: 'emitted C built with the system compiler (cached native harness)', load: () => import('./runners/compiled.ts').then((m) => m.compiledRunner('c')) },
  neon: { description: 'emitted NEON C (aarch64; cross-built and run under qemu-aarch64 on other hosts)', load: () => import('./runners/compiled.ts').then((m) => m.compiledRunner('neon')) },
  wasm: { description: 'emitted C built to WebAssembly with clang, run in Node', load: () => import('./runners/compiled.ts').then((m) => m.compiledRunner('wasm')) },
  wgsl: { description: 'WGSL compute shaders on WebGPU in Node (Dawn: a GPU, or OpenGL ES on Mesa)', load: () => import('./runners/wgsl.ts').then((m) => m.wgslRunner) },
});

export const runnerNames = (): string[] => RUNNERS.names();

export const loadRunner = (name: string): Promise<Runner> => RUNNERS.load(name);
