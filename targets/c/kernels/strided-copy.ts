// Movement ops the memory plan could not make views (Transpose, Slice, Gather, Pad, Concat and Split off the
// channel axis or with constant operands, Reshape across the planar layout) as one shared strided copy: every op
// is a compile-time transformation of the source or destination view (strided-view.ts), then rows are copied.

import { CompileError } from '../../../compiler/ir/errors.ts';
import { normaliseAxis } from '../../../compiler/ir/shape-inference.ts';
import type { Node } from '../../../compiler/ir/types.ts';
import { commentText } from '../names.ts';
import type { Kernel, KernelContext } from './context.ts';
import { floatLiteral, shapeOf } from './context.ts';
import type { Operand } from './generic-kernel.ts';
import { GenericKernel } from './generic-kernel.ts';
import type { StridedView } from './strided-view.ts';
import { commonRows, fixAxis, gatherView, mergeAxes, permuteView, rowReady, sliceView, splitAxis, viewElements, viewShape } from './strided-view.ts';
import { rowWalk, viewType } from './view-source.ts';

function copyRoutine(ctx: KernelContext): string {
  const p = ctx.prefix;
  const view = viewType(ctx);
  ctx.helper('copy', () =>
    [
      `/* Copies the elements of view x, in order, to view y: same row length and row count (shapes may differ). */`,
      `static void ${p}_op_copy(int32_t rows, const ${view} *xv, const float *x, const ${view} *yv, float *y) {`,
      ...rowWalk(ctx, ['x'], ['y'], [
        'if (xs == 1 && ys == 1) {',
        '  for (k = 0; k < row; k++) yp[k] = xp[k];',
        '} else {',
        '  for (k = 0; k < row; k++) yp[k * ys] = xp[k * xs];',
        '}',
      ]),
      `}`,
    ].join('\n'),
  );
  return `${p}_op_copy`;
}

function fillRoutine(ctx: KernelContext): string {
  const p = ctx.prefix;
  const view = viewType(ctx);
  ctx.helper('fill', () =>
    [
      `/* Sets every element of view y to value. */`,
      `static void ${p}_op_fill(float value, int32_t rows, const ${view} *yv, float *y) {`,
      ...rowWalk(ctx, [], ['y'], ['for (k = 0; k < row; k++) yp[k * ys] = value;']),
      `}`,
    ].join('\n'),
  );
  return `${p}_op_fill`;
}

const rowsOf = (v: StridedView): number => viewElements(v) / v.axes[v.axes.length - 1].size;

/** Emits a copy of `src` (walked in the order of its view) into `dst`. Equal shapes, or equal element counts. */
export function copyCall(k: GenericKernel, src: { view: StridedView; pointer: string }, dst: Operand): void {
  if (viewElements(dst.view) === 0) return;
  const same = viewShape(src.view).join(',') === viewShape(dst.view).join(',');
  const [xv, yv] = same ? rowReady(mergeAxes([src.view, dst.view])) : commonRows(src.view, dst.view);
  k.statement(`${copyRoutine(k.ctx)}(${rowsOf(yv)}, ${k.view(xv)}, ${src.pointer}, ${k.view(yv)}, ${dst.pointer});`);
}

export function fillCall(k: GenericKernel, value: number, dst: Operand): void {
  if (viewElements(dst.view) === 0) return;
  const [yv] = rowReady(mergeAxes([dst.view]));
  k.statement(`${fillRoutine(k.ctx)}(${floatLiteral(value)}, ${rowsOf(yv)}, ${k.view(yv)}, ${dst.pointer});`);
}

/** Output `outputIndex` of a movement node as a strided copy (split gives one kernel per output). */
export function emitStridedCopy(ctx: KernelContext, node: Node, fn: string, outputIndex = 0): Kernel {
  const op = node.op;
  const k = new GenericKernel(ctx, node, fn);
  const rank = shapeOf(ctx, node.inputs[0]).length;
  const y = k.output(node.outputs[outputIndex]);
  let summary: string = op.kind;
  switch (op.kind) {
    case 'transpose': {
      const x = k.input(node.inputs[0]);
      copyCall(k, { ...x, view: permuteView(x.view, op.perm) }, y);
      summary = `transpose [${op.perm.join(',')}]`;
      break;
    }
    case 'slice': {
      const x = k.input(node.inputs[0]);
      let view = x.view;
      op.axes.forEach((a, i) => {
        const axis = normaliseAxis(a, rank);
        view = sliceView(view, axis, op.starts[i], op.steps[i], y.view.axes[axis].size);
      });
      copyCall(k, { ...x, view }, y);
      break;
    }
    case 'gather': {
      const x = k.input(node.inputs[0]);
      const indices = ctx.graph.values.get(node.inputs[1])!;
      if (!indices.data) throw new CompileError('C target: gather indices must be constants', { node: commentText(node.origin), kind: 'unsupported' });
      const axis = normaliseAxis(op.axis, rank);
      const positions = Array.from(indices.data);
      const shape = indices.type.shape;
      if (shape.length <= 1) {
        copyCall(k, { ...x, view: splitAxis(gatherView(x.view, axis, positions), axis, shape) }, y);
      } else {
        // One copy per row of the indices: gathered positions along `axis` into the output row they fill.
        const row = shape[shape.length - 1];
        const lead = shape.slice(0, -1);
        for (let r = 0; r * row < positions.length; r++) {
          const coords: number[] = [];
          let rest = r;
          for (let d = lead.length - 1; d >= 0; d--) {
            coords[d] = rest % lead[d];
            rest = Math.floor(rest / lead[d]);
          }
          let dst = y.view;
          for (let d = lead.length - 1; d >= 0; d--) dst = fixAxis(dst, axis + d, coords[d]);
          copyCall(k, { ...x, view: gatherView(x.view, axis, positions.slice(r * row, (r + 1) * row)) }, { ...y, view: dst });
        }
      }
      summary = `gather on axis ${axis}`;
      break;
    }
    case 'concat': {
      const axis = normaliseAxis(op.axis, rank);
      let start = 0;
      for (const id of node.inputs) {
        const size = shapeOf(ctx, id)[axis];
        copyCall(k, k.input(id), { ...y, view: sliceView(y.view, axis, start, 1, size) });
        start += size;
      }
      summary = `concat on axis ${axis}`;
      break;
    }
    case 'split': {
      const axis = normaliseAxis(op.axis, rank);
      const start = op.sizes.slice(0, outputIndex).reduce((a, b) => a + b, 0);
      const x = k.input(node.inputs[0]);
      copyCall(k, { ...x, view: sliceView(x.view, axis, start, 1, op.sizes[outputIndex]) }, y);
      summary = `split output ${outputIndex} on axis ${axis}`;
      break;
    }
    case 'pad': {
      // Fill everything with the value, then copy the overlap of input and output (negative pads crop).
      const x = k.input(node.inputs[0]);
      fillCall(k, op.value, y);
      let src = x.view;
      let dst = y.view;
      for (let axis = 0; axis < rank; axis++) {
        const begin = op.pads[axis];
        const [inStart, outStart] = [Math.max(0, -begin), Math.max(0, begin)];
        const count = Math.max(0, Math.min(src.axes[axis].size - inStart, dst.axes[axis].size - outStart));
        src = sliceView(src, axis, inStart, 1, count);
        dst = sliceView(dst, axis, outStart, 1, count);
      }
      copyCall(k, { ...x, view: src }, { ...y, view: dst });
      summary = `pad with ${op.value} by [${op.pads.join(',')}]`;
      break;
    }
    case 'reshape':
    case 'identity':
      copyCall(k, k.input(node.inputs[0]), y);
      break;
    default:
      throw new CompileError(`C target: no copy kernel for ${op.kind}`, { node: commentText(node.origin), kind: 'unsupported' });
  }
  return k.build(`${summary} as a strided copy to [${shapeOf(ctx, node.outputs[outputIndex]).join(',')}]`);
}
