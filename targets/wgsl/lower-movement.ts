// Node -> generic per-element kernel (kernels/elementwise.ts) for the movement ops channel routing could not
// make views: transpose, slice, gather (constant indices), pad (constant value, negative pads crop), concat and
// split on any axis or with constant parts, reshape across the planar layout, and view nodes whose result is a
// graph output. Each is a compile-time map from output coordinates to input coordinates, so one kernel walks
// the output once: concat is one dispatch (each part loads only inside its range), split one per output.

import { normaliseAxis } from '../../compiler/ir/shape-inference.ts';
import { numel } from '../../compiler/ir/types.ts';
import { stridesOf } from '../../compiler/interpreter/tensor.ts';
import { viewPlacements } from '../../compiler/plan/views.ts';
import type { ElementwiseInput } from './kernels/elementwise.ts';
import { elementwiseKernel } from './kernels/elementwise.ts';
import type { Kernel, KernelContext } from './kernels/kernel.ts';
import { f32Literal, source } from './lower-elementwise.ts';
import type { LoweringContext, NodeOperands } from './lower-node.ts';
import { u32 } from './wgsl-text.ts';

/** Coordinates read at the same place as the output's (size-1 axes read index 0). */
const same = (shape: readonly number[]) => (out: readonly string[]) => shape.map((d, k) => (d === 1 ? '0u' : out[k]));

/** `coordinate + shift` (shift may be negative: only evaluated where the result is in range). */
function shifted(coordinate: string, shift: number): string {
  if (coordinate === '0u') return u32(Math.max(0, shift));
  if (shift === 0) return coordinate;
  return shift > 0 ? `${coordinate} + ${u32(shift)}` : `${coordinate} - ${u32(-shift)}`;
}

/** Input coordinates of a row-major reinterpretation (reshape): output coordinates -> flat index -> input's. */
function reshaped(inShape: readonly number[], outShape: readonly number[]) {
  return (out: readonly string[]): string[] => {
    const outStrides = stridesOf(outShape);
    const terms = out.flatMap((x, k) => (x === '0u' ? [] : [outStrides[k] === 1 ? x : `${x} * ${u32(outStrides[k])}`]));
    const flat = terms.length === 0 ? '0u' : terms.length === 1 ? terms[0] : `(${terms.join(' + ')})`;
    const inStrides = stridesOf(inShape);
    return inShape.map((d, k) => {
      if (d === 1 || flat === '0u') return '0u';
      const quotient = inStrides[k] === 1 ? flat : `(${flat} / ${u32(inStrides[k])})`;
      return k === 0 || inShape.slice(0, k).every((e) => e === 1) ? quotient : `${quotient} % ${u32(d)}`;
    });
  };
}

/** Kernels for the movement ops; undefined when the node is none of them. */
export function lowerMovement(cx: LoweringContext, entry: () => KernelContext, o: NodeOperands): Kernel[] | undefined {
  const { node } = o;
  const op = node.op;
  const inShape = o.shape(node.inputs[0]);
  const rank = inShape.length;
  const outShape = o.shape(node.outputs[0]);
  /** One kernel writing output `index` from the given inputs (none for an empty output). */
  const copy = (kind: string, inputs: ElementwiseInput[], expression: ElementwiseParamsExpression = 'v0', index = 0): Kernel[] => {
    const domain = o.shape(node.outputs[index]);
    if (numel(domain) === 0) return [];
    return [elementwiseKernel(entry(), { kind, domain, y: o.activation(node.outputs[index]), inputs, expression })];
  };
  const x = () => source(o, node.inputs[0]);
  switch (op.kind) {
    case 'transpose': {
      // Output axis k is input axis perm[k].
      const coords = (out: readonly string[]) => inShape.map((d, axis) => (d === 1 ? '0u' : out[op.perm.indexOf(axis)]));
      return copy('transpose', [{ source: x(), coords }]);
    }
    case 'slice': {
      const coords = (out: readonly string[]) => {
        const at = [...out];
        op.axes.forEach((a, k) => {
          const axis = normaliseAxis(a, rank);
          at[axis] = sliceIndex(at[axis], op.starts[k], op.steps[k]);
        });
        return at.map((c, axis) => (inShape[axis] === 1 ? '0u' : c));
      };
      return copy('slice', [{ source: x(), coords }]);
    }
    case 'gather': {
      // The indices (constant, normalised) are input 0, loaded per element; input 1 reads x at that index.
      const axis = normaliseAxis(op.axis, rank);
      const indices = o.graph.values.get(node.inputs[1])!;
      if (!indices.data) return o.fail('gather indices must be constants');
      const positions = Float32Array.from(indices.data, (raw) => {
        const index = raw < 0 ? raw + inShape[axis] : raw;
        return Number.isInteger(index) && index >= 0 && index < inShape[axis] ? index : o.fail(`gather index ${raw} is out of range for axis ${axis} of size ${inShape[axis]}`);
      });
      const q = indices.type.shape.length;
      const index: ElementwiseInput = { source: { kind: 'constant', data: positions, shape: indices.type.shape }, coords: (out) => out.slice(axis, axis + q) };
      const coords = (out: readonly string[]) => inShape.map((d, k) => (d === 1 ? '0u' : k < axis ? out[k] : k === axis ? 'u32(v0)' : out[k - 1 + q]));
      return copy('gather', [index, { source: x(), coords }], 'v1');
    }
    case 'pad': {
      // Each axis's input index is its output index minus the begin pad; outside [0, size) the value is padding.
      const inside = (out: readonly string[]) => padCondition(inShape, outShape, op.pads, out);
      const coords = (out: readonly string[]) => inShape.map((d, k) => (d === 1 ? '0u' : shifted(out[k], -op.pads[k])));
      return copy('pad', [{ source: x(), coords, where: inside }], (out) => {
        const condition = inside(out);
        return condition === 'true' ? 'v0' : `select(${f32Literal(o, op.value)}, v0, ${condition})`;
      });
    }
    case 'concat': {
      // One dispatch: each part loads inside its range along the axis; the others contribute 0.0.
      const axis = normaliseAxis(op.axis, rank);
      let start = 0;
      const parts = node.inputs.map((id) => {
        const shape = o.shape(id);
        const [from, to] = [start, (start += shape[axis])];
        const where = (out: readonly string[]) => rangeCondition(out[axis], from, to, outShape[axis]);
        const coords = (out: readonly string[]) => shape.map((d, k) => (d === 1 ? '0u' : k === axis ? shifted(out[k], -from) : out[k]));
        return { part: { source: source(o, id), coords, where } as ElementwiseInput, empty: shape[axis] === 0 };
      });
      const inputs = parts.filter((p) => !p.empty).map((p) => p.part);
      // Ranges are disjoint and cover the axis: the last part is what no earlier part's range claims.
      return copy('concat', inputs, (out) => inputs.slice(0, -1).reduceRight((rest, p, i) => `select(${rest}, v${i}, ${p.where!(out)})`, `v${inputs.length - 1}`));
    }
    case 'split': {
      const axis = normaliseAxis(op.axis, rank);
      let start = 0;
      return node.outputs.flatMap((id, i) => {
        const from = start;
        start += op.sizes[i];
        const coords = (out: readonly string[]) => inShape.map((d, k) => (d === 1 ? '0u' : k === axis ? shifted(out[k], from) : out[k]));
        return copy('split', [{ source: x(), coords }], 'v0', i);
      });
    }
    case 'reshape':
    case 'identity': {
      const coords = inShape.join() === outShape.join() ? same(inShape) : reshaped(inShape, outShape);
      return copy('copy', [{ source: x(), coords }]);
    }
    case 'channelShuffle': {
      // A shuffle whose result is a graph output: read each channel where the view would have found it.
      const [virtual] = viewPlacements(o.graph, node, node.inputs.map(cx.placementOf));
      return copy('copy', [{ source: { kind: 'activation', operand: cx.operandOf(virtual), shape: outShape }, coords: same(outShape) }]);
    }
    default:
      return undefined;
  }
}

type ElementwiseParamsExpression = string | ((domain: readonly string[]) => string);

/** WGSL condition that `coordinate` lies in [from, to) of an axis of `size`; 'true' when it always does. */
function rangeCondition(coordinate: string, from: number, to: number, size: number): string {
  if (coordinate === '0u') return from <= 0 && to > 0 ? 'true' : 'false';
  const parts = [...(from > 0 ? [`${coordinate} >= ${u32(from)}`] : []), ...(to < size ? [`${coordinate} < ${u32(to)}`] : [])];
  return parts.join(' && ') || 'true';
}

/** Where a pad's output element comes from the input: inside [begin, begin + inSize) on every axis. */
function padCondition(inShape: readonly number[], outShape: readonly number[], pads: readonly number[], out: readonly string[]): string {
  const parts = inShape.map((d, k) => rangeCondition(out[k], pads[k], pads[k] + d, outShape[k])).filter((c) => c !== 'true');
  return parts.includes('false') ? 'false' : parts.join(' && ') || 'true';
}

/** Input index start + o * step of output index o (starts are in range after import; steps may be negative). */
function sliceIndex(o: string, start: number, step: number): string {
  if (o === '0u') return u32(start);
  const times = Math.abs(step) === 1 ? o : `${o} * ${u32(Math.abs(step))}`;
  return `${u32(start)} ${step < 0 ? '-' : '+'} ${times}`;
}
