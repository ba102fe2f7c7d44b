// Each WGSL kernel on small hand-built graphs (post-pipeline form), on Dawn/Mesa in compatibility mode:
// a hand-derived case, then odd shapes, padding, strides, groups, batch 2 and routed (shuffled/split)
// operands checked against the reference interpreter.

import { expect } from 'chai';
import { GraphBuilder } from '../../../compiler/ir/graph-builder.ts';
import type { Activation, Graph, Op, Pads4, Pair } from '../../../compiler/ir/types.ts';
import { runGraph } from '../../../compiler/interpreter/run-graph.ts';
import { planForTarget, planMemory } from '../../../compiler/plan/plan-memory.ts';
import type { AcquiredDevice } from '../../../runtime/webgpu-device.ts';
import { createWebGpuModel } from '../../../runtime/webgpu-model.ts';
import { emitWgslModel } from '../../../targets/wgsl/emit-model.ts';
import { wgslTarget } from '../../../targets/wgsl/wgsl-target.ts';
import { dawnCompatDevice, maxAbsDiff, randomFloats, TestNet } from './support.ts';

let gpu: AcquiredDevice;

/** `fused`: plan with the target's kernel groups (what the CLI does), so groups run as one kernel. */
async function runOnGpu(graph: Graph, input: Float32Array, fused = false): Promise<{ output: Float32Array; dispatches: number; kernels: string[] }> {
  const plan = fused ? planForTarget(graph, wgslTarget) : planMemory(graph);
  const { description, wgsl, weights } = emitWgslModel(graph, plan, 'case');
  const model = await createWebGpuModel(description, { device: gpu.device, weights, wgsl });
  try {
    return { output: await model.run(input), dispatches: model.dispatchesPerInference, kernels: description.steps.map((s) => s.kernel) };
  } finally {
    model.dispose();
  }
}

async function expectMatchesInterpreter(graph: Graph, seed = 1, fused = false): Promise<string[]> {
  const shape = graph.values.get(graph.inputs[0])!.type.shape;
  const input = randomFloats(shape.reduce((a, b) => a * b, 1), seed);
  const { output, kernels } = await runOnGpu(graph, input, fused);
  const [reference] = runGraph(graph, [input]);
  // f32 rounding grows with the magnitude of the sums: 1e-5 absolute, or 1e-6 of the largest logit beyond 10.
  const scale = Math.max(10, ...Array.from(reference, Math.abs));
  expect(maxAbsDiff(output, reference)).to.be.at.most(1e-6 * scale);
  return kernels;
}

class Net extends TestNet {
  constructor(shape: number[]) {
    super(100, [{ name: 'x', shape }], 0.5);
  }
  shape(id: number): readonly number[] {
    return this.b.value(id).type.shape;
  }
  conv(x: number, out: number, o: { k?: Pair; stride?: Pair; pads?: Pads4; dil?: Pair; groups?: number; act?: Activation; bias?: boolean; residual?: number } = {}): number {
    const k = o.k ?? [1, 1];
    const groups = o.groups ?? 1;
    const w = this.const([out, this.shape(x)[1] / groups, k[0], k[1]]);
    const inputs = o.bias === false ? [x, w] : [x, w, this.const([out]), ...(o.residual === undefined ? [] : [o.residual])];
    const op: Op = {
      kind: 'conv2d', kernel: k, stride: o.stride ?? [1, 1], pads: o.pads ?? [0, 0, 0, 0], dilations: o.dil ?? [1, 1], groups, activation: o.act ?? 'none',
      ...(o.residual === undefined ? {} : { residual: true as const }),
    };
    return this.b.addNode(op, inputs, `Conv c${this.seed}`)[0];
  }
}

describe('wgsl kernels on Dawn (GLES, compatibility mode)', () => {
  before(async () => {
    gpu = await dawnCompatDevice();
  });
  after(() => gpu?.release());

  it('1x1 conv by hand: 3 output channels (a partial block of 4), bias and ReLU', async () => {
    const b = new GraphBuilder();
    const x = b.addValue('x', { dtype: 'f32', shape: [1, 2, 1, 2] });
    const w = b.addConst('w', [3, 2, 1, 1], Float32Array.of(1, 10, -1, 0, 0.5, 0.5));
    const bias = b.addConst('b', [3], Float32Array.of(0, 1, 0));
    const [y] = b.addNode({ kind: 'conv2d', kernel: [1, 1], stride: [1, 1], pads: [0, 0, 0, 0], dilations: [1, 1], groups: 1, activation: 'relu' }, [x, w, bias], 'Conv hand');
    b.inputs = [x];
    b.outputs = [y];
    // channel 0 = [1, 2], channel 1 = [3, 4]: out0 = x0 + 10 x1, out1 = relu(-x0 + 1), out2 = (x0 + x1) / 2
    const { output, dispatches } = await runOnGpu(b.build(), Float32Array.of(1, 2, 3, 4));
    expect(Array.from(output)).to.deep.equal([31, 42, 0, 0, 2, 3]);
    expect(dispatches).to.equal(1);
  });

  it('routed operands: shuffle, split and concat cost no dispatch and feed convs through offset tables', async () => {
    const n = new Net([1, 8, 5, 5]);
    const a = n.conv(n.x, 8, { act: 'relu' });
    const [shuffled] = n.node({ kind: 'channelShuffle', groups: 2 }, [a]);
    const [left, right] = n.node({ kind: 'split', axis: 1, sizes: [4, 4] }, [shuffled]);
    const r = n.conv(n.conv(right, 4, { act: 'relu' }), 4, { k: [3, 3], pads: [1, 1, 1, 1], groups: 4 });
    const [joined] = n.node({ kind: 'concat', axis: 1 }, [left, r]);
    const [again] = n.node({ kind: 'channelShuffle', groups: 2 }, [joined]);
    const kernels = await expectMatchesInterpreter(n.build(n.conv(again, 6)));
    expect(kernels).to.deep.equal(['conv1x1', 'conv1x1', 'depthwise', 'conv1x1']);
  });

  it('depthwise: stride 2 with padding, and dilation 2 with asymmetric padding', async () => {
    const n = new Net([1, 5, 7, 7]);
    const a = n.conv(n.x, 5, { k: [3, 3], stride: [2, 2], pads: [1, 1, 1, 1], groups: 5, act: 'relu' });
    const b = n.conv(a, 5, { k: [3, 3], dil: [2, 2], pads: [2, 1, 1, 2], groups: 5, bias: false });
    expect(await expectMatchesInterpreter(n.build(b))).to.deep.equal(['depthwise', 'depthwise']);
  });

  it('depthwise and direct conv with four different pads (top, left, bottom, right): no pad can stand in for another', async () => {
    // Equal pads hide a kernel that reads the wrong one (left for bottom, end for begin); all four differ here.
    const n = new Net([1, 4, 9, 8]);
    const dw = n.conv(n.x, 4, { k: [3, 3], pads: [2, 0, 1, 3], groups: 4 });
    const dilated = n.conv(dw, 4, { k: [3, 3], dil: [2, 1], pads: [0, 3, 2, 1], groups: 4, act: 'relu' });
    const direct = n.conv(dilated, 6, { k: [3, 2], pads: [3, 1, 0, 2] });
    expect(await expectMatchesInterpreter(n.build(direct))).to.deep.equal(['depthwise', 'depthwise', 'conv']);
  });

  it('direct conv: the 3-channel stem, and a grouped conv with a 3x2 kernel and uneven strides', async () => {
    const n = new Net([1, 3, 11, 9]);
    const stem = n.conv(n.x, 8, { k: [3, 3], stride: [2, 2], pads: [1, 1, 1, 1], act: 'relu' }); // blocks of 4 outputs
    const grouped = n.conv(stem, 4, { k: [3, 2], stride: [1, 2], pads: [1, 0, 0, 1], groups: 2 }); // 2 per group: no blocks
    const widened = n.conv(grouped, 8, { k: [2, 2], pads: [0, 1, 1, 0], groups: 2, act: 'relu' }); // 4 per group
    expect(await expectMatchesInterpreter(n.build(widened))).to.deep.equal(['conv', 'conv', 'conv']);
  });

  it('pooling: max 3x3/2 pad 1, average with and without counting padding, ceil mode', async () => {
    const n = new Net([1, 3, 9, 8]);
    const [m] = n.node({ kind: 'maxPool', kernel: [3, 3], stride: [2, 2], pads: [1, 1, 1, 1], ceilMode: false }, [n.x]);
    const [a1] = n.node({ kind: 'avgPool', kernel: [3, 2], stride: [1, 1], pads: [1, 1, 1, 0], ceilMode: false, countIncludePad: true }, [m]);
    const [a2] = n.node({ kind: 'avgPool', kernel: [2, 2], stride: [2, 2], pads: [1, 0, 0, 1], ceilMode: true, countIncludePad: false }, [a1]);
    expect(await expectMatchesInterpreter(n.build(a2))).to.deep.equal(['maxPool', 'avgPool', 'avgPool']);
  });

  it('classifier: global pool, flatten (a view), gemm with alpha/beta and a MatMul; batch 2', async () => {
    const n = new Net([2, 6, 4, 3]);
    const [pooled] = n.node({ kind: 'globalAvgPool' }, [n.conv(n.x, 6, { act: 'relu' })]);
    const [flat] = n.node({ kind: 'reshape', shape: [2, 6] }, [pooled]);
    const [g] = n.node({ kind: 'gemm', transA: false, transB: false, alpha: 0.5, beta: 2 }, [flat, n.const([6, 9]), n.const([9])]);
    const [mm] = n.node({ kind: 'matMul' }, [g, n.const([9, 7])]);
    expect(await expectMatchesInterpreter(n.build(mm))).to.deep.equal(['conv1x1', 'globalAvgPool', 'classifier', 'classifier']);
  });

  it('a standalone ReLU, and a concat that is the graph output (one copy into the dense output)', async () => {
    const n = new Net([2, 3, 4, 4]);
    const [r] = n.node({ kind: 'relu' }, [n.conv(n.x, 5)]);
    const [cat] = n.node({ kind: 'concat', axis: 1 }, [n.conv(r, 2), r]);
    expect(await expectMatchesInterpreter(n.build(cat), 3)).to.deep.equal(['conv1x1', 'relu', 'conv1x1', 'concat']);
  });

  it('fused depthwise -> 1x1: stride 2 with padding, 13 outputs (a partial block), batch 2, several tiles', async () => {
    const n = new Net([2, 12, 17, 19]);
    const dw = n.conv(n.x, 12, { k: [3, 3], stride: [2, 2], pads: [1, 1, 1, 1], groups: 12 });
    const graph = n.build(n.conv(dw, 13, { act: 'relu' }));
    expect(await expectMatchesInterpreter(graph, 4, true)).to.deep.equal(['depthwise-conv1x1']);
    expect(await expectMatchesInterpreter(graph, 4)).to.deep.equal(['depthwise', 'conv1x1']);
  });

  it('fused depthwise -> 1x1 in a routed ShuffleNet unit: shuffled input, depthwise ReLU and dilation, 4-pixel tiles', async () => {
    // 520 channels leave room for tiles of 4 pixels only; the unit's output lands where its input half was.
    const n = new Net([1, 8, 5, 6]);
    const [shuffled] = n.node({ kind: 'channelShuffle', groups: 2 }, [n.conv(n.x, 1040)]);
    const [left, right] = n.node({ kind: 'split', axis: 1, sizes: [520, 520] }, [shuffled]);
    const a = n.conv(right, 520, { act: 'relu' });
    const dw = n.conv(a, 520, { k: [3, 3], dil: [2, 1], pads: [2, 1, 2, 1], groups: 520, act: 'relu' });
    const [joined] = n.node({ kind: 'concat', axis: 1 }, [left, n.conv(dw, 520, { act: 'relu' })]);
    const [out] = n.node({ kind: 'channelShuffle', groups: 2 }, [joined]);
    expect(await expectMatchesInterpreter(n.build(n.conv(out, 8)), 5, true)).to.deep.equal(['conv1x1', 'conv1x1', 'depthwise-conv1x1', 'conv1x1']);
  });

  it('conv epilogues: relu6, sigmoid, hardSigmoid, hardSwish in the 1x1, depthwise, direct and fused kernels, residual adds', async () => {
    // Inputs scaled by 8 so relu6 and the hard clamps bite.
    const n = new Net([2, 6, 7, 9]);
    const [x8] = n.node({ kind: 'binary', fn: 'mul' }, [n.x, n.b.addConst('eight', [], Float32Array.of(8))]);
    const a = n.conv(x8, 8, { act: 'relu6' });
    const dw = n.conv(a, 8, { k: [3, 3], pads: [1, 0, 1, 2], groups: 8, act: 'hardSwish' });
    const b = n.conv(dw, 8, { act: 'sigmoid', residual: a });
    const c = n.conv(n.conv(b, 8, { k: [3, 3], stride: [2, 2], pads: [1, 1, 1, 1], act: 'hardSigmoid' }), 5, { act: 'hardSwish', residual: n.conv(b, 5, { k: [3, 3], stride: [2, 2], pads: [1, 1, 1, 1], groups: 1 }) });
    const d = n.conv(c, 5, { k: [3, 3], pads: [1, 1, 1, 1], groups: 5, act: 'relu6' });
    const graph = n.build(d);
    expect(await expectMatchesInterpreter(graph, 7)).to.deep.equal(['mul', 'conv1x1', 'depthwise', 'conv1x1', 'conv', 'conv', 'conv1x1', 'depthwise']);
    expect(await expectMatchesInterpreter(graph, 7, true)).to.deep.equal(['mul', 'conv1x1', 'depthwise-conv1x1', 'conv', 'conv', 'conv1x1', 'depthwise']);
  });

  it('fused global pool -> flatten -> gemm: batch 2, 9 classes (a partial vec4), alpha and beta', async () => {
    const n = new Net([2, 6, 4, 3]);
    const [pooled] = n.node({ kind: 'globalAvgPool' }, [n.conv(n.x, 6, { act: 'relu' })]);
    const [flat] = n.node({ kind: 'reshape', shape: [2, 6] }, [pooled]);
    const [g] = n.node({ kind: 'gemm', transA: false, transB: true, alpha: 0.5, beta: 2 }, [flat, n.const([9, 6]), n.const([9])]);
    expect(await expectMatchesInterpreter(n.build(g), 6, true)).to.deep.equal(['conv1x1', 'globalAvgPool-classifier']);
  });
});
