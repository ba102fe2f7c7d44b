import { expect } from 'chai';
import { evalOp } from '../../../compiler/interpreter/eval-op.ts';
import type { Tensor } from '../../../compiler/interpreter/tensor.ts';
import type { OpOf } from '../../../compiler/ir/types.ts';
import { runOnnxNode } from '../../support/ort.ts';
import { expectClose, f32, random, values } from './helpers.ts';

const gemmOp = (transA = false, transB = false, alpha = 1, beta = 1): OpOf<'gemm'> => ({ kind: 'gemm', transA, transB, alpha, beta });

describe('interpreter: gemm and matMul (hand-derived)', () => {
  // [[1,2],[3,4]] x [[5,6],[7,8]] = [[19,22],[43,50]]
  const a = f32([2, 2], [1, 2, 3, 4]);
  const b = f32([2, 2], [5, 6, 7, 8]);

  it('gemm: alpha * A B + beta * C with C broadcast along rows', () => {
    expect(values(evalOp(gemmOp(false, false, 2, 0.5), [a, b, f32([2], [1, 2])])[0])).to.deep.equal([38.5, 45, 86.5, 101]);
  });

  it('gemm: transposed operands give the same product', () => {
    const aT = f32([2, 2], [1, 3, 2, 4]);
    const bT = f32([2, 2], [5, 7, 6, 8]);
    expect(values(evalOp(gemmOp(true, true), [aT, bT])[0])).to.deep.equal([19, 22, 43, 50]);
  });

  it('gemm: C as a column [M,1] broadcasts along columns', () => {
    expect(values(evalOp(gemmOp(), [a, b, f32([2, 1], [100, 200])])[0])).to.deep.equal([119, 122, 243, 250]);
  });

  it('matMul: batched A against a shared B, and rank-1 operands', () => {
    const batched = evalOp({ kind: 'matMul' }, [f32([2, 1, 2], [1, 2, 3, 4]), f32([2, 1], [10, 1])])[0];
    expect(batched.type.shape).to.deep.equal([2, 1, 1]);
    expect(values(batched)).to.deep.equal([12, 34]);
    const vecMat = evalOp({ kind: 'matMul' }, [f32([2], [1, 1]), b])[0];
    expect(vecMat.type.shape).to.deep.equal([2]);
    expect(values(vecMat)).to.deep.equal([12, 14]);
  });
});

describe('interpreter: gemm and matMul vs onnxruntime', () => {
  const gemmCases: { name: string; a: number[]; b: number[]; c?: number[]; op: OpOf<'gemm'> }[] = [
    { name: 'classifier: transB, bias [N]', a: [2, 24], b: [10, 24], c: [10], op: gemmOp(false, true) },
    { name: 'transA, alpha 0.5, beta 2, C [M,N]', a: [7, 3], b: [7, 5], c: [3, 5], op: gemmOp(true, false, 0.5, 2) },
    { name: 'no C', a: [4, 6], b: [6, 3], op: gemmOp() },
    { name: 'C scalar [1]', a: [3, 4], b: [5, 4], c: [1], op: gemmOp(false, true, 1, -1) },
  ];
  gemmCases.forEach(({ name, a, b, c, op }, k) => {
    it(`gemm ${name}`, async () => {
      const inputs: Tensor[] = [random(a, 600 + k), random(b, 610 + k), ...(c ? [random(c, 620 + k)] : [])];
      const [expected] = await runOnnxNode({
        opType: 'Gemm',
        inputs,
        attributes: { transA: { int: op.transA ? 1 : 0 }, transB: { int: op.transB ? 1 : 0 }, alpha: { float: op.alpha }, beta: { float: op.beta } },
      });
      expectClose(evalOp(op, inputs)[0], expected);
    });
  });

  const matMulCases: [number[], number[]][] = [
    [[3, 8], [8, 5]],
    [[1, 1024], [1024, 10]],
    [[2, 3, 4, 6], [6, 2]],
    [[2, 1, 3, 4], [5, 4, 2]],
    [[4], [2, 4, 3]],
    [[2, 3, 4], [4]],
  ];
  matMulCases.forEach(([a, b], k) => {
    it(`matMul [${a}] x [${b}]`, async () => {
      const inputs = [random(a, 700 + k), random(b, 710 + k)];
      const [expected] = await runOnnxNode({ opType: 'MatMul', inputs });
      expectClose(evalOp({ kind: 'matMul' }, inputs)[0], expected);
    });
  });
});

describe('interpreter: dense', () => {
  it('y = a w^T + b with w in PyTorch Linear layout [M,K]', () => {
    const a = f32([2, 3], [1, 2, 3, 4, 5, 6]);
    const w = f32([2, 3], [1, 0, -1, 0.5, 0.5, 0.5]);
    expect(values(evalOp({ kind: 'dense' }, [a, w, f32([2], [10, 20])])[0])).to.deep.equal([8, 23, 8, 27.5]);
    expect(values(evalOp({ kind: 'dense' }, [a, w])[0])).to.deep.equal([-2, 3, -2, 7.5]);
    expect(() => evalOp({ kind: 'dense' }, [a, f32([2, 4])])).to.throw(/features/);
  });
});
