// A compiled C/NEON model under the benchmark harness (bench-main.ts): built from the emitted sources into the
// native build cache, run as one child process, each call returning the output, the model's own time measured
// inside the process and, for an instrumented build, the time of every kernel.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeArtifactsSync } from '../../api/write-artifacts.ts';
import { elementCount } from '../../runtime/model-api.ts';
import { buildNativeHarness, type NativeTarget } from '../../runtime/native-build.ts';
import { PipeClient } from '../../runtime/pipe-client.ts';
import type { CompiledBench, CompiledBenchOptions } from '../compiled-bench.ts';
import { benchMainSource } from './bench-main.ts';

export interface NativeBenchOptions extends CompiledBenchOptions {
  readonly target: NativeTarget;
  /** Threads per inference (the emitted <name>_run_parallel on a POSIX pool); default 1. */
  readonly threads?: number;
  /** The C compiler (default: $CC, else cc). */
  readonly cc?: string;
}

export function startNativeBench(opts: NativeBenchOptions): CompiledBench {
  const layers = opts.profileLayers ?? 0;
  // The sources only need to exist while the compiler runs: the executable lands in the build cache.
  const scratch = mkdtempSync(join(tmpdir(), 'snv2c-bench-'));
  let command: readonly string[];
  try {
    const dir = join(scratch, 'src');
    writeArtifactsSync(dir, opts.artifacts.filter((a) => a.path.endsWith('.c') || a.path.endsWith('.h')));
    const harness = benchMainSource({ name: opts.name, profileLayers: layers, threads: opts.threads });
    command = buildNativeHarness({ dir, name: opts.name, target: opts.target, cc: opts.cc, harness, threads: opts.threads, extraFlags: layers ? ['-DSNV2C_PROFILE'] : [] }).command;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return pipeBench(command, `${opts.target} bench harness`, elementCount(opts.outputShape), layers);
}

/**
 * A process speaking the harness's protocol (bench-main.ts: input floats in; output floats, model ms, CPU ms and
 * `layers` kernel ms out), as a CompiledBench: snv2c's harness, or a peer written to the same protocol.
 */
export function pipeBench(command: readonly string[], label: string, outFloats: number, layers = 0): CompiledBench {
  const client = new PipeClient(command, label);
  const replyBytes = outFloats * 4 + 16 + layers * 8;
  return {
    async call(input) {
      const start = performance.now();
      const reply = await client.request(new Uint8Array(input.buffer, input.byteOffset, input.byteLength), replyBytes);
      const totalMs = performance.now() - start;
      const output = new Float32Array(reply.buffer, 0, outFloats);
      // The doubles follow the floats, so they may sit at an offset that is not a multiple of 8: copy them out.
      const [modelMs, cpuMs] = new Float64Array(reply.buffer.slice(outFloats * 4, outFloats * 4 + 16));
      const layerMs = layers ? new Float64Array(reply.buffer.slice(outFloats * 4 + 16)) : undefined;
      return { output, totalMs, modelMs, cpuMs, layerMs };
    },
    dispose: () => client.dispose(),
  };
}
