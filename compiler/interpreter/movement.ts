// Ops that only move data: transpose, split, concat, slice, gather, pad, channelShuffle. All work on f32 and i64.
// (reshape and identity need no copy and live in eval-op.ts.)

import { CompileError } from '../ir/errors.ts';
import { normaliseAxis } from '../ir/shape-inference.ts';
import type { OpOf, TensorType } from '../ir/types.ts';
import type { Tensor } from './tensor.ts';
import { allocate, carrySteps, Odometer, product, stridesOf } from './tensor.ts';

/**
 * Fills `out` in order from `x`, starting at element `start`: stepping output axis k moves the read position by
 * `step[k]` (an odometer over the output shape, so any permutation or strided window costs one add per element).
 */
function stridedCopy(x: Tensor, out: Tensor, step: readonly number[], start: number): void {
  const walk = new Odometer(out.type.shape);
  const carry = carrySteps(out.type.shape, step);
  const [src, dst] = [x.data, out.data];
  let i = start;
  for (let o = 0; o < dst.length; o++) {
    dst[o] = src[i];
    const axis = walk.next();
    if (axis >= 0) i += carry[axis];
  }
}

export function transpose(op: OpOf<'transpose'>, x: Tensor, outType: TensorType): Tensor {
  const out = allocate(outType);
  const inStrides = stridesOf(x.type.shape);
  // Walking the output in order, output axis k steps the input by the stride of input axis perm[k].
  const step = op.perm.map((p) => inStrides[p]);
  stridedCopy(x, out, step, 0);
  return out;
}

/** Sizes around `axis`: `outer` blocks, each holding `axisSize * inner` contiguous elements. */
function around(shape: readonly number[], axis: number): { outer: number; inner: number } {
  return { outer: product(shape, 0, axis), inner: product(shape, axis + 1) };
}

export function split(op: OpOf<'split'>, x: Tensor, outTypes: readonly TensorType[]): Tensor[] {
  const axis = normaliseAxis(op.axis, x.type.shape.length);
  const { outer, inner } = around(x.type.shape, axis);
  const inBlock = x.type.shape[axis] * inner;
  let start = 0;
  return outTypes.map((type, k) => {
    const out = allocate(type);
    const block = op.sizes[k] * inner;
    for (let b = 0; b < outer; b++) out.data.set(x.data.subarray(b * inBlock + start, b * inBlock + start + block), b * block);
    start += block;
    return out;
  });
}

export function concat(op: OpOf<'concat'>, inputs: readonly Tensor[], outType: TensorType): Tensor {
  const axis = normaliseAxis(op.axis, outType.shape.length);
  const { outer, inner } = around(outType.shape, axis);
  const outBlock = outType.shape[axis] * inner;
  const out = allocate(outType);
  let start = 0;
  for (const x of inputs) {
    const block = x.type.shape[axis] * inner;
    for (let b = 0; b < outer; b++) out.data.set(x.data.subarray(b * block, (b + 1) * block), b * outBlock + start);
    start += block;
  }
  return out;
}

export function slice(op: OpOf<'slice'>, x: Tensor, outType: TensorType): Tensor {
  const inShape = x.type.shape;
  const shape = outType.shape;
  const inStrides = stridesOf(inShape);
  const first = new Array<number>(inShape.length).fill(0);
  const step = [...inStrides];
  op.axes.forEach((a, k) => {
    const axis = normaliseAxis(a, inShape.length);
    const last = op.starts[k] + (shape[axis] - 1) * op.steps[k];
    if (shape[axis] > 0 && (op.starts[k] < 0 || op.starts[k] >= inShape[axis] || last < 0 || last >= inShape[axis])) {
      throw new CompileError(`slice on axis ${axis} reads indices ${op.starts[k]}..${last} outside size ${inShape[axis]}`);
    }
    first[axis] = op.starts[k];
    step[axis] = op.steps[k] * inStrides[axis];
  });
  const out = allocate(outType);
  stridedCopy(x, out, step, first.reduce((sum, f, axis) => sum + f * inStrides[axis], 0));
  return out;
}

export function gather(op: OpOf<'gather'>, x: Tensor, indices: Tensor, outType: TensorType): Tensor {
  const axis = normaliseAxis(op.axis, x.type.shape.length);
  const size = x.type.shape[axis];
  const { outer, inner } = around(x.type.shape, axis);
  const out = allocate(outType);
  let o = 0;
  for (let b = 0; b < outer; b++) {
    for (const raw of indices.data) {
      const index = raw < 0 ? raw + size : raw; // ONNX allows indices in [-size, size)
      if (!Number.isInteger(index) || index < 0 || index >= size) throw new CompileError(`gather index ${raw} is out of range for axis ${axis} of size ${size}`);
      const from = (b * size + index) * inner;
      out.data.set(x.data.subarray(from, from + inner), o);
      o += inner;
    }
  }
  return out;
}

/** Output channel i*G + g takes input channel g*(C/G) + i (reshape [N,G,C/G,H,W] -> transpose(0,2,1,3,4) -> reshape). */
export function channelShuffle(op: OpOf<'channelShuffle'>, x: Tensor): Tensor {
  const [batch, channels] = x.type.shape;
  const plane = product(x.type.shape, 2);
  const perGroup = channels / op.groups;
  const out = allocate(x.type);
  for (let n = 0; n < batch; n++) {
    for (let g = 0; g < op.groups; g++) {
      for (let i = 0; i < perGroup; i++) {
        const from = (n * channels + g * perGroup + i) * plane;
        out.data.set(x.data.subarray(from, from + plane), (n * channels + i * op.groups + g) * plane);
      }
    }
  }
  return out;
}

/** Constant padding: every output element at an index inside the (possibly cropped) input takes that element. */
export function pad(op: OpOf<'pad'>, x: Tensor, outType: TensorType): Tensor {
  const inShape = x.type.shape;
  const shape = outType.shape;
  const rank = shape.length;
  const inStrides = stridesOf(inShape);
  const out = allocate(outType);
  out.data.fill(op.value);
  const walk = new Odometer(shape);
  const { index } = walk;
  for (let o = 0; o < out.data.length; o++, walk.next()) {
    let from = 0;
    let inside = true;
    for (let axis = 0; axis < rank && inside; axis++) {
      const i = index[axis] - op.pads[axis];
      inside = i >= 0 && i < inShape[axis];
      from += i * inStrides[axis];
    }
    if (inside) out.data[o] = x.data[from];
  }
  return out;
}
