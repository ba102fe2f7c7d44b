import { expect } from 'chai';
import { GraphBuilder } from '../../../compiler/ir/graph-builder.ts';
import type { Graph, Op } from '../../../compiler/ir/types.ts';
import { canonicaliseDense } from '../../../compiler/passes/canonicalise-dense.ts';
import { random } from '../interpreter/helpers.ts';
import { expectSameFunction, kinds, snapshot } from './support.ts';

/** x [rows, k] (runtime) times a constant B, with an optional constant C. */
function product(op: Op, rows: number, k: number, bShape: number[], cShape?: number[]): { graph: Graph; input: Float32Array } {
  const b = new GraphBuilder();
  const x = b.addValue('x', { dtype: 'f32', shape: [rows, k] });
  b.inputs = [x];
  const w = b.addConst('w', bShape, random(bShape, 31).data as Float32Array);
  const c = cShape ? [b.addConst('c', cShape, random(cShape, 32).data as Float32Array)] : [];
  b.outputs = b.addNode(op, [x, w, ...c], 'fc');
  return { graph: b.build(), input: random([rows, k], 33).data as Float32Array };
}

const gemm = (transB: boolean, alpha = 1, beta = 1): Op => ({ kind: 'gemm', transA: false, transB, alpha, beta });

describe('canonicalise-dense', () => {
  const cases: [string, Op, number[], number[] | undefined][] = [
    ['gemm transB with bias (PyTorch Linear)', gemm(true), [5, 4], [5]],
    ['gemm B [K,M] with alpha, beta and a [1,M] bias', gemm(false, 0.5, 2), [4, 5], [1, 5]],
    ['gemm with a scalar bias', gemm(true, 1, -1), [5, 4], []],
    ['gemm without bias', gemm(false), [4, 5], undefined],
    ['matMul by a constant', { kind: 'matMul' }, [4, 5], undefined],
  ];
  for (const [what, op, bShape, cShape] of cases) {
    it(`${what} becomes one dense node with weight [M,K] and bias [M]`, () => {
      const { graph, input } = product(op, 3, 4, bShape, cShape);
      const before = snapshot(graph);
      const after = canonicaliseDense(graph);
      expect(snapshot(graph), 'input graph untouched').to.equal(before);
      expect(kinds(after)).to.deep.equal(['dense']);
      const [, w, b] = after.nodes[0].inputs.map((id) => after.values.get(id)!.type.shape);
      expect(w).to.deep.equal([5, 4]);
      expect(b).to.deep.equal(cShape ? [5] : undefined);
      expectSameFunction(graph, after, [input], 1e-6);
    });
  }

  it('leaves products that are not dense layers alone: per-row C, transA, a runtime B', () => {
    const perRow = product(gemm(false), 3, 4, [4, 3], [3, 1]).graph;
    expect(canonicaliseDense(perRow)).to.equal(perRow);
    const transA = product({ kind: 'gemm', transA: true, transB: false, alpha: 1, beta: 1 }, 4, 4, [4, 5]).graph;
    expect(canonicaliseDense(transA)).to.equal(transA);
    const b = new GraphBuilder();
    const x = b.addValue('x', { dtype: 'f32', shape: [2, 3] });
    const y = b.addValue('y', { dtype: 'f32', shape: [3, 4] });
    b.inputs = [x, y];
    b.outputs = b.addNode({ kind: 'matMul' }, [x, y], 'mm');
    const runtime = b.build();
    expect(canonicaliseDense(runtime)).to.equal(runtime);
  });
});
