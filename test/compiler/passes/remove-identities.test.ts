import { expect } from 'chai';
import { GraphBuilder } from '../../../compiler/ir/graph-builder.ts';
import type { Graph, Op } from '../../../compiler/ir/types.ts';
import { removeIdentities } from '../../../compiler/passes/remove-identities.ts';
import { rng } from './shufflenet-like.ts';
import { expectSameFunction, kinds } from './support.ts';

const conv1x1 = { kind: 'conv2d', kernel: [1, 1], stride: [1, 1], pads: [0, 0, 0, 0], dilations: [1, 1], groups: 1, activation: 'none' } as const;

/** x [shape] -> conv1x1 (so the value under test is computed, not the graph input) -> ops... -> output. */
function chain(shape: number[], ops: readonly Op[]): Graph {
  const b = new GraphBuilder();
  const x = b.addValue('x', { dtype: 'f32', shape });
  b.inputs = [x];
  const c = shape[1];
  const w = b.addConst('w', [c, c, 1, 1], Float32Array.from({ length: c * c }, (_, i) => ((i * 7) % 5) - 2));
  let y = b.addNode(conv1x1, [x, w], 'Conv')[0];
  for (const op of ops) y = b.addNode(op, [y], op.kind)[0];
  b.outputs = [y];
  return b.build();
}

function randomInputFor(graph: Graph): Float32Array[] {
  const r = rng(42);
  return graph.inputs.map((id) => Float32Array.from({ length: graph.values.get(id)!.type.shape.reduce((a, b) => a * b, 1) }, () => 2 * r() - 1));
}

function check(before: Graph, expectedKinds: string[]): Graph {
  const after = removeIdentities(before);
  expect(kinds(after)).to.deep.equal(expectedKinds);
  expectSameFunction(before, after, randomInputFor(before));
  return after;
}

describe('remove-identities', () => {
  it('removes identity (Dropout) nodes and reshapes to the same shape', () => {
    check(chain([2, 3, 2, 2], [{ kind: 'identity' }, { kind: 'reshape', shape: [2, 3, 2, 2] }, { kind: 'relu' }]), ['conv2d', 'relu']);
  });

  it('collapses a reshape of a reshape, or removes the pair when it round-trips', () => {
    const after = check(chain([1, 4, 2, 2], [{ kind: 'reshape', shape: [1, 16] }, { kind: 'reshape', shape: [4, 4] }, { kind: 'relu' }]), ['conv2d', 'reshape', 'relu']);
    const reshape = after.nodes[1];
    expect(reshape.op).to.deep.equal({ kind: 'reshape', shape: [4, 4] });
    expect(reshape.inputs[0]).to.equal(after.nodes[0].outputs[0]);
    check(chain([1, 4, 2, 2], [{ kind: 'reshape', shape: [1, 4, 4] }, { kind: 'reshape', shape: [1, 4, 2, 2] }, { kind: 'relu' }]), ['conv2d', 'relu']);
  });

  it('keeps an identity that would otherwise make a graph input a graph output', () => {
    const b = new GraphBuilder();
    const x = b.addValue('x', { dtype: 'f32', shape: [1, 2] });
    b.inputs = [x];
    b.outputs = b.addNode({ kind: 'identity' }, [x], 'Identity');
    const graph = b.build();
    expect(removeIdentities(graph)).to.equal(graph);
  });

  it('turns reduceMean over H and W into globalAvgPool (with a reshape when dims are dropped)', () => {
    check(chain([2, 3, 4, 5], [{ kind: 'reduceMean', axes: [2, 3], keepDims: true }]), ['conv2d', 'globalAvgPool']);
    check(chain([2, 3, 4, 5], [{ kind: 'reduceMean', axes: [-1, -2], keepDims: false }]), ['conv2d', 'globalAvgPool', 'reshape']);
    check(chain([2, 3, 4, 5], [{ kind: 'reduceMean', axes: [3], keepDims: true }]), ['conv2d', 'reduceMean']);
  });

  it('turns an avgPool covering the whole plane into globalAvgPool, but not a padded one', () => {
    const pool = (pads: [number, number, number, number]): Op => ({ kind: 'avgPool', kernel: [3, 3], stride: [1, 1], pads, ceilMode: false, countIncludePad: false });
    check(chain([1, 2, 3, 3], [pool([0, 0, 0, 0])]), ['conv2d', 'globalAvgPool']);
    check(chain([1, 2, 3, 3], [pool([1, 1, 1, 1]), { kind: 'relu' }]), ['conv2d', 'avgPool', 'relu']);
  });

  describe('matMul by a constant', () => {
    function linear(biasFirst: boolean | undefined, extraReader = false): Graph {
      const b = new GraphBuilder();
      const x = b.addValue('x', { dtype: 'f32', shape: [2, 2] });
      b.inputs = [x];
      const w = b.addConst('W', [2, 3], Float32Array.of(1, 2, 3, 4, 5, 6));
      const [m] = b.addNode({ kind: 'matMul' }, [x, w], 'MatMul');
      if (biasFirst === undefined) {
        b.outputs = [m];
      } else {
        const bias = b.addConst('b', [3], Float32Array.of(0.5, -0.5, 1));
        const [sum] = b.addNode({ kind: 'binary', fn: 'add' }, biasFirst ? [bias, m] : [m, bias], 'Add');
        b.outputs = extraReader ? [sum, b.addNode({ kind: 'relu' }, [m], 'Relu')[0]] : [sum];
      }
      return b.build();
    }

    it('becomes gemm with the weight transposed to [N,K] and the added bias as C', () => {
      for (const biasFirst of [false, true]) {
        const after = check(linear(biasFirst), ['gemm']);
        const gemm = after.nodes[0];
        expect(gemm.op).to.deep.equal({ kind: 'gemm', transA: false, transB: true, alpha: 1, beta: 1 });
        expect(Array.from(after.values.get(gemm.inputs[1])!.data!)).to.deep.equal([1, 4, 2, 5, 3, 6]);
        expect(Array.from(after.values.get(gemm.inputs[2])!.data!)).to.deep.equal([0.5, -0.5, 1]);
      }
    });

    it('becomes gemm without bias when there is no add, or when the product is read elsewhere too', () => {
      check(linear(undefined), ['gemm']);
      check(linear(false, true), ['gemm', 'binary', 'relu']);
    });
  });
});
