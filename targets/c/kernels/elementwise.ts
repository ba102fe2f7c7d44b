// Element-wise binary ops with NumPy broadcasting (Add, Sub, Mul, Div) and a standalone batchNorm, through one
// shared C routine: both operands are views broadcast to the output's shape, walked row by row, with the op
// chosen from a small table outside the row loop so every row is one tight loop.

import type { BinaryFn, Node, OpOf } from '../../../compiler/ir/types.ts';
import type { Kernel, KernelContext } from './context.ts';
import { constData, shapeOf, WEIGHTS } from './context.ts';
import type { Operand } from './generic-kernel.ts';
import { GenericKernel } from './generic-kernel.ts';
import type { StridedView } from './strided-view.ts';
import { broadcastView, denseView, mergeAxes, rowReady, viewElements } from './strided-view.ts';
import { rowWalk, viewType } from './view-source.ts';

/** Op codes of the shared routine and the C expression of each (u, v are the operands). */
const BINARY_TABLE: Record<BinaryFn, { code: number; expr: string }> = {
  add: { code: 0, expr: 'u + v' },
  sub: { code: 1, expr: 'u - v' },
  mul: { code: 2, expr: 'u * v' },
  div: { code: 3, expr: 'u / v' },
};

function binaryRoutine(ctx: KernelContext): string {
  const p = ctx.prefix;
  const view = viewType(ctx);
  ctx.helper('binary', () => {
    const cases = Object.entries(BINARY_TABLE).flatMap(([fn, { code, expr }]) => [
      `  case ${code}: /* ${fn} */`,
      `    for (k = 0; k < row; k++) {`,
      `      const float u = ap[k * as], v = bp[k * bs];`,
      `      yp[k * ys] = ${expr};`,
      `    }`,
      `    break;`,
    ]);
    return [
      `/* y = a (op) b over three views of one shape (broadcast operands step by 0), row by row. */`,
      `static void ${p}_op_binary(int32_t op, int32_t rows, const ${view} *av, const float *a, const ${view} *bv, const float *b, const ${view} *yv, float *y) {`,
      ...rowWalk(ctx, ['a', 'b'], ['y'], ['switch (op) {', ...cases, '  default:', '    return;', '}']),
      `}`,
    ].join('\n');
  });
  return `${p}_op_binary`;
}

/** Emits `y = a fn b` into kernel `k`; `a` and `b` may have any shapes that broadcast to y's. */
export function binaryCall(k: GenericKernel, fn: BinaryFn, a: Operand, b: Operand, y: Operand): void {
  const shape = y.view.axes.map((axis) => axis.size);
  const views: StridedView[] = rowReady(mergeAxes([broadcastView(a.view, shape), broadcastView(b.view, shape), y.view]));
  const rowLength = views[2].axes[views[2].axes.length - 1].size;
  if (viewElements(views[2]) === 0) return;
  const routine = binaryRoutine(k.ctx);
  const [av, bv, yv] = views.map((v) => k.view(v));
  k.statement(`${routine}(${BINARY_TABLE[fn].code}, ${viewElements(views[2]) / rowLength}, ${av}, ${a.pointer}, ${bv}, ${b.pointer}, ${yv}, ${y.pointer});`);
}

export function emitBinary(ctx: KernelContext, node: Node, fn: string): Kernel {
  const op = node.op as OpOf<'binary'>;
  const k = new GenericKernel(ctx, node, fn);
  const [a, b] = node.inputs.map((id) => k.input(id));
  binaryCall(k, op.fn, a, b, k.output(node.outputs[0]));
  return k.build(`${op.fn} with broadcasting to [${shapeOf(ctx, node.outputs[0]).join(',')}]`);
}

/**
 * Standalone batchNorm (one the passes could not fold into a conv): y = x * scale' + shift' per channel
 * (axis 1), with scale' = scale / sqrt(var + eps) and shift' = bias - mean * scale' computed here in double.
 */
export function emitBatchNorm(ctx: KernelContext, node: Node, fn: string): Kernel {
  const op = node.op as OpOf<'batchNorm'>;
  const k = new GenericKernel(ctx, node, fn);
  const [scale, bias, mean, variance] = node.inputs.slice(1).map((id) => Float64Array.from(constData(ctx, id, node, 'parameter')!));
  const factor = scale.map((s, c) => s / Math.sqrt(variance[c] + op.epsilon));
  const shift = bias.map((b, c) => b - mean[c] * factor[c]);
  const shape = shapeOf(ctx, node.inputs[0]);
  // Per-channel parameters seen as [C, 1, ...] so they broadcast along axis 1.
  const perChannel = (data: Float32Array): Operand => ({
    view: denseView([data.length, ...shape.slice(2).map(() => 1)], ctx.weights.add(data)),
    pointer: WEIGHTS(ctx.prefix),
  });
  const x = k.input(node.inputs[0]);
  const y = k.output(node.outputs[0]);
  binaryCall(k, 'mul', x, perChannel(Float32Array.from(factor)), y);
  // In place: the second pass reads each element of y exactly where it writes it.
  binaryCall(k, 'add', y, perChannel(Float32Array.from(shift)), y);
  return k.build(`batchNorm (epsilon ${op.epsilon}) on [${shape.join(',')}]`);
}
