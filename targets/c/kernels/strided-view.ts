// Strided views: how the generic kernels (elementwise, unary, strided copy, reduce) address any operand.
//
// Element (i0, .., ir-1) of a view lives at float offset `offset + sum over axes of contribution(a, i_a)`,
// where an axis contributes `i * stride`, or `table[i]` when its positions are irregular (the channel axis of a
// channel-routed value, gathered indices). Every movement op is a compile-time transformation of views
// (permute, slice, gather, broadcast, reshape), so one shared C loop per family serves every op and rank.
// Views are plain data: rendering them as C lives in view-source.ts.

import { stridesOf } from '../../../compiler/interpreter/tensor.ts';
import { CompileError } from '../../../compiler/ir/errors.ts';
import type { Placement } from '../../../compiler/plan/types.ts';
import { affineForm } from '../operands.ts';

export interface ViewAxis {
  readonly size: number;
  /** Float step per index (unused when `table` is set). */
  readonly stride: number;
  /** Explicit float offset of each index (length `size`). */
  readonly table?: readonly number[];
}

export interface StridedView {
  readonly offset: number;
  readonly axes: readonly ViewAxis[];
}

/** A dense row-major tensor starting at `offset` (a constant in the weight blob). */
export function denseView(shape: readonly number[], offset = 0): StridedView {
  const strides = stridesOf(shape);
  return { offset, axes: shape.map((size, i) => ({ size, stride: strides[i] })) };
}

/**
 * A planned activation: axis 0 steps by the batch stride, axis 1 through the channel offsets (a stride when
 * they are affine), the rest row-major inside the plane. Rank 0 and 1 values are one plane.
 */
export function placementView(p: Placement, shape: readonly number[]): StridedView {
  if (shape.length < 2) return denseView(shape, p.channelOffsets[0] ?? 0);
  const [batch, channels, ...rest] = shape;
  const plane = stridesOf(rest);
  const affine = affineForm(p.channelOffsets);
  const channel: ViewAxis = affine ? { size: channels, stride: affine[1] } : { size: channels, stride: 0, table: p.channelOffsets };
  return {
    offset: affine ? affine[0] : 0,
    axes: [{ size: batch, stride: p.batchStride }, channel, ...rest.map((size, i) => ({ size, stride: plane[i] }))],
  };
}

export const viewShape = (v: StridedView): number[] => v.axes.map((a) => a.size);

export const viewElements = (v: StridedView): number => v.axes.reduce((n, a) => n * a.size, 1);

/** Axis `i` of the result is axis `perm[i]` of `v`. */
export function permuteView(v: StridedView, perm: readonly number[]): StridedView {
  return { offset: v.offset, axes: perm.map((p) => v.axes[p]) };
}

/** Numpy broadcasting of `v` to `shape` (aligned on the right): stretched axes step by 0. */
export function broadcastView(v: StridedView, shape: readonly number[]): StridedView {
  const lead = shape.length - v.axes.length;
  let offset = v.offset;
  const axes = shape.map((size, i): ViewAxis => {
    const axis = i >= lead ? v.axes[i - lead] : { size: 1, stride: 0 };
    if (axis.size === size) return axis;
    // A size-1 axis stretched: its single position joins the base offset.
    if (axis.table) offset += axis.table[0];
    return { size, stride: 0 };
  });
  return { offset, axes };
}

/** Positions start, start + step, ... (count of them) along `axis`. */
export function sliceView(v: StridedView, axis: number, start: number, step: number, count: number): StridedView {
  const a = v.axes[axis];
  if (a.table) return gatherView(v, axis, Array.from({ length: count }, (_, k) => start + k * step));
  const axes = [...v.axes];
  axes[axis] = { size: count, stride: a.stride * step };
  return { offset: v.offset + (count > 0 ? start * a.stride : 0), axes };
}

/** Positions `indices` (in order) along `axis`: an irregular axis becomes a table. */
export function gatherView(v: StridedView, axis: number, indices: readonly number[]): StridedView {
  const a = v.axes[axis];
  const table = indices.map((i) => (a.table ? a.table[i] : i * a.stride));
  const axes = [...v.axes];
  const affine = affineForm(table);
  axes[axis] = affine && table.length > 0 ? { size: table.length, stride: affine[1] } : { size: table.length, stride: 0, table };
  return { offset: v.offset + (affine && table.length > 0 ? affine[0] : 0), axes };
}

/** Replaces axis `axis` by axes of sizes `parts` (row-major inside it); only a strided axis can be split. */
export function splitAxis(v: StridedView, axis: number, parts: readonly number[]): StridedView {
  const a = v.axes[axis];
  if (a.table) {
    if (parts.filter((p) => p !== 1).length > 1) throw new CompileError('cannot split an irregular view axis', { kind: 'internal' });
    return { offset: v.offset, axes: [...v.axes.slice(0, axis), ...parts.map((size) => (size === 1 ? { size, stride: 0 } : a)), ...v.axes.slice(axis + 1)] };
  }
  const inner = stridesOf(parts);
  return { offset: v.offset, axes: [...v.axes.slice(0, axis), ...parts.map((size, i) => ({ size, stride: a.stride * inner[i] })), ...v.axes.slice(axis + 1)] };
}

/** Joins axes a and a + 1 where that keeps the view exact in every one of `views` (same sizes in all). */
export function mergeAxes(views: readonly StridedView[]): StridedView[] {
  let current = [...views];
  for (let a = (current[0]?.axes.length ?? 0) - 2; a >= 0; a--) {
    const joinable = current.every((v) => {
      const [outer, inner] = [v.axes[a], v.axes[a + 1]];
      return !outer.table && !inner.table && (outer.size === 1 || outer.stride === inner.stride * inner.size);
    });
    if (!joinable) continue;
    current = current.map((v) => {
      const [outer, inner] = [v.axes[a], v.axes[a + 1]];
      const merged = { size: outer.size * inner.size, stride: inner.stride };
      return { offset: v.offset, axes: [...v.axes.slice(0, a), merged, ...v.axes.slice(a + 2)] };
    });
  }
  return current;
}

/**
 * Makes views walkable as rows by the C loops: at least one axis, and a strided last axis (a unit axis is
 * appended after an irregular one). All views get the same treatment so they keep equal shapes.
 */
export function rowReady(views: readonly StridedView[]): StridedView[] {
  const needsUnit = views.some((v) => v.axes.length === 0 || v.axes[v.axes.length - 1].table);
  return needsUnit ? views.map((v) => ({ offset: v.offset, axes: [...v.axes, { size: 1, stride: 0 }] })) : [...views];
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * Two views of the same elements in row-major order but different shapes (a reshape): splits their last axes
 * to a common row length so the copy loop can walk both row by row.
 */
export function commonRows(a: StridedView, b: StridedView): [StridedView, StridedView] {
  const [ra, rb] = rowReady([a]).concat(rowReady([b]));
  const lastA = ra.axes[ra.axes.length - 1];
  const lastB = rb.axes[rb.axes.length - 1];
  const row = gcd(lastA.size, lastB.size);
  const cut = (v: StridedView, last: ViewAxis) => (last.size === row ? v : splitAxis(v, v.axes.length - 1, [last.size / row, row]));
  return [cut(ra, lastA), cut(rb, lastB)];
}

/** The view with `axis` fixed at `index` (the axis disappears). */
export function fixAxis(v: StridedView, axis: number, index: number): StridedView {
  const sliced = sliceView(v, axis, index, 1, 1);
  const a = sliced.axes[axis];
  return { offset: sliced.offset + (a.table ? a.table[0] : 0), axes: sliced.axes.filter((_, i) => i !== axis) };
}
