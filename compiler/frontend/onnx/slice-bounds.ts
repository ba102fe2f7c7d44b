// ONNX Slice bounds -> the IR's normalised form: one entry per listed axis, negative indices resolved,
// starts/ends clamped the way ONNX specifies (so INT64 "to the end" markers become the dim size).

import { CompileError } from '../../ir/errors.ts';
import { normaliseAxis } from '../../ir/shape-inference.ts';

export interface SliceBounds {
  readonly axes: number[];
  readonly starts: number[];
  readonly ends: number[];
  readonly steps: number[];
}

export function normaliseSlice(shape: readonly number[], starts: readonly number[], ends: readonly number[], axesIn?: readonly number[], stepsIn?: readonly number[]): SliceBounds {
  const count = starts.length;
  const axesRaw = axesIn ?? [...Array(count).keys()];
  const steps = stepsIn ?? new Array<number>(count).fill(1);
  if (ends.length !== count || axesRaw.length !== count || steps.length !== count) {
    throw new CompileError(`Slice starts/ends/axes/steps lengths differ (${count}, ${ends.length}, ${axesRaw.length}, ${steps.length})`);
  }
  const axes = axesRaw.map((a) => normaliseAxis(a, shape.length));
  if (new Set(axes).size !== axes.length) throw new CompileError(`Slice axes [${axesRaw.join(',')}] repeat an axis`);
  const out: SliceBounds = { axes, starts: [], ends: [], steps: [...steps] };
  axes.forEach((axis, i) => {
    const dim = shape[axis];
    const step = steps[i];
    if (step === 0) throw new CompileError('Slice step must not be 0');
    const resolve = (x: number) => (x < 0 ? x + dim : x);
    // Positive steps clamp to [0, dim]; negative steps walk down from at most dim-1 to just before index 0 (-1).
    const [lo, hi] = step > 0 ? [0, dim] : [-1, dim - 1];
    out.starts.push(Math.min(Math.max(resolve(starts[i]), 0), hi));
    out.ends.push(Math.min(Math.max(resolve(ends[i]), lo), hi));
  });
  return out;
}
