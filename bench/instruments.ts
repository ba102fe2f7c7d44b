// One compiled model made ready to time on its target: the native benchmark harness (c, neon), the wasm module
// driven through its exports (wasm), or the emitted WebGPU module (wgsl). Every instrument returns the output of
// each call (so results can be checked against a peer) and, where the target allows, the model's own time apart
// from the per-call overhead. Instrumented builds also report the time of each kernel, by graph node.

import type { CompileResult } from '../api/compile.ts';
import { loadCompiled } from '../api/load-compiled.ts';
import { targetUnavailable } from '../api/target-unavailable.ts';
import type { Graph } from '../compiler/ir/types.ts';
import { acquireDevice, type AcquiredDevice } from '../runtime/webgpu-device.ts';
import { elementCount } from '../runtime/model-api.ts';
import type { WebGpuModel } from '../runtime/webgpu-model.ts';
import { safeOrigin } from '../targets/wgsl/wgsl-text.ts';
import { startNativeBench } from './native/native-bench.ts';
import type { KernelTime } from './profile/join-profile.ts';
import { profiledKernels } from './profile/profiled-kernels.ts';
import { startWasmBench } from './wasm/wasm-bench.ts';

export interface InstrumentCall {
  readonly output: Float32Array;
  readonly totalMs: number;
  readonly modelMs?: number;
  readonly cpuMs?: number;
  /** With `profile`: the time of each kernel of this call. */
  readonly kernels?: readonly KernelTime[];
}

export interface Instrument {
  call(input: Float32Array): Promise<InstrumentCall>;
  /** What the times were measured on, where the target leaves a choice (the WebGPU adapter and its clock). */
  readonly measuredOn?: string;
  dispose(): void;
}

const shapes = (graph: Graph) => ({
  inputShape: graph.values.get(graph.inputs[0])!.type.shape,
  outputShape: graph.values.get(graph.outputs[0])!.type.shape,
});

/**
 * Ready `result` (compiled for its target) for timing; `profile` asks for the instrumented build, `threads` > 1
 * runs c/neon through `<name>_run_parallel` (the other targets run on one thread).
 */
export async function startInstrument(result: CompileResult, profile = false, threads = 1): Promise<Instrument> {
  const { inputShape, outputShape } = shapes(result.graph);
  const target = result.target;
  if (target === 'c' || target === 'neon' || target === 'wasm') {
    const kernels = profile ? profiledKernels(result) : undefined;
    const common = { artifacts: result.artifacts, name: result.name, inputShape, outputShape, profileLayers: kernels?.length };
    const bench = target === 'wasm' ? await startWasmBench(common) : startNativeBench({ ...common, target, threads });
    return {
      async call(input) {
        const r = await bench.call(input);
        return { ...r, kernels: r.layerMs && kernels ? kernels.map((nodeId, i) => ({ nodeIds: [nodeId], ms: r.layerMs![i] })) : undefined };
      },
      dispose: () => bench.dispose(),
    };
  }
  if (target === 'wgsl') return startWebGpu(result, profile);
  throw new Error(`no benchmark instrument for target ${target}`);
}

/** A device from this process (whose `webgpu` package resolves, unlike a module in a temporary folder). */
async function webGpuDevice(): Promise<AcquiredDevice> {
  return acquireDevice().catch((e: unknown) => {
    throw targetUnavailable('wgsl', e);
  });
}

async function startWebGpu(result: CompileResult, profile: boolean): Promise<Instrument> {
  const gpu = await webGpuDevice();
  let model: WebGpuModel;
  try {
    model = (await loadCompiled(result, { device: gpu.device })) as WebGpuModel;
  } catch (e) {
    gpu.release();
    throw e;
  }
  const steps = profile ? stepNodes(result) : [];
  const timestamps = model.profileClock === 'timestamp-query';
  const bytes = (shape: readonly number[]) => 4 * elementCount(shape);
  const { inputShape, outputShape } = shapes(result.graph);
  return {
    measuredOn: `WebGPU adapter ${gpu.adapter}; ${timestamps ? 'GPU timestamp queries' : 'wall clock (no timestamp queries)'}`,
    async call(input) {
      if (profile) {
        const measured = await model.profile(input);
        const start = performance.now();
        const { output, gpuMs } = await model.runTimed(input);
        const kernels: KernelTime[] = measured.steps.map((ms, i) => ({ nodeIds: steps[i], ms }));
        // Without timestamps the headline is the whole call, so its upload and readback are rows of the profile.
        if (!timestamps) {
          kernels.unshift({ nodeIds: [], ms: measured.uploadMs, transfer: { label: 'input upload', bytes: bytes(inputShape), last: false } });
          kernels.push({ nodeIds: [], ms: measured.readbackMs, transfer: { label: 'output readback', bytes: bytes(outputShape), last: true } });
        }
        return { output, totalMs: performance.now() - start, modelMs: gpuMs, kernels };
      }
      const start = performance.now();
      const { output, gpuMs } = await model.runTimed(input);
      return { output, totalMs: performance.now() - start, modelMs: gpuMs };
    },
    dispose: () => {
      model.dispose();
      gpu.release();
    },
  };
}

/**
 * The graph node(s) of each WGSL dispatch: steps follow the compute nodes in order, naming them by sanitised origin
 * (", " between the nodes of a fused kernel).
 */
function stepNodes(result: CompileResult): number[][] {
  const manifest = result.artifacts.find((a) => a.path === `${result.name}.manifest.json`);
  if (!manifest) throw new Error(`the wgsl compilation has no ${result.name}.manifest.json`);
  const steps = (JSON.parse(String(manifest.contents)) as { steps: { node: string }[] }).steps;
  const nodes = result.graph.nodes.filter((n) => !result.plan.viewNodes.has(n.id));
  let at = 0;
  const next = (name: string): number => {
    while (at < nodes.length && safeOrigin(nodes[at].origin) !== name) at++;
    if (at === nodes.length) throw new Error(`wgsl step for node ${name} matches no compute node`);
    return nodes[at].id;
  };
  return steps.map((step) => step.node.split(', ').map(next));
}
