// The WebGPU runtime's contract: errors that name the kernel and node, the no-adapter message, input checks,
// serialised concurrent runs, dispose, and limit checks against small devices.

import { expect } from 'chai';
import { GraphBuilder } from '../../../compiler/ir/graph-builder.ts';
import type { Graph } from '../../../compiler/ir/types.ts';
import { planMemory } from '../../../compiler/plan/plan-memory.ts';
import type { AcquiredDevice } from '../../../runtime/webgpu-device.ts';
import { acquireDevice } from '../../../runtime/webgpu-device.ts';
import { NO_ADAPTER_MESSAGE } from '../../../runtime/webgpu-errors.ts';
import { checkLimits, requirementsOf } from '../../../runtime/webgpu-limits.ts';
import { createWebGpuModel } from '../../../runtime/webgpu-model.ts';
import { emitWgslModel } from '../../../targets/wgsl/emit-model.ts';
import { configureMesaEnvironment, dawnCompatDevice, randomFloats } from './support.ts';

function twoConvs(): Graph {
  const b = new GraphBuilder();
  const x = b.addValue('x', { dtype: 'f32', shape: [1, 4, 6, 6] });
  const conv = (input: number, origin: string, groups: number) => {
    const w = b.addConst(`${origin}.w`, [4, 4 / groups, 3, 3], randomFloats((16 / groups) * 9, origin.length, 0.3));
    return b.addNode({ kind: 'conv2d', kernel: [3, 3], stride: [1, 1], pads: [1, 1, 1, 1], dilations: [1, 1], groups, activation: 'relu' }, [input, w], origin)[0];
  };
  b.inputs = [x];
  b.outputs = [conv(conv(x, "Conv 'first'", 4), "Conv 'second/dw'", 4)];
  return b.build();
}

describe('WebGPU runtime', () => {
  let gpu: AcquiredDevice;
  before(async () => {
    gpu = await dawnCompatDevice();
  });
  after(() => gpu?.release());

  it('maps a shader compile error back to its kernel and graph node', async () => {
    const g = twoConvs();
    const { description, wgsl, weights } = emitWgslModel(g, planMemory(g), 'broken');
    const [, second] = description.steps;
    const lines = wgsl.split('\n');
    const target = lines.findIndex((l, i) => i >= second.lines[0] && l.includes('acc +='));
    lines[target] = lines[target].replace('acc +=', 'acc += undefined_name +');
    const error = await createWebGpuModel(description, { device: gpu.device, weights, wgsl: lines.join('\n') }).then(() => null, (e: Error) => e);
    expect(error?.message).to.match(/kernel k1 \(depthwise\) for node Conv__second\/dw_, line \d+:\d+: .*undefined_name/);
    expect(error?.message).to.not.include('\n');
  });

  it('rejects wrong input sizes, serialises concurrent runs, and refuses runs after dispose', async () => {
    const g = twoConvs();
    const { description, wgsl, weights } = emitWgslModel(g, planMemory(g), 'ok');
    const model = await createWebGpuModel(description, { device: gpu.device, weights, wgsl });
    const wrong = await model.run(new Float32Array(3)).then(() => null, (e: Error) => e);
    expect(wrong).to.be.instanceOf(RangeError).with.property('message').that.matches(/needs 144/);
    const a = randomFloats(144, 1);
    const b = randomFloats(144, 2);
    const [ra, rb, ra2] = await Promise.all([model.run(a), model.run(b), model.run(a)]);
    expect(Array.from(ra2)).to.deep.equal(Array.from(ra));
    expect(Array.from(rb)).to.not.deep.equal(Array.from(ra));
    model.dispose();
    const after = await model.run(a).then(() => null, (e: Error) => e.message);
    expect(after).to.match(/disposed/);
  });

  it('profiles every step: wall-clock per dispatch on Dawn/GLES, which has no timestamp queries', async () => {
    const g = twoConvs();
    const { description, wgsl, weights } = emitWgslModel(g, planMemory(g), 'profiled');
    const model = await createWebGpuModel(description, { device: gpu.device, weights, wgsl });
    try {
      expect(model.profileClock).to.equal(gpu.device.features.has('timestamp-query') ? 'timestamp-query' : 'wall-clock');
      const times = await model.profileSteps(randomFloats(144, 3));
      expect(times).to.have.length(description.steps.length);
      for (const t of times) expect(t).to.be.a('number').and.at.least(0);
    } finally {
      model.dispose();
    }
  });

  it('refuses weights of the wrong length', async () => {
    const g = twoConvs();
    const { description, wgsl } = emitWgslModel(g, planMemory(g), 'w');
    const error = await createWebGpuModel(description, { device: gpu.device, weights: new Float32Array(3), wgsl }).then(() => null, (e: Error) => e.message);
    expect(error).to.match(/weights hold 12 bytes, the model expects \d+/);
  });

  it('names the first device limit a model exceeds', () => {
    const g = twoConvs();
    const { description } = emitWgslModel(g, planMemory(g), 'limits');
    const needs = requirementsOf(description);
    expect(needs.storageBuffersPerStage).to.equal(3);
    const small = { ...gpu.device.limits, maxStorageBufferBindingSize: 64, maxStorageBuffersPerShaderStage: 4, maxComputeInvocationsPerWorkgroup: 128, maxComputeWorkgroupSizeX: 128, maxBufferSize: 1 << 28, maxComputeWorkgroupsPerDimension: 65535, minStorageBufferOffsetAlignment: 256 } as GPUSupportedLimits;
    expect(() => checkLimits(small, needs)).to.throw(/maxStorageBufferBindingSize = 64, the model needs \d+/);
    expect(() => checkLimits({ ...small, maxStorageBufferBindingSize: 1 << 27 } as GPUSupportedLimits, needs)).to.not.throw();
  });

  it('without any adapter, says how to get one', async () => {
    const error = await acquireDevice({}, []).then(() => null, (e: Error) => e.message);
    expect(error).to.equal(NO_ADAPTER_MESSAGE);
  });

  it('acquires its own device when none is given (default backends, then GLES) and releases it on dispose', async () => {
    configureMesaEnvironment();
    const g = twoConvs();
    const { description, wgsl, weights } = emitWgslModel(g, planMemory(g), 'own');
    const mine = await createWebGpuModel(description, { device: gpu.device, weights, wgsl });
    const own = await createWebGpuModel(description, { weights, wgsl });
    try {
      expect(own.device).to.not.equal(gpu.device);
      const x = randomFloats(144, 5);
      expect(Array.from(await own.run(x))).to.deep.equal(Array.from(await mine.run(x)));
    } finally {
      own.dispose();
      mine.dispose();
    }
  });
});
