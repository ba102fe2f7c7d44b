// Gemm and MatMul in every form without a dense form for the classifier kernel (compiler/ir/dense-form.ts):
// batched and broadcast MatMul, rank-1 operands, transA, two runtime operands, a matrix C. One shared C routine
// over views: the loop space is [batch..., M, N, K], A steps by 0 along N and B along M, and each
// output element is the dot product of one K-row of each, summed in double like the reference interpreter.

import { CompileError } from '../../../compiler/ir/errors.ts';
import type { Node, OpOf } from '../../../compiler/ir/types.ts';
import { commentText } from '../names.ts';
import type { Kernel, KernelContext } from './context.ts';
import { floatLiteral, shapeOf, WEIGHTS } from './context.ts';
import type { Operand } from './generic-kernel.ts';
import { GenericKernel } from './generic-kernel.ts';
import type { StridedView, ViewAxis } from './strided-view.ts';
import { broadcastView, denseView, permuteView, rowReady, viewElements } from './strided-view.ts';
import { viewType } from './view-source.ts';

function dotRoutine(ctx: KernelContext): string {
  const p = ctx.prefix;
  const view = viewType(ctx);
  ctx.helper('dot', () =>
    [
      `/* Each element of view y (in order) is alpha times the dot product of the next rows of views a and b (per_output rows each), plus the matching element of view c when given. */`,
      `static void ${p}_op_dot(int32_t rows, int32_t per_output, float alpha, const ${view} *av, const float *a, const ${view} *bv, const float *b, const ${view} *cv, const float *c, const ${view} *yv, float *y) {`,
      `  const int32_t krow = av->size[av->rank - 1], as = av->stride[av->rank - 1], bs = bv->stride[bv->rank - 1];`,
      `  const int32_t yrow = yv->size[yv->rank - 1], ys = yv->stride[yv->rank - 1], cs = cv ? cv->stride[cv->rank - 1] : 0;`,
      `  ${p}_op_cursor ac, bc, cc, yc;`,
      `  int32_t r, k, j, i;`,
      `  ${p}_op_cursor_start(&ac, av);`,
      `  ${p}_op_cursor_start(&bc, bv);`,
      `  ${p}_op_cursor_start(&yc, yv);`,
      `  if (cv) ${p}_op_cursor_start(&cc, cv);`,
      `  for (r = 0; r < rows; r++) {`,
      `    float *yp = y + yc.at;`,
      `    for (k = 0; k < yrow; k++) {`,
      `      double sum = 0.0;`,
      `      for (j = 0; j < per_output; j++) {`,
      `        const float *ap = a + ac.at, *bp = b + bc.at;`,
      `        for (i = 0; i < krow; i++) sum += (double)ap[i * as] * (double)bp[i * bs];`,
      `        ${p}_op_cursor_next_row(&ac);`,
      `        ${p}_op_cursor_next_row(&bc);`,
      `      }`,
      `      yp[k * ys] = (float)((double)alpha * sum + (cv ? (double)c[cc.at + k * cs] : 0.0));`,
      `    }`,
      `    ${p}_op_cursor_next_row(&yc);`,
      `    if (cv) ${p}_op_cursor_next_row(&cc);`,
      `  }`,
      `}`,
    ].join('\n'),
  );
  return `${p}_op_dot`;
}

const unit: ViewAxis = { size: 1, stride: 0 };
const withAxis = (v: StridedView, at: number, axis: ViewAxis): StridedView => ({ offset: v.offset, axes: [...v.axes.slice(0, at), axis, ...v.axes.slice(at)] });

export function emitMatMul(ctx: KernelContext, node: Node, fn: string): Kernel {
  const op = node.op as OpOf<'gemm'> | OpOf<'matMul'>;
  const k = new GenericKernel(ctx, node, fn);
  const [a, b] = node.inputs.slice(0, 2).map((id) => k.input(id));
  const y = k.output(node.outputs[0]);
  const [aRank, bRank] = node.inputs.slice(0, 2).map((id) => shapeOf(ctx, id).length);
  // Matrices [.., M, K] and [.., K, N]: transposes are permuted views, rank-1 operands get their unit axis.
  let av = op.kind === 'gemm' && op.transA ? permuteView(a.view, [1, 0]) : aRank === 1 ? withAxis(a.view, 0, unit) : a.view;
  let bv = op.kind === 'gemm' && op.transB ? permuteView(b.view, [1, 0]) : bRank === 1 ? withAxis(b.view, 1, unit) : b.view;
  let yv = y.view;
  if (aRank === 1) yv = withAxis(yv, yv.axes.length - (bRank === 1 ? 0 : 1), unit);
  if (bRank === 1) yv = withAxis(yv, yv.axes.length, unit);
  const outShape = yv.axes.map((x) => x.size);
  const batch = outShape.slice(0, -2);
  const [m, n] = outShape.slice(-2);
  const kSize = av.axes[av.axes.length - 1].size;
  // Loop space [batch..., M, N, K].
  av = broadcastView(withAxis(av, av.axes.length - 1, { size: n, stride: 0 }), [...batch, m, n, kSize]);
  const r = bv.axes.length;
  const bt = permuteView(bv, [...[...Array(r - 2).keys()], r - 1, r - 2]);
  bv = broadcastView(withAxis(bt, bt.axes.length - 2, { size: m, stride: 0 }), [...batch, m, n, kSize]);
  let c: Operand | undefined;
  const alpha = op.kind === 'gemm' ? op.alpha : 1;
  if (op.kind === 'gemm' && node.inputs[2] !== undefined) {
    const cValue = ctx.graph.values.get(node.inputs[2])!;
    if (cValue.data) {
      const scaled = Float32Array.from(cValue.data, (v) => op.beta * v);
      c = { view: denseView(cValue.type.shape, ctx.weights.add(scaled)), pointer: WEIGHTS(ctx.prefix) };
    } else if (op.beta === 1) {
      c = k.input(node.inputs[2]);
    } else {
      throw new CompileError('C target: gemm with a runtime C and beta != 1 is not supported', { node: commentText(node.origin), kind: 'unsupported' });
    }
  }
  if (viewElements(yv) > 0) {
    const [ar, br] = rowReady([av, bv]);
    const [yr, cr] = rowReady(c ? [yv, broadcastView(c.view, outShape)] : [yv]);
    // A K axis held in a table (a channel-routed A) is walked in unit rows.
    const perOutput = kSize === 0 ? 0 : kSize / ar.axes[ar.axes.length - 1].size;
    const rows = viewElements(yr) / yr.axes[yr.axes.length - 1].size;
    const cArgs = c && cr ? `${k.view(cr)}, ${c.pointer}` : '0, 0';
    k.statement(`${dotRoutine(ctx)}(${rows}, ${perOutput}, ${floatLiteral(alpha)}, ${k.view(ar)}, ${a.pointer}, ${k.view(br)}, ${b.pointer}, ${cArgs}, ${k.view(yr)}, ${y.pointer});`);
  }
  return k.build(`${op.kind} to [${shapeOf(ctx, node.outputs[0]).join(',')}] as batched dot products`);
}
