// Small helpers shared by the interpreter tests: tensor literals, seeded random tensors, tolerant comparison.

import { expect } from 'chai';
import type { Tensor } from '../../../compiler/interpreter/tensor.ts';
import { numel } from '../../../compiler/ir/types.ts';

export function f32(shape: readonly number[], values?: readonly number[]): Tensor {
  return { type: { dtype: 'f32', shape }, data: values ? Float32Array.from(values) : new Float32Array(numel(shape)) };
}

export function i64(shape: readonly number[], values: readonly number[]): Tensor {
  return { type: { dtype: 'i64', shape }, data: Float64Array.from(values) };
}

/** 0, 1, 2, ... (or from `start`), a layout that makes hand-derived expectations easy to read. */
export function iota(shape: readonly number[], start = 0): Tensor {
  return f32(shape, Array.from({ length: numel(shape) }, (_, i) => start + i));
}

/** Deterministic uniform values in [-1, 1) (mulberry32), so failures reproduce. */
export function random(shape: readonly number[], seed: number): Tensor {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return f32(shape, Array.from({ length: numel(shape) }, () => next() * 2 - 1));
}

/** Same shape and dtype, and every element within `atol + rtol * |expected|`. */
export function expectClose(actual: Tensor, expected: Tensor, atol = 1e-5, rtol = 1e-5): void {
  expect(actual.type.shape).to.deep.equal(expected.type.shape);
  expect(actual.type.dtype).to.equal(expected.type.dtype);
  for (let i = 0; i < expected.data.length; i++) {
    const [a, e] = [actual.data[i], expected.data[i]];
    if (Number.isNaN(a) && Number.isNaN(e)) continue;
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) expect.fail(`element ${i}: got ${a}, expected ${e} (shape [${expected.type.shape.join(',')}])`);
  }
}

export function values(t: Tensor): number[] {
  return Array.from(t.data);
}
