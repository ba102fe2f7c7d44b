import { expect } from 'chai';
import { GraphBuilder } from '../../../compiler/ir/graph-builder.ts';
import type { Graph } from '../../../compiler/ir/types.ts';
import { foldBatchNorm } from '../../../compiler/passes/fold-batchnorm.ts';
import { rng } from './shufflenet-like.ts';
import { expectSameFunction, kinds, snapshot } from './support.ts';

interface ConvBnCase {
  readonly cin: number;
  readonly cout: number;
  readonly groups: number;
  readonly kernel: number;
  readonly bias: boolean;
  /** Also read the conv result elsewhere (must block folding). */
  readonly sharedConv?: boolean;
}

function convBn(c: ConvBnCase, seed = 1): Graph {
  const r = rng(seed);
  const rand = (n: number, lo: number, hi: number) => Float32Array.from({ length: n }, () => lo + (hi - lo) * r());
  const b = new GraphBuilder();
  const x = b.addValue('x', { dtype: 'f32', shape: [2, c.cin, 5, 5] });
  b.inputs = [x];
  const w = b.addConst('w', [c.cout, c.cin / c.groups, c.kernel, c.kernel], rand((c.cout * c.cin * c.kernel * c.kernel) / c.groups, -1, 1));
  const inputs = c.bias ? [x, w, b.addConst('b', [c.cout], rand(c.cout, -1, 1))] : [x, w];
  const p = (c.kernel - 1) / 2;
  const [y] = b.addNode({ kind: 'conv2d', kernel: [c.kernel, c.kernel], stride: [1, 1], pads: [p, p, p, p], dilations: [1, 1], groups: c.groups, activation: 'none' }, inputs, 'Conv');
  const params = [rand(c.cout, 0.5, 1.5), rand(c.cout, -0.5, 0.5), rand(c.cout, -0.5, 0.5), rand(c.cout, 0.3, 2)].map((d, i) => b.addConst(`bn${i}`, [c.cout], d));
  const [z] = b.addNode({ kind: 'batchNorm', epsilon: 1e-3 }, [y, ...params], 'BN');
  b.outputs = c.sharedConv ? [z, b.addNode({ kind: 'relu' }, [y], 'Relu')[0]] : [z];
  return b.build();
}

function input(graph: Graph): Float32Array[] {
  const r = rng(7);
  const n = graph.values.get(graph.inputs[0])!.type.shape.reduce((a, b) => a * b, 1);
  return [Float32Array.from({ length: n }, () => 2 * r() - 1)];
}

describe('fold-batchnorm', () => {
  it('folds a hand-computed case into weight and bias', () => {
    // conv 1x1: w = 2, b = 1; BN: scale 3, shift 0.5, mean 1, var 3, eps 1 -> s = 3 / sqrt(4) = 1.5,
    // w' = 2 * 1.5 = 3, b' = (1 - 1) * 1.5 + 0.5 = 0.5. On x = [1, -2]: 3.5 and -5.5.
    const b = new GraphBuilder();
    const x = b.addValue('x', { dtype: 'f32', shape: [1, 1, 1, 2] });
    b.inputs = [x];
    const [y] = b.addNode(
      { kind: 'conv2d', kernel: [1, 1], stride: [1, 1], pads: [0, 0, 0, 0], dilations: [1, 1], groups: 1, activation: 'none' },
      [x, b.addConst('w', [1, 1, 1, 1], Float32Array.of(2)), b.addConst('b', [1], Float32Array.of(1))],
      'Conv',
    );
    const bn = [3, 0.5, 1, 3].map((v, i) => b.addConst(`bn${i}`, [1], Float32Array.of(v)));
    b.outputs = b.addNode({ kind: 'batchNorm', epsilon: 1 }, [y, ...bn], 'BN');
    const before = b.build();
    const after = foldBatchNorm(before);
    expect(kinds(after)).to.deep.equal(['conv2d']);
    const conv = after.nodes[0];
    expect(Array.from(after.values.get(conv.inputs[1])!.data!)).to.deep.equal([3]);
    expect(Array.from(after.values.get(conv.inputs[2])!.data!)).to.deep.equal([0.5]);
    expect(conv.outputs).to.deep.equal(before.outputs);
    expectSameFunction(before, after, [Float32Array.of(1, -2)], 0);
  });

  const cases: [string, ConvBnCase][] = [
    ['dense 3x3 with bias', { cin: 3, cout: 4, groups: 1, kernel: 3, bias: true }],
    ['dense 1x1 without bias', { cin: 5, cout: 3, groups: 1, kernel: 1, bias: false }],
    ['depthwise 3x3 without bias', { cin: 6, cout: 6, groups: 6, kernel: 3, bias: false }],
    ['depthwise 3x3 with bias', { cin: 4, cout: 4, groups: 4, kernel: 3, bias: true }],
    ['grouped 3x3 with bias', { cin: 6, cout: 4, groups: 2, kernel: 3, bias: true }],
  ];
  for (const [name, c] of cases) {
    it(`folds ${name} and computes the same function`, () => {
      const before = convBn(c);
      const shot = snapshot(before);
      const after = foldBatchNorm(before);
      expect(kinds(after)).to.deep.equal(['conv2d']);
      expect(after.nodes[0].inputs).to.have.length(3);
      expectSameFunction(before, after, input(before));
      expect(snapshot(before), 'input graph untouched').to.equal(shot);
    });
  }

  it('leaves a BN alone when the conv result is read elsewhere too', () => {
    const graph = convBn({ cin: 2, cout: 2, groups: 1, kernel: 1, bias: true, sharedConv: true });
    expect(foldBatchNorm(graph)).to.equal(graph);
  });
});
