// Means over axes: globalAvgPool (the spatial plane of [N,C,H,W]) and ONNX ReduceMean over any axes.

import { normaliseAxis } from '../ir/shape-inference.ts';
import type { OpOf, TensorType } from '../ir/types.ts';
import type { Tensor } from './tensor.ts';
import { allocate, carrySteps, f32Data, Odometer, stridesOf } from './tensor.ts';

export function globalAvgPool(x: Tensor, outType: TensorType): Tensor {
  const xd = f32Data(x, 'globalAvgPool');
  const out = allocate(outType);
  const [batch, channels, height, width] = x.type.shape;
  const plane = height * width;
  for (let p = 0; p < batch * channels; p++) {
    let sum = 0;
    for (let i = p * plane; i < (p + 1) * plane; i++) sum += xd[i];
    out.data[p] = sum / plane;
  }
  return out;
}

export function reduceMean(op: OpOf<'reduceMean'>, x: Tensor, outType: TensorType): Tensor {
  const xd = f32Data(x, 'reduceMean');
  const shape = x.type.shape;
  const reduced = new Set(op.axes.map((a) => normaliseAxis(a, shape.length)));
  // Each input axis advances the output offset by its output stride, or by 0 when the axis is reduced away
  // (kept axes keep their order whether keepDims leaves size-1 axes in place or drops them).
  const keptShape = shape.map((d, i) => (reduced.has(i) ? 1 : d));
  const keptStrides = stridesOf(keptShape);
  const outStep = shape.map((_, i) => (reduced.has(i) ? 0 : keptStrides[i]));
  const sums = new Float64Array(outType.shape.reduce((a, b) => a * b, 1));
  // Over the input index, moving the output offset along with it.
  const walk = new Odometer(shape);
  const carry = carrySteps(shape, outStep);
  let o = 0;
  for (let i = 0; i < xd.length; i++) {
    sums[o] += xd[i];
    const axis = walk.next();
    if (axis >= 0) o += carry[axis];
  }
  const count = xd.length / Math.max(1, sums.length);
  const out = allocate(outType);
  for (let i = 0; i < sums.length; i++) out.data[i] = sums[i] / count;
  return out;
}
