// Per-element ops: batchNorm (inference, per channel on axis 1) and numpy-broadcasting binary arithmetic.
// Binary ops also run on i64 tensors, which is how the ONNX frontend folds shape arithmetic at import.

import { CompileError } from '../ir/errors.ts';
import type { BinaryFn, OpOf, TensorType } from '../ir/types.ts';
import type { Tensor } from './tensor.ts';
import { allocate, carrySteps, f32Data, Odometer, product, stridesOf } from './tensor.ts';

export function batchNorm(op: OpOf<'batchNorm'>, [x, scale, bias, mean, variance]: readonly Tensor[]): Tensor {
  const xd = f32Data(x, 'batchNorm input');
  const [s, b, m, v] = [scale, bias, mean, variance].map((t) => f32Data(t, 'batchNorm parameter'));
  const channels = x.type.shape[1];
  const inner = product(x.type.shape, 2);
  const out = allocate(x.type);
  const yd = out.data;
  for (let base = 0, c = 0; base < xd.length; base += inner, c = (c + 1) % channels) {
    const factor = s[c] / Math.sqrt(v[c] + op.epsilon);
    for (let i = base; i < base + inner; i++) yd[i] = (xd[i] - m[c]) * factor + b[c];
  }
  return out;
}

function apply(fn: BinaryFn, a: number, b: number, integer: boolean): number {
  switch (fn) {
    case 'add':
      return a + b;
    case 'sub':
      return a - b;
    case 'mul':
      return a * b;
    case 'div':
      if (!integer) return a / b;
      if (b === 0) throw new CompileError('integer division by zero');
      return Math.trunc(a / b); // ONNX integer Div truncates toward zero (as onnxruntime's C++ division does)
  }
}

/** Strides of `shape` seen through numpy broadcasting to `outShape`: 0 on broadcast axes. */
function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const padded = [...new Array<number>(outShape.length - shape.length).fill(1), ...shape];
  return stridesOf(padded).map((s, i) => (padded[i] === 1 && outShape[i] !== 1 ? 0 : s));
}

export function binary(op: OpOf<'binary'>, a: Tensor, b: Tensor, residual: Tensor | undefined, outType: TensorType): Tensor {
  const integer = outType.dtype === 'i64';
  const out = allocate(outType);
  const shape = outType.shape;
  const aStrides = broadcastStrides(a.type.shape, shape);
  const bStrides = broadcastStrides(b.type.shape, shape);
  // Over the output index, carrying both operand offsets along.
  const walk = new Odometer(shape);
  const [aCarry, bCarry] = [carrySteps(shape, aStrides), carrySteps(shape, bStrides)];
  let ai = 0;
  let bi = 0;
  for (let o = 0; o < out.data.length; o++) {
    out.data[o] = apply(op.fn, a.data[ai], b.data[bi], integer);
    const axis = walk.next();
    if (axis >= 0) {
      ai += aCarry[axis];
      bi += bCarry[axis];
    }
  }
  // A fused residual is added after the product is rounded, as the unfused add would see it.
  if (op.residual && residual) for (let o = 0; o < out.data.length; o++) out.data[o] += residual.data[o];
  return out;
}
