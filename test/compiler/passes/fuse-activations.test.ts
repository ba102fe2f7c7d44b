import { expect } from 'chai';
import { GraphBuilder } from '../../../compiler/ir/graph-builder.ts';
import type { Graph, Op } from '../../../compiler/ir/types.ts';
import { fuseActivations } from '../../../compiler/passes/fuse-activations.ts';
import { rng } from './shufflenet-like.ts';
import { expectSameFunction, kinds } from './support.ts';

const conv1x1: Op = { kind: 'conv2d', kernel: [1, 1], stride: [1, 1], pads: [0, 0, 0, 0], dilations: [1, 1], groups: 1, activation: 'none' };

class Small {
  readonly b = new GraphBuilder();
  readonly x: number;
  private readonly r = rng(3);
  constructor() {
    this.x = this.b.addValue('x', { dtype: 'f32', shape: [2, 3, 2, 2] });
    this.b.inputs = [this.x];
  }
  conv(from: number, out = 3): number {
    const cin = this.b.value(from).type.shape[1];
    const w = this.b.addConst('w', [out, cin, 1, 1], Float32Array.from({ length: out * cin }, () => 2 * this.r() - 1));
    return this.b.addNode(conv1x1, [from, w, this.b.addConst('b', [out], Float32Array.from({ length: out }, () => this.r() - 0.5))], 'Conv')[0];
  }
  node(op: Op, inputs: number[]): number {
    return this.b.addNode(op, inputs, op.kind)[0];
  }
  done(outputs: number[]): Graph {
    this.b.outputs = outputs;
    return this.b.build();
  }
}

const input = (): Float32Array[] => [Float32Array.from({ length: 24 }, (_, i) => Math.sin(i * 1.7))];

describe('fuse-activations', () => {
  it('makes a relu after a conv the conv epilogue', () => {
    const s = new Small();
    const before = s.done([s.node({ kind: 'relu' }, [s.conv(s.x)])]);
    const after = fuseActivations(before);
    expect(kinds(after)).to.deep.equal(['conv2d']);
    expect(after.nodes[0].op).to.include({ activation: 'relu' });
    expectSameFunction(before, after, input(), 0);
  });

  it('pushes a relu after a concat of convs into every conv', () => {
    const s = new Small();
    const before = s.done([s.node({ kind: 'relu' }, [s.node({ kind: 'concat', axis: 1 }, [s.conv(s.x, 2), s.conv(s.x, 3)])])]);
    const after = fuseActivations(before);
    expect(kinds(after)).to.deep.equal(['conv2d', 'conv2d', 'concat']);
    expect(after.nodes.filter((n) => n.op.kind === 'conv2d').map((n) => (n.op as { activation: string }).activation)).to.deep.equal(['relu', 'relu']);
    expectSameFunction(before, after, input(), 0);
  });

  it('leaves the relu when a producer is not a conv or its result is read elsewhere', () => {
    const s = new Small();
    const shared = s.conv(s.x);
    const a = s.node({ kind: 'relu' }, [shared]);
    const pooled = s.node({ kind: 'maxPool', kernel: [1, 1], stride: [1, 1], pads: [0, 0, 0, 0], ceilMode: false }, [s.conv(s.x)]);
    const b = s.node({ kind: 'relu' }, [s.node({ kind: 'concat', axis: 1 }, [s.conv(s.x), pooled])]);
    const graph = s.done([a, b, shared]);
    expect(fuseActivations(graph)).to.equal(graph);
  });

  const standalone: [string, Op, string][] = [
    ['sigmoid', { kind: 'sigmoid' }, 'sigmoid'],
    ['hard-sigmoid with PyTorch constants as float32', { kind: 'hardSigmoid', alpha: 0.16666667, beta: 0.5 }, 'hardSigmoid'],
    ['h-swish', { kind: 'hardSwish' }, 'hardSwish'],
    ['clip 0..6 (ReLU6)', { kind: 'clip', min: 0, max: 6 }, 'relu6'],
    ['clip 0..inf', { kind: 'clip', min: 0, max: Infinity }, 'relu'],
  ];
  for (const [what, op, activation] of standalone) {
    it(`makes a ${what} after a conv the conv epilogue ${activation}`, () => {
      const s = new Small();
      const before = s.done([s.node(op, [s.conv(s.x)])]);
      const after = fuseActivations(before);
      expect(kinds(after)).to.deep.equal(['conv2d']);
      expect(after.nodes[0].op).to.include({ activation });
      expectSameFunction(before, after, input(), 1e-6);
    });
  }

  it('fuses only epilogues the target renders, and only ones that equal the standalone op', () => {
    const s = new Small();
    const graph = s.done([s.node({ kind: 'sigmoid' }, [s.conv(s.x)]), s.node({ kind: 'hardSigmoid', alpha: 0.2, beta: 0.5 }, [s.conv(s.x)]), s.node({ kind: 'clip', min: 0, max: 5 }, [s.conv(s.x)])]);
    expect(fuseActivations(graph, { epilogues: { activations: ['relu'], residual: false } })).to.equal(graph);
    expect(kinds(fuseActivations(graph))).to.deep.equal(['conv2d', 'conv2d', 'hardSigmoid', 'conv2d', 'clip']);
  });

  it('never stacks a second activation on a conv that has one (except relu on relu) or on a residual conv', () => {
    const s = new Small();
    const hs = s.node({ kind: 'hardSwish' }, [s.conv(s.x)]);
    const graph = s.done([s.node({ kind: 'relu' }, [hs])]);
    const once = fuseActivations(graph);
    expect(kinds(once)).to.deep.equal(['conv2d', 'relu']);
    expect(fuseActivations(once), 'relu after h-swish stays').to.equal(once);
    expectSameFunction(graph, once, input(), 1e-6);
  });
});
