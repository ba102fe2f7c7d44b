// The interpreter's runtime value: a type plus a flat row-major buffer.
// f32 tensors hold a Float32Array; i64 tensors hold a Float64Array (exact to 2^53), as in compiler/ir/types.ts.

import { CompileError } from '../ir/errors.ts';
import type { TensorType } from '../ir/types.ts';
import { numel } from '../ir/types.ts';

export interface Tensor {
  readonly type: TensorType;
  readonly data: Float32Array | Float64Array;
}

export function allocate(type: TensorType): Tensor {
  const n = numel(type.shape);
  return { type, data: type.dtype === 'f32' ? new Float32Array(n) : new Float64Array(n) };
}

/** Row-major strides in elements. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

/**
 * A row-major walk over `shape`: next() moves to the following position and returns the axis that advanced (the
 * axes after it wrapped to 0), or -1 past the last position. Offsets into other buffers follow it with carrySteps.
 */
export class Odometer {
  readonly index: number[];

  constructor(private readonly shape: readonly number[]) {
    this.index = new Array<number>(shape.length).fill(0);
  }

  next(): number {
    const { shape, index } = this;
    for (let axis = shape.length - 1; axis >= 0; axis--) {
      if (++index[axis] < shape[axis]) return axis;
      index[axis] = 0;
    }
    return -1;
  }
}

/**
 * For an offset that moves by `step[k]` per unit of axis k (a permuted, strided, broadcast or reduced view), how it
 * changes when Odometer.next() reports axis a: step[a] less the way the wrapped inner axes travel back. So any view
 * costs one add per element.
 */
export function carrySteps(shape: readonly number[], step: readonly number[]): number[] {
  const carry = new Array<number>(shape.length);
  let back = 0;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    carry[axis] = step[axis] - back;
    back += step[axis] * (shape[axis] - 1);
  }
  return carry;
}

/** Product of shape[from, to). */
export function product(shape: readonly number[], from = 0, to = shape.length): number {
  let p = 1;
  for (let i = from; i < to; i++) p *= shape[i];
  return p;
}

/** The f32 buffer of a tensor, or a CompileError naming the op that needs floats. */
export function f32Data(t: Tensor, what: string): Float32Array {
  if (!(t.data instanceof Float32Array) || t.type.dtype !== 'f32') throw new CompileError(`${what} needs f32 data, got ${t.type.dtype}`);
  return t.data;
}
