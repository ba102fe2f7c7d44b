// Targets that `snv2c run` can execute, by name. Each entry loads its implementation lazily, so starting the
// CLI never pulls in a compiler toolchain it does not use. A target adds itself with one line in RUNNERS.

import type { Graph } from '../compiler/ir/types.ts';
import { CompileError } from '../compiler/ir/errors.ts';
import type { PipelineOptions } from '../compiler/pipeline.ts';

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

interface RunnerEntry {
  readonly description: string;
  readonly load: () => Promise<Runner>;
}

const RUNNERS: Readonly<Record<string, RunnerEntry>> = {
  reference: { description: 'the reference interpreter (plain TypeScript, fp32)', load: () => import('./runners/reference.ts').then((m) => m.referenceRunner) },
  c: { description: 'emitted C built with the system compiler (cached native harness)', load: () => import('./runners/compiled.ts').then((m) => m.compiledRunner('c')) },
  neon: { description: 'emitted NEON C (aarch64; cross-built and run under qemu-aarch64 on other hosts)', load: () => import('./runners/compiled.ts').then((m) => m.compiledRunner('neon')) },
  wasm: { description: 'emitted C built to WebAssembly with clang, run in Node', load: () => import('./runners/compiled.ts').then((m) => m.compiledRunner('wasm')) },
  wgsl: { description: 'WGSL compute shaders on WebGPU in Node (Dawn: a GPU, or OpenGL ES on Mesa)', load: () => import('./runners/wgsl.ts').then((m) => m.wgslRunner) },
};

export function runnerNames(): string[] {
  return Object.keys(RUNNERS);
}

export async function loadRunner(name: string): Promise<Runner> {
  const entry = Object.hasOwn(RUNNERS, name) ? RUNNERS[name] : undefined;
  if (!entry) {
    const list = Object.entries(RUNNERS).map(([n, e]) => `${n} (${e.description})`).join(', ');
    throw new CompileError(`unknown target ${JSON.stringify(name.slice(0, 40))}; available: ${list}`);
  }
  return entry.load();
}
