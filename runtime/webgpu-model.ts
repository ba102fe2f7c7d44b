// The WebGPU runtime: builds everything once (buffers, one shader module, pipelines, bind groups), then each
// run() writes the input, records every dispatch into one command encoder, submits once and reads back once.
// Works with any GPUDevice: a browser's, or Dawn's in Node, in core or compatibility mode.

/// <reference types="@webgpu/types" />
import type { Model } from './model-api.ts';
import { checkInput, elementCount } from './model-api.ts';
import type { WebGpuModelDescription } from './webgpu-description.ts';
import { acquireDevice } from './webgpu-device.ts';
import { compileError, describeStep, WebGpuModelError } from './webgpu-errors.ts';
import { checkLimits, requirementsOf } from './webgpu-limits.ts';
import type { ShaderSource, WeightsSource } from './webgpu-weights.ts';
import { timestampedDispatches } from './webgpu-timestamps.ts';
import { loadShader, loadWeights } from './webgpu-weights.ts';

export interface WebGpuModelOptions {
  /** Use this device (the caller keeps owning it); otherwise one is acquired and destroyed by dispose(). */
  readonly device?: GPUDevice;
  /** Weights bytes or where to load them from; the emitted module defaults to `<name>.weights.bin` next to itself. */
  readonly weights?: WeightsSource;
  /** The WGSL code, or where to load it from; the emitted module defaults to `<name>.wgsl` next to itself. */
  readonly wgsl?: ShaderSource;
}

export interface WebGpuModel extends Model {
  run(input: Float32Array): Promise<Float32Array>;
  readonly device: GPUDevice;
  /** Compute dispatches recorded per run() (views cost none). */
  readonly dispatchesPerInference: number;
  /**
   * One inference timed per dispatch, returning ms per step (in the order of the description's steps). With the
   * device's 'timestamp-query' feature these are GPU times from timestamp queries; without it (profileClock
   * 'wall-clock') every dispatch is submitted on its own and waited for, so each figure includes a submit and a
   * queue round trip and their sum exceeds run()'s time.
   */
  profileSteps(input: Float32Array): Promise<number[]>;
  readonly profileClock: 'timestamp-query' | 'wall-clock';
}

// The numeric values of the WebGPU flag namespaces, so a device from any implementation works even where the
// GPUBufferUsage / GPUMapMode globals are not installed (Dawn in Node).
const USAGE = { MAP_READ: 0x1, COPY_SRC: 0x4, COPY_DST: 0x8, STORAGE: 0x80 } as const;
const MAP_READ = 0x1;
const COMPUTE_STAGE = 0x4;

export async function createWebGpuModel(model: WebGpuModelDescription, options: WebGpuModelOptions = {}): Promise<WebGpuModel> {
  if (!options.weights) throw new WebGpuModelError(`model ${model.name}: no weights given`);
  if (options.wgsl === undefined) throw new WebGpuModelError(`model ${model.name}: no WGSL given`);
  const [weights, wgsl] = await Promise.all([loadWeights(options.weights, model.weightsFloats), loadShader(options.wgsl)]);
  const needs = requirementsOf(model);
  const acquired = options.device ? undefined : await acquireDevice({ maxStorageBufferBindingSize: needs.maxBindingBytes, maxBufferSize: needs.maxBufferBytes });
  const device = options.device ?? acquired!.device;
  try {
    checkLimits(device.limits, needs);
    return await build(model, wgsl, device, weights, () => acquired?.release());
  } catch (e) {
    acquired?.release();
    throw e;
  }
}

async function build(model: WebGpuModelDescription, wgsl: string, device: GPUDevice, weights: Float32Array, release: () => void): Promise<WebGpuModel> {
  device.pushErrorScope('validation');
  const module = device.createShaderModule({ label: `${model.name}.wgsl`, code: wgsl });
  const info = await module.getCompilationInfo();
  const errors = info.messages.filter((m) => m.type === 'error');
  if (errors.length) {
    await device.popErrorScope();
    throw compileError(model, errors);
  }

  const bindGroupLayout = device.createBindGroupLayout({
    entries: [
      { binding: 0, visibility: COMPUTE_STAGE, buffer: { type: 'read-only-storage' } },
      { binding: 1, visibility: COMPUTE_STAGE, buffer: { type: 'storage' } },
      { binding: 2, visibility: COMPUTE_STAGE, buffer: { type: 'read-only-storage' } },
    ],
  });
  const layout = device.createPipelineLayout({ bindGroupLayouts: [bindGroupLayout] });
  const pipelines = await Promise.all(
    model.steps.map((step) =>
      device.createComputePipelineAsync({ label: step.entryPoint, layout, compute: { module, entryPoint: step.entryPoint } }).catch((e: Error) => {
        throw new WebGpuModelError(`${describeStep(step)}: pipeline creation failed: ${e.message}`);
      }),
    ),
  );

  const weightsBuffer = device.createBuffer({ label: 'weights', size: weights.byteLength, usage: USAGE.STORAGE | USAGE.COPY_DST });
  device.queue.writeBuffer(weightsBuffer, 0, weights as Float32Array<ArrayBuffer>);
  const activations = device.createBuffer({ label: 'activations', size: model.activationFloats * 4, usage: USAGE.STORAGE | USAGE.COPY_DST | USAGE.COPY_SRC });
  const outputBytes = elementCount(model.outputShape) * 4;
  const readback = device.createBuffer({ label: 'readback', size: outputBytes, usage: USAGE.MAP_READ | USAGE.COPY_DST });
  const bindGroups = model.steps.map((step) =>
    device.createBindGroup({
      label: step.entryPoint,
      layout: bindGroupLayout,
      entries: [
        { binding: 0, resource: { buffer: weightsBuffer, offset: step.weightsOffset * 4, size: step.weightsLength * 4 } },
        { binding: 1, resource: { buffer: activations } },
        // The same weight block again, viewed as floats (scalar reads) where binding 0 views it as vec4s.
        { binding: 2, resource: { buffer: weightsBuffer, offset: step.weightsOffset * 4, size: step.weightsLength * 4 } },
      ],
    }),
  );
  const setupError = await device.popErrorScope();
  if (setupError) throw new WebGpuModelError(`model ${model.name}: WebGPU setup failed: ${setupError.message}`);

  let queue: Promise<unknown> = Promise.resolve();
  let disposed = false;

  /** Records step i's dispatch into `pass`. */
  const record = (pass: GPUComputePassEncoder, i: number) => {
    const step = model.steps[i];
    pass.setPipeline(pipelines[i]);
    pass.setBindGroup(0, bindGroups[i]);
    pass.dispatchWorkgroups(step.workgroups[0], step.workgroups[1], step.workgroups[2]);
  };
  const profileClock = device.features.has('timestamp-query') ? 'timestamp-query' : 'wall-clock';

  async function infer(input: Float32Array): Promise<Float32Array> {
    device.queue.writeBuffer(activations, model.inputOffset * 4, input as Float32Array<ArrayBuffer>);
    const encoder = device.createCommandEncoder({ label: model.name });
    const pass = encoder.beginComputePass();
    model.steps.forEach((_, i) => record(pass, i));
    pass.end();
    encoder.copyBufferToBuffer(activations, model.outputOffset * 4, readback, 0, outputBytes);
    device.queue.submit([encoder.finish()]);
    await readback.mapAsync(MAP_READ);
    const result = new Float32Array(readback.getMappedRange().slice(0));
    readback.unmap();
    return result;
  }

  async function profile(input: Float32Array): Promise<number[]> {
    device.queue.writeBuffer(activations, model.inputOffset * 4, input as Float32Array<ArrayBuffer>);
    if (profileClock === 'timestamp-query') return timestampedDispatches(device, model.steps.length, record);
    await device.queue.onSubmittedWorkDone();
    const times: number[] = [];
    for (let i = 0; i < model.steps.length; i++) {
      const step = model.steps[i];
      const start = performance.now();
      const encoder = device.createCommandEncoder({ label: step.entryPoint });
      const pass = encoder.beginComputePass();
      record(pass, i);
      pass.end();
      device.queue.submit([encoder.finish()]);
      await device.queue.onSubmittedWorkDone();
      times.push(performance.now() - start);
    }
    return times;
  }

  /** Runs `work` after every run already queued, so the single readback buffer is never mapped twice. */
  function serialised<T>(work: () => Promise<T>): Promise<T> {
    if (disposed) return Promise.reject(new WebGpuModelError(`model ${model.name} was disposed`));
    const result = queue.then(work);
    queue = result.catch(() => undefined);
    return result;
  }

  const instance: WebGpuModel = {
    inputShape: model.inputShape,
    outputShape: model.outputShape,
    device,
    dispatchesPerInference: model.steps.length,
    profileClock,
    run(input: Float32Array): Promise<Float32Array> {
      try {
        checkInput(instance, input);
      } catch (e) {
        return Promise.reject(e);
      }
      return serialised(() => infer(input));
    },
    profileSteps(input: Float32Array): Promise<number[]> {
      try {
        checkInput(instance, input);
      } catch (e) {
        return Promise.reject(e);
      }
      return serialised(() => profile(input));
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const b of [weightsBuffer, activations, readback]) b.destroy();
      release();
    },
  };
  return instance;
}
