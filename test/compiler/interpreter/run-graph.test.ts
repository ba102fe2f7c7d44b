import { expect } from 'chai';
import { runGraph } from '../../../compiler/interpreter/run-graph.ts';
import { CompileError } from '../../../compiler/ir/errors.ts';
import { GraphBuilder } from '../../../compiler/ir/graph-builder.ts';

describe('interpreter: runGraph', () => {
  // x [1,2,2,2] -> split channels -> concat swapped -> 1x1 conv [1,-2] bias -1.5 -> relu -> global mean -> [1,1]
  function smallGraph() {
    const b = new GraphBuilder();
    const x = b.addValue('x', { dtype: 'f32', shape: [1, 2, 2, 2] });
    b.inputs = [x];
    const [c0, c1] = b.addNode({ kind: 'split', axis: 1, sizes: [1, 1] }, [x], 'split');
    const [swapped] = b.addNode({ kind: 'concat', axis: 1 }, [c1, c0], 'concat');
    const w = b.addConst('w', [1, 2, 1, 1], Float32Array.from([1, -2]));
    const bias = b.addConst('b', [1], Float32Array.from([-1.5]));
    const conv = { kind: 'conv2d', kernel: [1, 1], stride: [1, 1], pads: [0, 0, 0, 0], dilations: [1, 1], groups: 1, activation: 'relu' } as const;
    const [y] = b.addNode(conv, [swapped, w, bias], 'conv');
    const [pooled] = b.addNode({ kind: 'globalAvgPool' }, [y], 'pool');
    const [logits] = b.addNode({ kind: 'reshape', shape: [1, 1] }, [pooled], 'flatten');
    b.outputs = [logits, swapped];
    return b.build();
  }

  it('runs nodes in order and returns outputs in graph order (hand-derived)', () => {
    const input = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
    const [logits, swapped] = runGraph(smallGraph(), [input]);
    // ch1 - 2*ch0 - 1.5 = [1.5, 0.5, -0.5, -1.5] -> relu -> mean 0.5
    expect(Array.from(logits)).to.deep.equal([0.5]);
    expect(Array.from(swapped)).to.deep.equal([5, 6, 7, 8, 1, 2, 3, 4]);
  });

  it('never hands back the caller\'s own buffer', () => {
    const b = new GraphBuilder();
    const x = b.addValue('x', { dtype: 'f32', shape: [2] });
    b.inputs = [x];
    b.outputs = b.addNode({ kind: 'identity' }, [x], 'id');
    const input = Float32Array.from([1, 2]);
    const [out] = runGraph(b.build(), [input]);
    out[0] = 99;
    expect(input[0]).to.equal(1);
  });

  it('a wrong-sized input is a one-line CompileError naming the input', () => {
    const run = () => runGraph(smallGraph(), [new Float32Array(7)]);
    expect(run).to.throw(CompileError, /"x" of shape \[1,2,2,2\] needs 8 values, got 7/);
    expect(() => runGraph(smallGraph(), [])).to.throw(CompileError, /takes 1 input/);
  });

  it('an op failing at run time names the node it came from', () => {
    const b = new GraphBuilder();
    const x = b.addValue('x', { dtype: 'f32', shape: [3] });
    b.inputs = [x];
    const idx = b.addConst('idx', [1], Float64Array.from([5]));
    b.outputs = b.addNode({ kind: 'gather', axis: 0 }, [x, idx], "Gather 'pick'");
    expect(() => runGraph(b.build(), [new Float32Array(3)])).to.throw(CompileError, /node Gather 'pick': gather index 5 is out of range/);
  });
});
