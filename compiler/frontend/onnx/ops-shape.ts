// Movement ops. Everything that decides a shape (Reshape's shape, Slice bounds, axes) must be a compile-time
// constant by now; Flatten/Squeeze/Unsqueeze become reshapes with a fully resolved target shape.

import { CompileError } from '../../ir/errors.ts';
import { normaliseAxis } from '../../ir/shape-inference.ts';
import { numel } from '../../ir/types.ts';
import type { NodeView } from './node-view.ts';
import { normaliseSlice } from './slice-bounds.ts';

const show = (s: readonly number[]) => `[${s.join(',')}]`;

function reshapeTo(n: NodeView, shape: readonly number[]): number[] {
  return n.emit({ kind: 'reshape', shape: [...shape] }, [n.input(0)]);
}

/** Resolves Reshape's 0 (copy the input dim, unless allowzero) and -1 (infer). */
export function resolveReshape(input: readonly number[], requested: readonly number[], allowZero: boolean): number[] {
  const fail = (): never => {
    throw new CompileError(`cannot reshape ${show(input)} to ${show(requested)}`);
  };
  const out = requested.map((d, i) => {
    if (d === 0 && !allowZero) return i < input.length ? input[i] : fail();
    if (d < -1) fail();
    return d;
  });
  const unknown = out.filter((d) => d === -1).length;
  if (unknown > 1) fail();
  const total = numel(input);
  if (unknown === 1) {
    const known = numel(out.filter((d) => d !== -1));
    if (known === 0 || total % known !== 0) fail();
    out[out.indexOf(-1)] = total / known;
  }
  if (numel(out) !== total) fail();
  return out;
}

export function importReshape(n: NodeView): number[] {
  const requested = n.hasInput(1) ? n.constantInts(1, 'shape') : n.attrs.ints('shape');
  return reshapeTo(n, resolveReshape(n.shape(0), requested, n.attrs.int('allowzero', 0) !== 0));
}

export function importFlatten(n: NodeView): number[] {
  const shape = n.shape(0);
  let axis = n.attrs.int('axis', 1);
  if (axis < 0) axis += shape.length;
  if (axis < 0 || axis > shape.length) throw new CompileError(`Flatten axis ${n.attrs.int('axis', 1)} out of range for rank ${shape.length}`);
  return reshapeTo(n, [numel(shape.slice(0, axis)), numel(shape.slice(axis))]);
}

/** Squeeze/Unsqueeze axes: an attribute before opset 13, an input from 13 on. */
function axesOf(n: NodeView): number[] | undefined {
  if (n.hasInput(1)) return n.constantInts(1, 'axes');
  return n.attrs.has('axes') ? n.attrs.ints('axes') : undefined;
}

export function importSqueeze(n: NodeView): number[] {
  const shape = n.shape(0);
  const given = axesOf(n);
  const axes = given ? given.map((a) => normaliseAxis(a, shape.length)) : shape.flatMap((d, i) => (d === 1 ? [i] : []));
  for (const a of axes) if (shape[a] !== 1) throw new CompileError(`cannot squeeze axis ${a} of size ${shape[a]} in ${show(shape)}`);
  return reshapeTo(n, shape.filter((_, i) => !axes.includes(i)));
}

export function importUnsqueeze(n: NodeView): number[] {
  const shape = n.shape(0);
  const given = axesOf(n);
  if (!given) throw new CompileError('Unsqueeze needs axes');
  const rank = shape.length + given.length;
  const axes = given.map((a) => normaliseAxis(a, rank));
  if (new Set(axes).size !== axes.length) throw new CompileError(`Unsqueeze axes [${given.join(',')}] repeat an axis`);
  const out: number[] = [];
  let next = 0;
  for (let i = 0; i < rank; i++) out.push(axes.includes(i) ? 1 : shape[next++]);
  return reshapeTo(n, out);
}

export function importTranspose(n: NodeView): number[] {
  const rank = n.shape(0).length;
  const perm = n.attrs.ints('perm', [...Array(rank).keys()].reverse());
  return n.emit({ kind: 'transpose', perm }, [n.input(0)]);
}

export function importConcat(n: NodeView): number[] {
  const axis = normaliseAxis(n.attrs.int('axis'), n.shape(0).length);
  return n.emit({ kind: 'concat', axis }, n.inputs());
}

export function importGather(n: NodeView): number[] {
  const shape = n.shape(0);
  const axis = normaliseAxis(n.attrs.int('axis', 0), shape.length);
  const idx = n.constant(1, 'indices');
  // Negative indices are resolved here so no target has to handle them.
  const size = shape[axis];
  const data = Float64Array.from(idx.data, (i) => {
    const j = i < 0 ? i + size : i;
    if (!Number.isInteger(j) || j < 0 || j >= size) throw new CompileError(`Gather index ${i} is out of range for axis ${axis} of size ${size}`);
    return j;
  });
  const indices = n.addConstant(`${n.origin}:indices`, { type: { dtype: 'i64', shape: idx.type.shape }, data });
  return n.emit({ kind: 'gather', axis }, [n.input(0), indices]);
}

/** Split sizes: an input (opset 13+), the `split` attribute (before 13), or an equal split into the outputs. */
export function importSplit(n: NodeView): number[] {
  const shape = n.shape(0);
  const axis = normaliseAxis(n.attrs.int('axis', 0), shape.length);
  const dim = shape[axis];
  const parts = n.outputNames.length;
  let sizes = n.hasInput(1) ? n.constantInts(1, 'split') : n.attrs.has('split') ? n.attrs.ints('split') : undefined;
  if (!sizes) {
    // Opset 18's num_outputs allows a smaller last chunk: ceil(dim / parts) each.
    const chunk = Math.ceil(dim / parts);
    if (dim % parts !== 0 && !n.attrs.has('num_outputs')) throw new CompileError(`cannot split size ${dim} into ${parts} equal parts`);
    sizes = Array.from({ length: parts }, (_, i) => Math.max(0, Math.min(chunk, dim - i * chunk)));
  }
  if (sizes.length !== parts) throw new CompileError(`Split gives ${sizes.length} sizes for ${parts} outputs`);
  return n.emit({ kind: 'split', axis, sizes }, [n.input(0)]);
}

/** Slice: inputs starts/ends/axes/steps from opset 10, attributes before. */
export function importSlice(n: NodeView): number[] {
  const shape = n.shape(0);
  const fromInputs = n.hasInput(1);
  const starts = fromInputs ? n.constantInts(1, 'starts') : n.attrs.ints('starts');
  const ends = fromInputs ? n.constantInts(2, 'ends') : n.attrs.ints('ends');
  const axes = fromInputs ? (n.hasInput(3) ? n.constantInts(3, 'axes') : undefined) : n.attrs.has('axes') ? n.attrs.ints('axes') : undefined;
  const steps = fromInputs && n.hasInput(4) ? n.constantInts(4, 'steps') : undefined;
  return n.emit({ kind: 'slice', ...normaliseSlice(shape, starts, ends, axes, steps) }, [n.input(0)]);
}

/**
 * Pad in constant mode: pads and the value are attributes before opset 11 and constant inputs from 11 on; the
 * optional axes input (opset 18) picks the axes the pads list. Padding nothing is the identity (PyTorch emits
 * such a Pad in front of some AveragePools). Other modes (reflect, edge, wrap) are not supported.
 */
export function importPad(n: NodeView): number[] {
  const mode = n.attrs.string('mode', 'constant');
  const rank = n.shape(0).length;
  const given = n.hasInput(1) ? n.constantInts(1, 'pads') : n.attrs.ints('pads');
  if (given.every((p) => p === 0)) return n.emit({ kind: 'identity' }, [n.input(0)]);
  if (mode !== 'constant') throw new CompileError(`Pad mode ${JSON.stringify(mode.slice(0, 20))} is not supported (only constant)`, { kind: 'unsupported' });
  const axes = n.hasInput(3) ? n.constantInts(3, 'axes').map((a) => normaliseAxis(a, rank)) : [...Array(rank).keys()];
  if (given.length !== 2 * axes.length) throw new CompileError(`Pad has ${given.length} pads for ${axes.length} axes`);
  const pads = new Array<number>(2 * rank).fill(0);
  axes.forEach((axis, i) => {
    pads[axis] = given[i];
    pads[axis + rank] = given[i + axes.length];
  });
  const value = n.hasInput(2) ? (n.constant(2, 'constant_value').data[0] ?? 0) : n.attrs.float('value', 0);
  return n.emit({ kind: 'pad', pads, value }, [n.input(0)]);
}
