import { expect } from 'chai';
import { evalOp } from '../../../compiler/interpreter/eval-op.ts';
import type { Tensor } from '../../../compiler/interpreter/tensor.ts';
import type { OpOf, Pads4, Pair } from '../../../compiler/ir/types.ts';
import { runOnnxNode } from '../../support/ort.ts';
import { expectClose, iota, random, values } from './helpers.ts';

const pool = (kind: 'maxPool' | 'avgPool', kernel: Pair, stride: Pair, pads: Pads4, ceilMode: boolean, countIncludePad = false): OpOf<'maxPool'> | OpOf<'avgPool'> =>
  kind === 'maxPool' ? { kind, kernel, stride, pads, ceilMode } : { kind, kernel, stride, pads, ceilMode, countIncludePad };
const run = (op: OpOf<'maxPool'> | OpOf<'avgPool'>, x: Tensor) => evalOp(op, [x])[0];

describe('interpreter: pooling (hand-derived)', () => {
  // 3x3 plane: 1 2 3 / 4 5 6 / 7 8 9
  const x = iota([1, 1, 3, 3], 1);

  it('maxPool 2x2 stride 2: floor mode keeps one window, ceil mode adds the clipped edge windows', () => {
    expect(values(run(pool('maxPool', [2, 2], [2, 2], [0, 0, 0, 0], false), x))).to.deep.equal([5]);
    const y = run(pool('maxPool', [2, 2], [2, 2], [0, 0, 0, 0], true), x);
    expect(y.type.shape).to.deep.equal([1, 1, 2, 2]);
    expect(values(y)).to.deep.equal([5, 6, 8, 9]);
  });

  it('maxPool ignores padding even when every real value is negative', () => {
    const neg = iota([1, 1, 2, 2], -10);
    expect(values(run(pool('maxPool', [3, 3], [1, 1], [1, 1, 1, 1], false), neg))).to.deep.equal([-7, -7, -7, -7]);
  });

  it('avgPool ceil-mode edge windows divide by the cells they cover', () => {
    for (const include of [false, true]) {
      // without padding, count_include_pad changes nothing: the ceil-mode overhang is never counted
      expect(values(run(pool('avgPool', [2, 2], [2, 2], [0, 0, 0, 0], true, include), x))).to.deep.equal([3, 4.5, 7.5, 9]);
    }
  });

  it('avgPool with pads: count_include_pad=0 divides by real cells, =1 by the whole window', () => {
    const excl = values(run(pool('avgPool', [3, 3], [1, 1], [1, 1, 1, 1], false, false), x));
    expect(excl.slice(0, 2)).to.deep.equal([12 / 4, 21 / 6]);
    expect(excl[4]).to.equal(5);
    const incl = values(run(pool('avgPool', [3, 3], [1, 1], [1, 1, 1, 1], false, true), x));
    expect(incl[0]).to.be.closeTo(12 / 9, 1e-6);
    expect(incl[1]).to.be.closeTo(21 / 9, 1e-6);
    expect(incl[4]).to.equal(5);
  });

  it('globalAvgPool averages each plane', () => {
    const y = evalOp({ kind: 'globalAvgPool' }, [iota([2, 2, 1, 3])])[0];
    expect(y.type.shape).to.deep.equal([2, 2, 1, 1]);
    expect(values(y)).to.deep.equal([1, 4, 7, 10]);
  });
});

describe('interpreter: pooling vs onnxruntime', () => {
  const cases: { name: string; x: number[]; op: OpOf<'maxPool'> | OpOf<'avgPool'> }[] = [
    { name: 'maxPool 3x3 s2 p1 (ShuffleNetV2 stem)', x: [1, 4, 14, 14], op: pool('maxPool', [3, 3], [2, 2], [1, 1, 1, 1], false) },
    { name: 'maxPool 3x3 s2 p1 odd size', x: [2, 3, 13, 11], op: pool('maxPool', [3, 3], [2, 2], [1, 1, 1, 1], false) },
    { name: 'maxPool ceil mode, asymmetric pads', x: [1, 2, 10, 9], op: pool('maxPool', [3, 2], [2, 2], [0, 1, 1, 0], true) },
    { name: 'avgPool 7x7 on 7x7 (Megvii head)', x: [1, 6, 7, 7], op: pool('avgPool', [7, 7], [7, 7], [0, 0, 0, 0], false) },
    { name: 'avgPool ceil mode, count_include_pad=0, pads', x: [1, 3, 10, 10], op: pool('avgPool', [3, 3], [2, 2], [1, 1, 1, 1], true, false) },
    { name: 'avgPool ceil mode, count_include_pad=1, pads', x: [1, 3, 10, 10], op: pool('avgPool', [3, 3], [2, 2], [1, 1, 1, 1], true, true) },
    { name: 'avgPool count_include_pad=1, asymmetric pads', x: [1, 2, 8, 9], op: pool('avgPool', [2, 3], [1, 2], [1, 0, 0, 2], false, true) },
  ];
  cases.forEach(({ name, x: shape, op }, k) => {
    it(name, async () => {
      const x = random(shape, 400 + k);
      const [expected] = await runOnnxNode({
        opType: op.kind === 'maxPool' ? 'MaxPool' : 'AveragePool',
        inputs: [x],
        attributes: {
          kernel_shape: { ints: op.kernel },
          strides: { ints: op.stride },
          pads: { ints: op.pads },
          ceil_mode: { int: op.ceilMode ? 1 : 0 },
          ...(op.kind === 'avgPool' ? { count_include_pad: { int: op.countIncludePad ? 1 : 0 } } : {}),
        },
      });
      expectClose(run(op, x), expected);
    });
  });

  it('globalAvgPool', async () => {
    const x = random([2, 5, 7, 6], 450);
    const [expected] = await runOnnxNode({ opType: 'GlobalAveragePool', inputs: [x] });
    expectClose(evalOp({ kind: 'globalAvgPool' }, [x])[0], expected);
  });
});

describe('interpreter: reduceMean', () => {
  it('averages the listed axes, keeping or dropping them (hand-derived)', () => {
    const x = iota([2, 3]);
    expect(values(evalOp({ kind: 'reduceMean', axes: [1], keepDims: false }, [x])[0])).to.deep.equal([1, 4]);
    const y = evalOp({ kind: 'reduceMean', axes: [0, -1], keepDims: true }, [iota([2, 2, 2])])[0];
    expect(y.type.shape).to.deep.equal([1, 2, 1]);
    // means of {0,1,4,5} and {2,3,6,7}
    expect(values(y)).to.deep.equal([2.5, 4.5]);
  });

  for (const [axes, keepDims] of [[[2, 3], false], [[2, 3], true], [[1], false], [[0, 2], true]] as const) {
    it(`axes [${axes}] keepDims ${keepDims} vs onnxruntime`, async () => {
      const x = random([2, 6, 5, 4], 500 + axes.length);
      const [expected] = await runOnnxNode({ opType: 'ReduceMean', inputs: [x], attributes: { axes: { ints: axes }, keepdims: { int: keepDims ? 1 : 0 } } });
      expectClose(evalOp({ kind: 'reduceMean', axes, keepDims }, [x])[0], expected);
    });
  }
});
