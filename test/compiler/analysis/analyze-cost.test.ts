// Cost analysis on hand-derived small graphs: every expected figure is worked out in the comments.

import { expect } from 'chai';
import { analyzeCost } from '../../../compiler/analysis/analyze-cost.ts';
import { GraphBuilder } from '../../../compiler/ir/graph-builder.ts';
import type { Op } from '../../../compiler/ir/types.ts';
import { planMemory } from '../../../compiler/plan/plan-memory.ts';

const conv = (k: number, groups: number, stride = 1): Op => ({
  kind: 'conv2d',
  kernel: [k, k],
  stride: [stride, stride],
  pads: [(k - 1) / 2, (k - 1) / 2, (k - 1) / 2, (k - 1) / 2],
  dilations: [1, 1],
  groups,
  activation: 'none',
});

function net(shape: number[]) {
  const b = new GraphBuilder();
  const x = b.addValue('x', { dtype: 'f32', shape });
  b.inputs = [x];
  const addConv = (input: number, out: number, k: number, groups = 1, bias = false, stride = 1) => {
    const cin = b.value(input).type.shape[1];
    const w = b.addConst('w', [out, cin / groups, k, k], new Float32Array((out * cin * k * k) / groups));
    const ins = bias ? [input, w, b.addConst('b', [out], new Float32Array(out))] : [input, w];
    return b.addNode(conv(k, groups, stride), ins, `conv${out}`)[0];
  };
  return { b, x, addConv };
}

describe('analyzeCost', () => {
  it('1x1 conv: multiply-adds, params and the paper MAC hw(c1+c2) + c1c2 (+ bias), batch included', () => {
    const { b, x, addConv } = net([2, 8, 4, 4]);
    b.outputs = [addConv(x, 16, 1, 1, true)];
    const [layer] = analyzeCost(b.build()).layers;
    expect(layer.macs).to.equal(2 * 16 * 16 * 8); // N·hw·c2·c1
    expect(layer.params).to.equal(16 * 8 + 16);
    expect(layer.outputElements).to.equal(2 * 16 * 16);
    expect(layer.macBytes).to.equal(4 * (2 * 16 * (8 + 16) + 8 * 16 + 16));
    expect(layer.flops).to.equal(2 * layer.macs);
    expect(layer.intensity).to.be.closeTo(layer.flops / layer.macBytes, 1e-12);
  });

  it('3x3 depthwise stride-2 conv: k²·c1·c2/g weights and input/output at their own resolutions', () => {
    const { b, x, addConv } = net([1, 6, 8, 8]);
    b.outputs = [addConv(x, 6, 3, 6, false, 2)];
    const [layer] = analyzeCost(b.build()).layers;
    expect(layer.macs).to.equal(4 * 4 * 6 * 9); // Ho·Wo·C·k² (one input channel per group)
    expect(layer.params).to.equal(6 * 9);
    expect(layer.macBytes).to.equal(4 * (64 * 6 + 16 * 6 + 54));
  });

  it('non-square kernels (3x1 then 1x3): kh·kw per output, not kh² or kw²', () => {
    const b = new GraphBuilder();
    const x = b.addValue('x', { dtype: 'f32', shape: [1, 4, 6, 5] });
    b.inputs = [x];
    const tall: Op = { kind: 'conv2d', kernel: [3, 1], stride: [1, 1], pads: [1, 0, 1, 0], dilations: [1, 1], groups: 1, activation: 'none' };
    const wide: Op = { ...tall, kernel: [1, 3], pads: [0, 1, 0, 1] };
    const y = b.addNode(tall, [x, b.addConst('w1', [8, 4, 3, 1], new Float32Array(96))], 'tall')[0];
    b.outputs = [b.addNode(wide, [y, b.addConst('w2', [2, 8, 1, 3], new Float32Array(48))], 'wide')[0]];
    const [first, second] = analyzeCost(b.build()).layers;
    expect(first.macs).to.equal(6 * 5 * 8 * 4 * 3); // Ho·Wo·c2·c1·kh·kw, output 6x5 (pads keep the size)
    expect(first.params).to.equal(8 * 4 * 3);
    expect(first.macBytes).to.equal(4 * (4 * 30 + 8 * 30 + 96));
    expect(second.macs).to.equal(6 * 5 * 2 * 8 * 3);
    expect(second.params).to.equal(2 * 8 * 3);
  });

  it('counts BatchNorm weight and bias but not its running statistics; gemm weight and bias', () => {
    const b = new GraphBuilder();
    const x = b.addValue('x', { dtype: 'f32', shape: [3, 5, 1, 1] });
    b.inputs = [x];
    const bn = [0, 1, 2, 3].map((i) => b.addConst(`bn${i}`, [5], new Float32Array(5).fill(1)));
    const y = b.addNode({ kind: 'batchNorm', epsilon: 1e-5 }, [x, ...bn], 'bn')[0];
    const r = b.addNode({ kind: 'reshape', shape: [3, 5] }, [y], 'flatten')[0];
    const w = b.addConst('fcw', [7, 5], new Float32Array(35));
    const bias = b.addConst('fcb', [7], new Float32Array(7));
    b.outputs = [b.addNode({ kind: 'gemm', transA: false, transB: true, alpha: 1, beta: 1 }, [r, w, bias], 'fc')[0]];
    const report = analyzeCost(b.build());
    expect(report.layers.map((l) => l.params)).to.deep.equal([10, 0, 42]);
    expect(report.totals.params).to.equal(52);
    expect(report.totals.macs).to.equal(3 * 7 * 5);
  });

  it('movedBytes: every copy without a plan, none for channel views under the plan', () => {
    const { b, x, addConv } = net([1, 4, 2, 2]);
    const y = addConv(x, 4, 1);
    const [y1, y2] = b.addNode({ kind: 'split', axis: 1, sizes: [2, 2] }, [y], 'split');
    const c = addConv(y2, 2, 1);
    const cat = b.addNode({ kind: 'concat', axis: 1 }, [y1, c], 'concat')[0];
    const shuffled = b.addNode({ kind: 'channelShuffle', groups: 2 }, [cat], 'shuffle')[0];
    b.outputs = [addConv(shuffled, 4, 1)];
    const graph = b.build();
    // split writes 2 x (2 planes of 4 floats), concat and shuffle 4 planes each: 16 + 16 + 16 floats
    expect(analyzeCost(graph).totals.movedBytes).to.equal(4 * 48);
    const planned = analyzeCost(graph, { plan: planMemory(graph) });
    expect(planned.totals.movedBytes).to.equal(0);
    expect(planned.totals.views).to.equal(3);
    expect(planned.layers.filter((l) => l.category === 'view').every((l) => l.macBytes === 0)).to.equal(true);
  });

  it('G1 flags unbalanced 1x1 convs with the bytes above the balanced optimum', () => {
    const { b, x, addConv } = net([1, 8, 4, 4]);
    const wide = addConv(x, 32, 1);
    b.outputs = [addConv(wide, 32, 1)];
    const report = analyzeCost(b.build());
    expect(report.layers.map((l) => l.guidelines)).to.deep.equal([['G1'], []]);
    const g1 = report.findings.find((f) => f.id === 'G1')!;
    expect(g1.figures.worstRatio).to.equal(4);
    // hw(c1 + c2) - hw·2·sqrt(c1·c2) = 16·(8 + 32 - 2·16) = 128 floats
    expect(g1.figures.excessBytes).to.equal(4 * 128);
  });

  it('G2 flags convs with many groups and reports their share of MAC and FLOPs', () => {
    const { b, x, addConv } = net([1, 16, 4, 4]);
    const dw = addConv(x, 16, 3, 16);
    b.outputs = [addConv(dw, 16, 3, 2)];
    const report = analyzeCost(b.build());
    expect(report.layers.map((l) => l.guidelines)).to.deep.equal([['G2'], []]);
    const g2 = report.findings.find((f) => f.id === 'G2')!;
    expect(g2.figures.maxGroups).to.equal(16);
    expect(g2.figures.macShare).to.be.closeTo(report.layers[0].macBytes / report.totals.macBytes, 1e-12);
  });

  it('G3 finds one unit with two branches; G4 measures the traffic share of element-wise and copy ops', () => {
    const { b, x, addConv } = net([1, 4, 2, 2]);
    const [x1, x2] = b.addNode({ kind: 'split', axis: 1, sizes: [2, 2] }, [x], 'split');
    const r = b.addNode({ kind: 'relu' }, [addConv(x2, 2, 1)], 'relu')[0];
    const cat = b.addNode({ kind: 'concat', axis: 1 }, [x1, r], 'concat')[0];
    b.outputs = [addConv(cat, 4, 1)];
    const report = analyzeCost(b.build());
    expect(report.units).to.deep.equal([{ first: 0, last: 3, branches: 2 }]);
    const g3 = report.findings.find((f) => f.id === 'G3')!;
    expect(g3.figures.smallOps).to.equal(3); // split, relu, concat
    // bytes (floats): split 16 + 16, conv 8 + 4 + 8, relu 8 + 8, concat 16 + 16, conv 16 + 16 + 16
    const g4 = report.findings.find((f) => f.id === 'G4')!;
    expect(g4.figures.share).to.be.closeTo((32 + 16 + 32) / (32 + 20 + 16 + 32 + 48), 1e-12);
    expect(report.layers.map((l) => l.guidelines)).to.deep.equal([['G3', 'G4'], [], ['G3', 'G4'], ['G3', 'G4'], []]);
  });
});
