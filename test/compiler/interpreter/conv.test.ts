import { expect } from 'chai';
import { evalOp } from '../../../compiler/interpreter/eval-op.ts';
import type { Tensor } from '../../../compiler/interpreter/tensor.ts';
import type { OpOf, Pads4, Pair } from '../../../compiler/ir/types.ts';
import { runOnnxNode } from '../../support/ort.ts';
import { expectClose, f32, iota, random, values } from './helpers.ts';

interface ConvConfig {
  kernel?: Pair;
  stride?: Pair;
  pads?: Pads4;
  dilations?: Pair;
  groups?: number;
  activation?: 'none' | 'relu';
}

function convOp(c: ConvConfig & { kernel: Pair }): OpOf<'conv2d'> {
  return { kind: 'conv2d', kernel: c.kernel, stride: c.stride ?? [1, 1], pads: c.pads ?? [0, 0, 0, 0], dilations: c.dilations ?? [1, 1], groups: c.groups ?? 1, activation: c.activation ?? 'none' };
}

const conv = (c: ConvConfig & { kernel: Pair }, ...inputs: Tensor[]): Tensor => evalOp(convOp(c), inputs)[0];
const ones = (shape: number[]) => f32(shape, new Array(shape.reduce((a, b) => a * b)).fill(1));

describe('interpreter: conv2d (hand-derived)', () => {
  // x[r][c] = 4r + c + 1 on a 4x4 plane.
  const x4 = iota([1, 1, 4, 4], 1);

  it('3x3 valid conv: diagonal weight picks x[r][c] + x[r+1][c+1] - x[r+2][c+2] = 4r + c - 4, plus bias', () => {
    const w = f32([1, 1, 3, 3], [1, 0, 0, 0, 1, 0, 0, 0, -1]);
    expect(values(conv({ kernel: [3, 3] }, x4, w))).to.deep.equal([-4, -3, 0, 1]);
    expect(values(conv({ kernel: [3, 3] }, x4, w, f32([1], [10])))).to.deep.equal([6, 7, 10, 11]);
  });

  it('3x3 box sum with pads 1 and stride 2', () => {
    const y = conv({ kernel: [3, 3], stride: [2, 2], pads: [1, 1, 1, 1] }, x4, ones([1, 1, 3, 3]));
    expect(y.type.shape).to.deep.equal([1, 1, 2, 2]);
    // windows: rows 0-1 x cols 0-1, rows 0-1 x cols 1-3, rows 1-3 x cols 0-1, rows 1-3 x cols 1-3
    expect(values(y)).to.deep.equal([14, 30, 57, 99]);
  });

  it('asymmetric pads [top 1, left 0, bottom 0, right 1] with a 2x2 box', () => {
    const y = conv({ kernel: [2, 2], pads: [1, 0, 0, 1] }, iota([1, 1, 3, 3], 1), ones([1, 1, 2, 2]));
    expect(y.type.shape).to.deep.equal([1, 1, 3, 3]);
    expect(values(y)).to.deep.equal([3, 5, 3, 12, 16, 9, 24, 28, 15]);
  });

  it('dilation 2: a 2x2 kernel reads corners of a 3x3 span', () => {
    const y = conv({ kernel: [2, 2], dilations: [2, 2] }, x4, ones([1, 1, 2, 2]));
    expect(values(y)).to.deep.equal([24, 28, 40, 44]);
  });

  it('groups keep channels apart; groups=1 mixes them', () => {
    const x = f32([1, 2, 1, 1], [5, 7]);
    expect(values(conv({ kernel: [1, 1], groups: 2 }, x, f32([2, 1, 1, 1], [2, 3])))).to.deep.equal([10, 21]);
    expect(values(conv({ kernel: [1, 1] }, x, f32([1, 2, 1, 1], [2, 3])))).to.deep.equal([31]);
  });

  it('fused relu clamps negatives only', () => {
    const x = f32([1, 1, 1, 2], [3, -4]);
    expect(values(conv({ kernel: [1, 1], activation: 'relu' }, x, f32([1, 1, 1, 1], [-1])))).to.deep.equal([0, 4]);
  });

  it('batches are independent', () => {
    const x = f32([2, 1, 1, 1], [1, 2]);
    expect(values(conv({ kernel: [1, 1] }, x, f32([2, 1, 1, 1], [3, 4]), f32([2], [0.5, -0.5])))).to.deep.equal([3.5, 3.5, 6.5, 7.5]);
  });

  it('rejects a weight whose channels do not match the groups', () => {
    expect(() => conv({ kernel: [1, 1], groups: 2 }, f32([1, 4, 1, 1]), f32([2, 1, 1, 1]))).to.throw(/groups/);
  });
});

describe('interpreter: conv2d vs onnxruntime', () => {
  const cases: { name: string; x: number[]; m: number; config: ConvConfig & { kernel: Pair }; bias?: boolean }[] = [
    { name: '3x3 dense, pads 1, bias', x: [1, 4, 9, 9], m: 6, config: { kernel: [3, 3], pads: [1, 1, 1, 1] }, bias: true },
    { name: '3x3 depthwise (groups = C), stride 2, even size', x: [1, 8, 10, 10], m: 8, config: { kernel: [3, 3], stride: [2, 2], pads: [1, 1, 1, 1], groups: 8 } },
    { name: '3x3 depthwise, stride 2, odd size, bias', x: [2, 5, 11, 11], m: 5, config: { kernel: [3, 3], stride: [2, 2], pads: [1, 1, 1, 1], groups: 5 }, bias: true },
    { name: '1x1 pointwise (GEMM path), bias', x: [2, 16, 7, 7], m: 12, config: { kernel: [1, 1] }, bias: true },
    { name: '1x1 stride 2', x: [1, 6, 9, 8], m: 4, config: { kernel: [1, 1], stride: [2, 2] } },
    { name: 'asymmetric pads, stride [2,1], dilations [2,1], 3x2 kernel', x: [1, 3, 12, 10], m: 4, config: { kernel: [3, 2], stride: [2, 1], pads: [0, 1, 2, 1], dilations: [2, 1] }, bias: true },
    { name: 'groups 2, 3x3, pads [2,0,1,3]', x: [1, 6, 8, 7], m: 4, config: { kernel: [3, 3], pads: [2, 0, 1, 3], groups: 2 } },
    { name: 'stem-like 3x3 stride 2 with relu', x: [1, 3, 16, 16], m: 8, config: { kernel: [3, 3], stride: [2, 2], pads: [1, 1, 1, 1], activation: 'relu' }, bias: true },
  ];
  cases.forEach(({ name, x: xShape, m, config, bias }, k) => {
    it(name, async () => {
      const groups = config.groups ?? 1;
      const x = random(xShape, 100 + k);
      const w = random([m, xShape[1] / groups, ...config.kernel], 200 + k);
      const b = bias ? random([m], 300 + k) : undefined;
      const op = convOp(config);
      const [expected] = await runOnnxNode({
        opType: 'Conv',
        inputs: b ? [x, w, b] : [x, w],
        attributes: { kernel_shape: { ints: op.kernel }, strides: { ints: op.stride }, pads: { ints: op.pads }, dilations: { ints: op.dilations }, group: { int: groups } },
      });
      // onnxruntime has no fused activation in a plain Conv node; ReLU of its output is the reference.
      if (op.activation === 'relu') expected.data.forEach((v, i) => (expected.data[i] = Math.max(0, v)));
      expectClose(evalOp(op, b ? [x, w, b] : [x, w])[0], expected);
    });
  });
});
