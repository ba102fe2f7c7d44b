// Element addresses of an operand of any rank, as WGSL expressions of per-axis coordinates. One generic rule
// for every element-wise and copy kernel: an activation is planar (axis 0 batch, axis 1 channel through its
// address function, the axes after them dense inside the plane; rank 0-1 values are one plane), a constant is
// dense row-major in the kernel's weight block. A coordinate of '0u' is a broadcast axis and costs nothing.

import type { Operand } from '../operand-address.ts';
import type { WeightBlock } from '../weight-block.ts';
import { u32 } from '../wgsl-text.ts';
import { stridesOf } from '../../../compiler/interpreter/tensor.ts';

export type Source =
  | { readonly kind: 'activation'; readonly operand: Operand; readonly shape: readonly number[] }
  | { readonly kind: 'constant'; readonly data: Float32Array; readonly shape: readonly number[] };

/** `base + Σ coord_k * stride_k`, skipping broadcast axes and unit multipliers. */
function linear(base: string, coords: readonly string[], strides: readonly number[]): string {
  // A coordinate may be an expression (a slice's `1u + d2`): bracketed before it is scaled.
  const scaled = (x: string, stride: number) => `${/^[A-Za-z0-9_]+$/.test(x) ? x : `(${x})`} * ${u32(stride)}`;
  const terms = coords.flatMap((x, k) => (x === '0u' ? [] : [strides[k] === 1 ? x : scaled(x, strides[k])]));
  return [base, ...terms].join(' + ');
}

/**
 * The coordinates an operand of `shape` reads for output coordinates `out` under NumPy broadcasting: shapes
 * align on the right, and an axis of size 1 always reads index 0.
 */
export function broadcastCoords(shape: readonly number[], out: readonly string[]): string[] {
  const lead = out.length - shape.length;
  return shape.map((d, k) => (d === 1 ? '0u' : out[k + lead]));
}

/**
 * WGSL address expression of one element. `name` is the address function kernelHead made for an activation
 * (`<entry>_<operand>`); a constant's data is appended to `block` (read with `ws`).
 */
export function elementAddress(source: Source, name: string, coords: readonly string[], block: WeightBlock): string {
  if (source.kind === 'constant') return linear(u32(block.add(source.data)), coords, stridesOf(source.shape));
  const { shape } = source;
  if (shape.length < 2) return linear(`${name}(0u, 0u)`, coords, stridesOf(shape));
  const inner = stridesOf(shape.slice(2));
  return linear(`${name}(${coords[1]}, ${coords[0]})`, coords.slice(2), inner);
}

/** A load of one element: `act[...]` for activations, `ws(...)` for constants. */
export function elementLoad(source: Source, name: string, coords: readonly string[], block: WeightBlock): string {
  const address = elementAddress(source, name, coords, block);
  return source.kind === 'constant' ? `ws(${address})` : `act[${address}]`;
}
