import { expect } from 'chai';
import { GraphBuilder } from '../../../compiler/ir/graph-builder.ts';
import { foldConstants } from '../../../compiler/passes/fold-constants.ts';
import { expectSameFunction, kinds, snapshot } from './support.ts';

describe('fold-constants', () => {
  it('folds int64 index arithmetic into a constant operand', () => {
    const b = new GraphBuilder();
    const x = b.addValue('x', { dtype: 'f32', shape: [1, 6] });
    b.inputs = [x];
    const base = b.addConst('base', [2], Float64Array.of(0, 1));
    const offset = b.addConst('offset', [2], Float64Array.of(3, 3));
    const [index] = b.addNode({ kind: 'binary', fn: 'add' }, [base, offset], 'Add');
    b.outputs = b.addNode({ kind: 'gather', axis: 1 }, [x, index], 'Gather');
    const before = b.build();
    const shot = snapshot(before);
    const after = foldConstants(before);
    expect(kinds(after)).to.deep.equal(['gather']);
    const folded = after.values.get(after.nodes[0].inputs[1])!;
    expect(folded.type).to.deep.equal({ dtype: 'i64', shape: [2] });
    expect(Array.from(folded.data!)).to.deep.equal([3, 4]);
    expect(snapshot(before)).to.equal(shot);
    expectSameFunction(before, after, [Float32Array.of(10, 11, 12, 13, 14, 15)], 0);
  });

  it('folds weight preprocessing (a transposed weight) and chains of constant nodes', () => {
    const b = new GraphBuilder();
    const x = b.addValue('x', { dtype: 'f32', shape: [1, 2] });
    b.inputs = [x];
    const raw = b.addConst('raw', [2, 2], Float32Array.of(1, 2, 3, 4));
    const [t] = b.addNode({ kind: 'transpose', perm: [1, 0] }, [raw], 'Transpose');
    const [scaled] = b.addNode({ kind: 'binary', fn: 'mul' }, [t, b.addConst('two', [], Float32Array.of(2))], 'Mul');
    b.outputs = b.addNode({ kind: 'matMul' }, [x, scaled], 'MatMul');
    const before = b.build();
    const after = foldConstants(before);
    expect(kinds(after)).to.deep.equal(['matMul']);
    expect(Array.from(after.values.get(after.nodes[0].inputs[1])!.data!)).to.deep.equal([2, 6, 4, 8]);
    expectSameFunction(before, after, [Float32Array.of(1, -1)], 0);
  });

  it('leaves graph outputs computed and returns an unchanged graph as is', () => {
    const b = new GraphBuilder();
    const x = b.addValue('x', { dtype: 'f32', shape: [2] });
    b.inputs = [x];
    const [fromConst] = b.addNode({ kind: 'relu' }, [b.addConst('c', [2], Float32Array.of(-1, 1))], 'Relu c');
    const [fromInput] = b.addNode({ kind: 'relu' }, [x], 'Relu x');
    b.outputs = [fromConst, fromInput];
    const graph = b.build();
    expect(foldConstants(graph)).to.equal(graph);
  });
});
