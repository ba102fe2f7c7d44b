import { expect } from 'chai';
import { evalOp } from '../../../compiler/interpreter/eval-op.ts';
import type { BinaryFn } from '../../../compiler/ir/types.ts';
import { runOnnxNode } from '../../support/ort.ts';
import { expectClose, f32, i64, random, values } from './helpers.ts';

describe('interpreter: elementwise (hand-derived)', () => {
  it('relu clamps negatives and keeps NaN', () => {
    const y = values(evalOp({ kind: 'relu' }, [f32([4], [-1, 0, 2.5, NaN])])[0]);
    expect(y.slice(0, 3)).to.deep.equal([0, 0, 2.5]);
    expect(y[3]).to.be.NaN;
  });

  it('batchNorm: scale * (x - mean) / sqrt(var + eps) + bias per channel', () => {
    const x = f32([1, 2, 1, 1], [1, 2]);
    const y = values(evalOp({ kind: 'batchNorm', epsilon: 1 }, [x, f32([2], [2, 1]), f32([2], [1, 0]), f32([2], [0, 1]), f32([2], [3, 0.25])])[0]);
    expect(y[0]).to.equal(2);
    expect(y[1]).to.be.closeTo(1 / Math.sqrt(1.25), 1e-7);
  });

  it('binary broadcasts a column against a row', () => {
    const y = evalOp({ kind: 'binary', fn: 'sub' }, [f32([2, 1], [10, 20]), f32([3], [1, 2, 3])])[0];
    expect(y.type.shape).to.deep.equal([2, 3]);
    expect(values(y)).to.deep.equal([9, 8, 7, 19, 18, 17]);
  });

  it('i64 arithmetic stays integral: division truncates toward zero', () => {
    const y = evalOp({ kind: 'binary', fn: 'div' }, [i64([3], [-7, 7, 116]), i64([], [2])])[0];
    expect(y.type.dtype).to.equal('i64');
    expect(y.data).to.be.instanceOf(Float64Array);
    expect(values(y)).to.deep.equal([-3, 3, 58]);
    expect(values(evalOp({ kind: 'binary', fn: 'mul' }, [i64([1], [58]), i64([1], [2])])[0])).to.deep.equal([116]);
  });

  it('i64 division by zero is a CompileError, mixed dtypes are refused', () => {
    expect(() => evalOp({ kind: 'binary', fn: 'div' }, [i64([1], [4]), i64([1], [0])])).to.throw(/division by zero/);
    expect(() => evalOp({ kind: 'binary', fn: 'add' }, [i64([1], [4]), f32([1], [0])])).to.throw(/mixes/);
  });

  it('f32-only ops refuse i64 data', () => {
    expect(() => evalOp({ kind: 'relu' }, [i64([1], [4])])).to.throw(/f32/);
  });
});

describe('interpreter: elementwise vs onnxruntime', () => {
  const onnxName: Record<BinaryFn, string> = { add: 'Add', sub: 'Sub', mul: 'Mul', div: 'Div' };
  const shapes: [number[], number[]][] = [
    [[2, 3, 4], [2, 3, 4]],
    [[2, 3, 4, 5], [3, 1, 1]],
    [[1, 4, 1], [3, 1, 5]],
    [[6], []],
  ];
  (['add', 'sub', 'mul', 'div'] as const).forEach((fn, k) => {
    shapes.forEach(([a, b], j) => {
      it(`${fn} [${a}] with [${b}]`, async () => {
        const inputs = [random(a, 800 + 10 * k + j), random(b, 850 + 10 * k + j)];
        const [expected] = await runOnnxNode({ opType: onnxName[fn], inputs });
        expectClose(evalOp({ kind: 'binary', fn }, inputs)[0], expected, 1e-6, 1e-6);
      });
    });
  });

  it('i64 Div with negative operands', async () => {
    const inputs = [i64([4], [-7, 7, -9, 9]), i64([4], [2, -2, 4, 4])];
    const [expected] = await runOnnxNode({ opType: 'Div', inputs });
    expect(values(evalOp({ kind: 'binary', fn: 'div' }, inputs)[0])).to.deep.equal(values(expected));
  });

  it('relu', async () => {
    const x = random([2, 3, 4, 5], 900);
    const [expected] = await runOnnxNode({ opType: 'Relu', inputs: [x] });
    expectClose(evalOp({ kind: 'relu' }, [x])[0], expected, 0, 0);
  });

  it('batchNorm (inference)', async () => {
    const x = random([2, 4, 3, 3], 910);
    const params = [random([4], 911), random([4], 912), random([4], 913), f32([4], [0.5, 1, 2, 0.01])];
    const [expected] = await runOnnxNode({ opType: 'BatchNormalization', inputs: [x, ...params], attributes: { epsilon: { float: 1e-3 } } });
    expectClose(evalOp({ kind: 'batchNorm', epsilon: 1e-3 }, [x, ...params])[0], expected);
  });
});
