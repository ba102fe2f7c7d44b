import { expect } from 'chai';
import { GraphBuilder } from '../../../compiler/ir/graph-builder.ts';
import type { Activation, Graph, OpOf } from '../../../compiler/ir/types.ts';
import { C_EPILOGUES } from '../../../compiler/ir/conv-epilogue.ts';
import { fuseResidualAdd } from '../../../compiler/passes/fuse-residual-add.ts';
import { rng } from './shufflenet-like.ts';
import { expectSameFunction, kinds } from './support.ts';

type Conv = OpOf<'conv2d'>;
const conv = (kernel: number, activation: Activation, pad = 0): Conv => ({
  kind: 'conv2d', kernel: [kernel, kernel], stride: [1, 1], pads: [pad, pad, pad, pad], dilations: [1, 1], groups: 1, activation,
});

class Net {
  readonly b = new GraphBuilder();
  readonly x = this.b.addValue('x', { dtype: 'f32', shape: [2, 4, 3, 3] });
  private readonly r = rng(9);
  constructor() {
    this.b.inputs = [this.x];
  }
  conv(from: number, op: Conv, bias = true): number {
    const k = op.kernel[0];
    const w = this.b.addConst('w', [4, 4, k, k], Float32Array.from({ length: 16 * k * k }, () => this.r() - 0.5));
    const b = bias ? [this.b.addConst('b', [4], Float32Array.from({ length: 4 }, () => this.r() - 0.5))] : [];
    return this.b.addNode(op, [from, w, ...b], 'conv')[0];
  }
  add(a: number, b: number): number {
    return this.b.addNode({ kind: 'binary', fn: 'add' }, [a, b], 'add')[0];
  }
  done(...outputs: number[]): Graph {
    this.b.outputs = outputs;
    return this.b.build();
  }
}

const input = [Float32Array.from({ length: 72 }, (_, i) => Math.cos(i * 0.9))];

describe('fuse-residual-add', () => {
  it('adds the residual in the producing 1x1 conv epilogue, after its activation, either operand order', () => {
    const n = new Net();
    const shortcut = n.conv(n.x, conv(3, 'none', 1));
    const a = n.add(shortcut, n.conv(n.x, conv(1, 'relu')));
    const b = n.add(n.conv(a, conv(1, 'hardSwish'), false), a);
    const before = n.done(b);
    const after = fuseResidualAdd(before);
    expect(kinds(after)).to.deep.equal(['conv2d', 'conv2d', 'conv2d']);
    const fused = after.nodes.filter((node) => (node.op as Conv).residual);
    expect(fused.map((node) => (node.op as Conv).activation)).to.deep.equal(['relu', 'hardSwish']);
    expect(fused.every((node) => node.inputs.length === 4)).to.equal(true);
    expectSameFunction(before, after, input, 1e-6);
  });

  it('leaves adds of a non-pointwise conv, of a conv read elsewhere, and everything when the target has no residual epilogue', () => {
    const n = new Net();
    const spatial = n.add(n.conv(n.x, conv(3, 'none', 1)), n.x);
    const shared = n.conv(n.x, conv(1, 'none'));
    const twice = n.add(shared, n.x);
    const graph = n.done(spatial, twice, shared);
    expect(fuseResidualAdd(graph)).to.equal(graph);
    const simple = new Net();
    const plain = simple.done(simple.add(simple.conv(simple.x, conv(1, 'none')), simple.x));
    expect(fuseResidualAdd(plain, { epilogues: { activations: ['relu'], residual: false } })).to.equal(plain);
    expect(kinds(fuseResidualAdd(plain))).to.deep.equal(['conv2d']);
  });

  it('for a target that reaches residuals only in the arena (C): leaves shortcuts that are graph inputs, outputs, constants or views of them', () => {
    const n = new Net();
    const fromInput = n.add(n.conv(n.x, conv(1, 'none')), n.x);
    const [half] = n.b.addNode({ kind: 'split', axis: 1, sizes: [4, 4] }, [n.b.addNode({ kind: 'concat', axis: 1 }, [n.x, fromInput], 'cat')[0]], 'split');
    const viaView = n.add(n.conv(fromInput, conv(1, 'none')), half);
    const shown = n.conv(viaView, conv(3, 'none', 1));
    const ofOutput = n.add(n.conv(viaView, conv(1, 'sigmoid')), shown);
    const constant = n.add(n.conv(ofOutput, conv(1, 'none')), n.b.addConst('c', [2, 4, 3, 3], new Float32Array(72).fill(0.5)));
    const computed = n.conv(constant, conv(3, 'none', 1));
    const inArena = n.add(n.conv(constant, conv(1, 'relu')), computed);
    const graph = n.done(inArena, shown);
    const after = fuseResidualAdd(graph, { epilogues: C_EPILOGUES });
    const residualOf = (g: Graph) => g.nodes.filter((node) => node.op.kind === 'conv2d' && node.op.residual).map((node) => node.inputs[3]);
    expect(residualOf(after)).to.deep.equal([computed]);
    expect(residualOf(fuseResidualAdd(graph))).to.have.length(5);
    expectSameFunction(graph, after, input, 1e-6);
  });
});
