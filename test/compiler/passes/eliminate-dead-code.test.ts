import { expect } from 'chai';
import { GraphBuilder } from '../../../compiler/ir/graph-builder.ts';
import { eliminateDeadCode } from '../../../compiler/passes/eliminate-dead-code.ts';
import { expectSameFunction, kinds } from './support.ts';

describe('eliminate-dead-code', () => {
  it('drops nodes whose results reach no output, and the constants only they used', () => {
    const b = new GraphBuilder();
    const x = b.addValue('x', { dtype: 'f32', shape: [1, 2, 2, 2] });
    b.inputs = [x];
    const w = b.addConst('unused weight', [2, 2, 1, 1], new Float32Array(4).fill(1));
    const conv = { kind: 'conv2d', kernel: [1, 1], stride: [1, 1], pads: [0, 0, 0, 0], dilations: [1, 1], groups: 1, activation: 'none' } as const;
    const [dead] = b.addNode(conv, [x, w], 'Conv dead');
    b.addNode({ kind: 'relu' }, [dead], 'Relu dead');
    const [, second] = b.addNode({ kind: 'split', axis: 1, sizes: [1, 1] }, [x], 'Split');
    b.outputs = b.addNode({ kind: 'relu' }, [second], 'Relu live');
    const before = b.build();
    const after = eliminateDeadCode(before);
    expect(kinds(after)).to.deep.equal(['split', 'relu']);
    expect([...after.values.values()].some((v) => v.name === 'unused weight')).to.equal(false);
    expectSameFunction(before, after, [Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8)], 0);
    expect(eliminateDeadCode(after)).to.equal(after);
  });
});
