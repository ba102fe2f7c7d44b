// A compiled wasm model instantiated for benchmarking: the emitted module's exports driven directly, so the
// copies in and out (what a Model user pays per call) are timed apart from `<name>_infer`. An instrumented build
// recompiles the emitted C with -DSNV2C_PROFILE and the same per-kernel hooks as the native harness, reading the
// clock through an imported function (wasm has no clock of its own).

import { elementCount } from '../../runtime/model-api.ts';
import { bindWasmExports, hasRelaxedSimd } from '../../runtime/wasm-model.ts';
import { buildWasm } from '../../targets/wasm/build-wasm.ts';
import type { CompiledBench, CompiledBenchOptions } from '../compiled-bench.ts';
import { profileHooksSource } from '../profile/profile-hooks.ts';
import { wasmExports } from '../../targets/wasm/glue.ts';

/** wasm has no clock: JavaScript's performance.now() comes in as an import. */
const WASM_CLOCK = '__attribute__((import_module("env"), import_name("snv2c_now_ms"))) double snv2c_now_ms(void);\n';

function artifactBytes(opts: CompiledBenchOptions, path: string): Uint8Array {
  const a = opts.artifacts.find((x) => x.path === path);
  if (!a || typeof a.contents === 'string') throw new Error(`the wasm compilation has no ${path}`);
  return a.contents;
}

/** The build the runtime would pick here (relaxed SIMD where the engine has it), instrumented on request. */
function wasmBytes(opts: CompiledBenchOptions, relaxed: boolean): Uint8Array {
  const layers = opts.profileLayers ?? 0;
  if (!layers) return artifactBytes(opts, `${opts.name}${relaxed ? '.relaxed' : ''}.wasm`);
  const sources = [...opts.artifacts.filter((a) => a.path.endsWith('.c') || a.path.endsWith('.h')), { path: `${opts.name}_profile.c`, contents: WASM_CLOCK + profileHooksSource(opts.name, layers, 'snv2c_now_ms()') }];
  const exports = [...wasmExports(opts.name), `${opts.name}_profile_layer_ms`, `${opts.name}_profile_reset`];
  return buildWasm(sources, exports, { relaxed, extraFlags: ['-DSNV2C_PROFILE'] });
}

export async function startWasmBench(opts: CompiledBenchOptions): Promise<CompiledBench> {
  const layers = opts.profileLayers ?? 0;
  const imports = { env: { snv2c_now_ms: () => performance.now() } };
  const relaxed = hasRelaxedSimd() && opts.artifacts.some((a) => a.path === `${opts.name}.relaxed.wasm`);
  const { instance } = await WebAssembly.instantiate(wasmBytes(opts, relaxed) as BufferSource, layers ? imports : {});
  const { fn, memory, inputPtr, outputPtr, infer } = bindWasmExports(instance, opts.name, artifactBytes(opts, `${opts.name}.weights.bin`));
  const inCount = elementCount(opts.inputShape);
  const outCount = elementCount(opts.outputShape);
  return {
    async call(input) {
      if (layers) fn('profile_reset')();
      const start = performance.now();
      new Float32Array(memory.buffer, inputPtr, inCount).set(input);
      const inferStart = performance.now();
      const cpuStart = process.cpuUsage();
      const status = infer();
      const modelMs = performance.now() - inferStart;
      const cpu = process.cpuUsage(cpuStart);
      if (status !== 0) throw new Error(`wasm model ${opts.name} failed (${status})`);
      const output = new Float32Array(memory.buffer, outputPtr, outCount).slice();
      const totalMs = performance.now() - start;
      const layerMs = layers ? new Float64Array(memory.buffer, fn('profile_layer_ms')(), layers).slice() : undefined;
      return { output, totalMs, modelMs, cpuMs: (cpu.user + cpu.system) / 1000, layerMs };
    },
    dispose: () => undefined,
  };
}
