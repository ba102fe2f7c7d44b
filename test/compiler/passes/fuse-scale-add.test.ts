import { expect } from 'chai';
import { GraphBuilder } from '../../../compiler/ir/graph-builder.ts';
import type { Graph } from '../../../compiler/ir/types.ts';
import { fuseScaleAdd } from '../../../compiler/passes/fuse-scale-add.ts';
import { expectSameFunction, kinds } from './support.ts';

/** x [2,3,4,4] scaled by a gate [2,3,1,1] computed from x, plus a shortcut r. */
function seResidual(shared = false): Graph {
  const b = new GraphBuilder();
  const x = b.addValue('x', { dtype: 'f32', shape: [2, 3, 4, 4] });
  const r = b.addValue('r', { dtype: 'f32', shape: [2, 3, 4, 4] });
  b.inputs = [x, r];
  const gate = b.addNode({ kind: 'sigmoid' }, [b.addNode({ kind: 'globalAvgPool' }, [x], 'pool')[0]], 'gate')[0];
  const scaled = b.addNode({ kind: 'binary', fn: 'mul' }, [x, gate], 'scale')[0];
  const sum = b.addNode({ kind: 'binary', fn: 'add' }, [r, scaled], 'shortcut')[0];
  b.outputs = shared ? [sum, scaled] : [sum];
  return b.build();
}

const inputs = [Float32Array.from({ length: 96 }, (_, i) => Math.sin(i)), Float32Array.from({ length: 96 }, (_, i) => Math.cos(3 * i))];

describe('fuse-scale-add', () => {
  it('makes an SE scale followed by its residual add one mul with a residual', () => {
    const before = seResidual();
    const after = fuseScaleAdd(before);
    expect(kinds(after)).to.deep.equal(['globalAvgPool', 'sigmoid', 'binary']);
    expect(after.nodes[2].op).to.deep.equal({ kind: 'binary', fn: 'mul', residual: true });
    expectSameFunction(before, after, inputs, 0);
  });

  it('leaves a scale read elsewhere, and everything when the target does not render it', () => {
    const shared = seResidual(true);
    expect(fuseScaleAdd(shared)).to.equal(shared);
    const plain = seResidual();
    expect(fuseScaleAdd(plain, { epilogues: { activations: ['relu'], residual: true } })).to.equal(plain);
  });
});
