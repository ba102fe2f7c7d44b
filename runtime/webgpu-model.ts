// The WebGPU runtime: builds everything once (buffers, one shader module, pipelines, bind groups), then each
// run() writes the input, records every dispatch into one command encoder, submits once and reads back once.
// Works with any GPUDevice: a browser's, or Dawn's in Node, in core or compatibility mode.

/// <reference types="@webgpu/types" />
import type { Model } from './model-api.ts';
import { checkInput, elementCount, joinInputs, splitOutputs } from './model-api.ts';
import type { WebGpuModelDescription } from './webgpu-description.ts';
import { acquireDevice } from './webgpu-device.ts';
import { compileError, describeStep, WebGpuModelError } from './webgpu-errors.ts';
import { checkLimits, requirementsOf } from './webgpu-limits.ts';
import type { ShaderSource, WeightsSource } from './webgpu-weights.ts';
import { passTimer, timestampedDispatches, type PassTimer } from './webgpu-timestamps.ts';
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
  runAll(inputs: readonly Float32Array[]): Promise<Float32Array[]>;
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
  /** profileSteps() with the rest of a call timed too: the input upload and the output readback (wall clock). */
  profile(input: Float32Array): Promise<WebGpuProfile>;
  readonly profileClock: 'timestamp-query' | 'wall-clock';
  /**
   * run() that also returns the GPU time of its one compute pass (timestamp queries; undefined without the
   * feature): the model's own time, apart from what the call adds (upload, submit, readback).
   */
  runTimed(input: Float32Array): Promise<{ output: Float32Array; gpuMs?: number }>;
}

export interface WebGpuProfile {
  /** ms per dispatch, as profileSteps() returns them. */
  readonly steps: number[];
  readonly uploadMs: number;
  readonly readbackMs: number;
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
  const inputShapes = model.inputShapes ?? [model.inputShape];
  const outputShapes = model.outputShapes ?? [model.outputShape];
  const outputBytes = outputShapes.reduce((n, shape) => n + elementCount(shape), 0) * 4;
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

  let timer: PassTimer | undefined; // created on the first runTimed()

  /** Copies the outputs (one after another) into the readback buffer and returns them once mapped. */
  async function readOutput(encoder: GPUCommandEncoder): Promise<Float32Array> {
    encoder.copyBufferToBuffer(activations, model.outputOffset * 4, readback, 0, outputBytes);
    device.queue.submit([encoder.finish()]);
    await readback.mapAsync(MAP_READ);
    const result = new Float32Array(readback.getMappedRange().slice(0));
    readback.unmap();
    return result;
  }

  /** `input`: every graph input, one after another; `output` every output, one after another. */
  async function infer(input: Float32Array, timed = false): Promise<{ output: Float32Array; gpuMs?: number }> {
    if (input.length) device.queue.writeBuffer(activations, model.inputOffset * 4, input as Float32Array<ArrayBuffer>);
    const gpuTimer = timed && profileClock === 'timestamp-query' ? (timer ??= passTimer(device)) : undefined;
    const encoder = device.createCommandEncoder({ label: model.name });
    const pass = encoder.beginComputePass(gpuTimer ? { timestampWrites: gpuTimer.timestampWrites } : undefined);
    model.steps.forEach((_, i) => record(pass, i));
    pass.end();
    gpuTimer?.resolve(encoder);
    const output = await readOutput(encoder);
    return { output, gpuMs: gpuTimer ? await gpuTimer.read() : undefined };
  }

  async function profile(input: Float32Array): Promise<WebGpuProfile> {
    const uploadStart = performance.now();
    if (input.length) device.queue.writeBuffer(activations, model.inputOffset * 4, input as Float32Array<ArrayBuffer>);
    await device.queue.onSubmittedWorkDone();
    const uploadMs = performance.now() - uploadStart;
    const steps = profileClock === 'timestamp-query' ? await timestampedDispatches(device, model.steps.length, record) : await wallClockSteps();
    const readbackStart = performance.now();
    await readOutput(device.createCommandEncoder({ label: 'readback' }));
    return { steps, uploadMs, readbackMs: performance.now() - readbackStart };
  }

  /** Each dispatch submitted on its own and waited for. */
  async function wallClockSteps(): Promise<number[]> {
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

  /** `work` after the input is checked (a rejected promise otherwise) and every run already queued. */
  function checked<T>(input: Float32Array, work: () => Promise<T>): Promise<T> {
    try {
      checkInput(instance, input);
    } catch (e) {
      return Promise.reject(e);
    }
    return serialised(work);
  }

  /** Runs `work` after every run already queued, so the single readback buffer is never mapped twice. */
  function serialised<T>(work: () => Promise<T>): Promise<T> {
    if (disposed) return Promise.reject(new WebGpuModelError(`model ${model.name} was disposed`));
    const result = queue.then(work);
    queue = result.catch(() => undefined);
    return result;
  }

  /** The first output of a run (of several, the others follow it in the readback). */
  const first = (run: { output: Float32Array; gpuMs?: number }) =>
    outputShapes.length === 1 ? run : { ...run, output: run.output.slice(0, elementCount(model.outputShape)) };

  const instance: WebGpuModel = {
    inputShape: model.inputShape,
    outputShape: model.outputShape,
    device,
    dispatchesPerInference: model.steps.length,
    profileClock,
    ...(model.inputShapes || model.outputShapes ? { inputShapes, outputShapes } : {}),
    run(input: Float32Array): Promise<Float32Array> {
      return checked(input, async () => first(await infer(input)).output);
    },
    runAll(inputs: readonly Float32Array[]): Promise<Float32Array[]> {
      try {
        const joined = joinInputs(inputShapes, inputs);
        return serialised(async () => splitOutputs(outputShapes, (await infer(joined)).output));
      } catch (e) {
        return Promise.reject(e);
      }
    },
    runTimed(input: Float32Array): Promise<{ output: Float32Array; gpuMs?: number }> {
      return checked(input, async () => first(await infer(input, true)));
    },
    async profileSteps(input: Float32Array): Promise<number[]> {
      return (await instance.profile(input)).steps;
    },
    profile(input: Float32Array): Promise<WebGpuProfile> {
      return checked(input, () => profile(input));
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const b of [weightsBuffer, activations, readback]) b.destroy();
      timer?.destroy();
      release();
    },
  };
  return instance;
}
