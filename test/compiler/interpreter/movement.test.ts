import { expect } from 'chai';
import { evalOp } from '../../../compiler/interpreter/eval-op.ts';
import type { Tensor } from '../../../compiler/interpreter/tensor.ts';
import type { OpOf } from '../../../compiler/ir/types.ts';
import { runOnnxNode } from '../../support/ort.ts';
import { expectClose, f32, i64, iota, random, values } from './helpers.ts';

describe('interpreter: movement ops (hand-derived)', () => {
  it('transpose [2,3] -> [3,2]', () => {
    const y = evalOp({ kind: 'transpose', perm: [1, 0] }, [iota([2, 3])])[0];
    expect(y.type.shape).to.deep.equal([3, 2]);
    expect(values(y)).to.deep.equal([0, 3, 1, 4, 2, 5]);
  });

  it('split and concat along axis 1 of [2,3]', () => {
    const [left, right] = evalOp({ kind: 'split', axis: 1, sizes: [1, 2] }, [iota([2, 3])]);
    expect(values(left)).to.deep.equal([0, 3]);
    expect(values(right)).to.deep.equal([1, 2, 4, 5]);
    expect(values(evalOp({ kind: 'concat', axis: -1 }, [right, left])[0])).to.deep.equal([1, 2, 0, 4, 5, 3]);
  });

  it('slice with a negative step walks backwards', () => {
    const y = evalOp({ kind: 'slice', axes: [0], starts: [8], ends: [1], steps: [-3] }, [iota([10])])[0];
    expect(values(y)).to.deep.equal([8, 5, 2]);
  });

  it('slice with steps on two axes', () => {
    const y = evalOp({ kind: 'slice', axes: [1, 0], starts: [0, 1], ends: [4, 3], steps: [2, 1] }, [iota([3, 4])])[0];
    expect(y.type.shape).to.deep.equal([2, 2]);
    expect(values(y)).to.deep.equal([4, 6, 8, 10]);
  });

  it('gather with negative indices, on axis 0 and axis 1', () => {
    const x = f32([2, 3], [10, 20, 30, 40, 50, 60]);
    expect(values(evalOp({ kind: 'gather', axis: 1 }, [x, i64([2], [-1, 0])])[0])).to.deep.equal([30, 10, 60, 40]);
    const row = evalOp({ kind: 'gather', axis: 0 }, [x, i64([], [-1])])[0];
    expect(row.type.shape).to.deep.equal([3]);
    expect(values(row)).to.deep.equal([40, 50, 60]);
  });

  it('gather refuses out-of-range indices', () => {
    expect(() => evalOp({ kind: 'gather', axis: 0 }, [iota([3]), i64([1], [3])])).to.throw(/out of range/);
  });

  it('i64 shape arithmetic: gather a dim, slice, concat', () => {
    const shape = i64([4], [1, 116, 28, 28]);
    const c = evalOp({ kind: 'gather', axis: 0 }, [shape, i64([], [1])])[0];
    expect(c.type).to.deep.equal({ dtype: 'i64', shape: [] });
    expect(values(c)).to.deep.equal([116]);
    const hw = evalOp({ kind: 'slice', axes: [0], starts: [2], ends: [4], steps: [1] }, [shape])[0];
    const joined = evalOp({ kind: 'concat', axis: 0 }, [i64([1], [1]), hw])[0];
    expect(joined.data).to.be.instanceOf(Float64Array);
    expect(values(joined)).to.deep.equal([1, 28, 28]);
  });

  it('channelShuffle: output channel i*G+g takes input channel g*(C/G)+i', () => {
    const y = evalOp({ kind: 'channelShuffle', groups: 2 }, [iota([1, 6, 1, 1])])[0];
    expect(values(y)).to.deep.equal([0, 3, 1, 4, 2, 5]);
    const three = evalOp({ kind: 'channelShuffle', groups: 3 }, [iota([1, 6, 1, 1])])[0];
    expect(values(three)).to.deep.equal([0, 2, 4, 1, 3, 5]);
  });

  it('channelShuffle equals the reshape -> transpose(0,2,1,3,4) -> reshape it replaces', () => {
    const x = random([2, 8, 3, 2], 1000);
    const viaTranspose = evalOp({ kind: 'transpose', perm: [0, 2, 1, 3, 4] }, [{ type: { dtype: 'f32', shape: [2, 2, 4, 3, 2] }, data: x.data }])[0];
    expect(values(evalOp({ kind: 'channelShuffle', groups: 2 }, [x])[0])).to.deep.equal(values(viaTranspose));
  });

  it('reshape and identity keep the data and change only the type', () => {
    const y = evalOp({ kind: 'reshape', shape: [3, 2] }, [iota([2, 3])])[0];
    expect(y.type.shape).to.deep.equal([3, 2]);
    expect(values(y)).to.deep.equal([0, 1, 2, 3, 4, 5]);
    expect(() => evalOp({ kind: 'reshape', shape: [4] }, [iota([2, 3])])).to.throw(/reshape/);
  });

  it('pad with a value on both sides of one axis and a crop of another', () => {
    const y = evalOp({ kind: 'pad', pads: [1, -1, 0, 1], value: 9 }, [iota([2, 3])])[0];
    expect(y.type.shape).to.deep.equal([3, 3]);
    expect(values(y)).to.deep.equal([9, 9, 9, 1, 2, 9, 4, 5, 9]);
    expect(() => evalOp({ kind: 'pad', pads: [0, -4, 0, 0], value: 0 }, [iota([2, 3])])).to.throw(/crop/);
  });

  it('a wrong number of inputs is a CompileError', () => {
    expect(() => evalOp({ kind: 'gather', axis: 0 }, [iota([3])])).to.throw(/gather takes 2 inputs, got 1/);
  });
});

describe('interpreter: movement ops vs onnxruntime', () => {
  const check = async (op: OpOf<'transpose' | 'concat' | 'slice' | 'gather' | 'split'>, onnx: Parameters<typeof runOnnxNode>[0], inputs: Tensor[]) => {
    const expected = await runOnnxNode(onnx);
    const actual = evalOp(op, inputs);
    expect(actual.length).to.equal(expected.length);
    actual.forEach((t, i) => expectClose(t, expected[i], 0, 0));
  };

  it('transpose [2,3,4,5] perm [0,2,1,3] and the 5-D shuffle perm', async () => {
    const x = random([2, 3, 4, 5], 1100);
    await check({ kind: 'transpose', perm: [0, 2, 1, 3] }, { opType: 'Transpose', inputs: [x], attributes: { perm: { ints: [0, 2, 1, 3] } } }, [x]);
    const y = random([1, 2, 3, 2, 2], 1101);
    await check({ kind: 'transpose', perm: [0, 2, 1, 3, 4] }, { opType: 'Transpose', inputs: [y], attributes: { perm: { ints: [0, 2, 1, 3, 4] } } }, [y]);
  });

  it('concat of three on axis 1', async () => {
    const xs = [random([2, 3, 4], 1200), random([2, 1, 4], 1201), random([2, 5, 4], 1202)];
    await check({ kind: 'concat', axis: 1 }, { opType: 'Concat', inputs: xs, attributes: { axis: { int: 1 } } }, xs);
  });

  it('split on axis 1 into unequal parts', async () => {
    const x = random([2, 7, 3], 1300);
    await check({ kind: 'split', axis: 1, sizes: [2, 5] }, { opType: 'Split', inputs: [x, i64([2], [2, 5])], attributes: { axis: { int: 1 } }, outputs: ['f32', 'f32'] }, [x]);
  });

  const slices: OpOf<'slice'>[] = [
    { kind: 'slice', axes: [1], starts: [0], ends: [3], steps: [1] },
    { kind: 'slice', axes: [1, 3], starts: [3, 1], ends: [6, 5], steps: [1, 2] },
    { kind: 'slice', axes: [2, 0], starts: [4, 1], ends: [0, 2], steps: [-2, 1] },
  ];
  slices.forEach((op, k) => {
    it(`slice axes [${op.axes}] starts [${op.starts}] ends [${op.ends}] steps [${op.steps}]`, async () => {
      const x = random([2, 6, 5, 5], 1400 + k);
      const params = [op.starts, op.ends, op.axes, op.steps].map((v) => i64([v.length], v));
      await check(op, { opType: 'Slice', inputs: [x, ...params] }, [x]);
    });
  });

  for (const [axis, idx] of [[0, [1, -2, 0]], [1, [-1, 2, 2, 0]], [2, [3]]] as const) {
    it(`gather axis ${axis} indices [${idx}]`, async () => {
      const x = random([3, 4, 5], 1500 + axis);
      const indices = i64([idx.length], idx);
      await check({ kind: 'gather', axis }, { opType: 'Gather', inputs: [x, indices], attributes: { axis: { int: axis } } }, [x, indices]);
    });
  }

  it('gather with a scalar index drops the axis (Megvii-style x[0])', async () => {
    const x = random([2, 1, 3, 2, 2], 1600);
    const indices = i64([], [1]);
    await check({ kind: 'gather', axis: 0 }, { opType: 'Gather', inputs: [x, indices], attributes: { axis: { int: 0 } } }, [x, indices]);
  });
});
