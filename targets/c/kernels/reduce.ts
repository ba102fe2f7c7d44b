// ReduceMean over any axes of any rank, through one shared C routine: the input view is permuted so the kept
// axes come first (in output order) and the reduced ones last, so each output element is the mean of a run of
// consecutive rows of the input walk. Sums are kept in double, as the reference interpreter does.

import { normaliseAxis } from '../../../compiler/ir/shape-inference.ts';
import type { Node, OpOf } from '../../../compiler/ir/types.ts';
import type { Kernel, KernelContext } from './context.ts';
import { shapeOf } from './context.ts';
import { GenericKernel } from './generic-kernel.ts';
import type { StridedView } from './strided-view.ts';
import { mergeAxes, permuteView, rowReady, viewElements } from './strided-view.ts';
import { viewType } from './view-source.ts';

function reduceRoutine(ctx: KernelContext): string {
  const p = ctx.prefix;
  const view = viewType(ctx);
  ctx.helper('reduce-mean', () =>
    [
      `/* Each element of view y (in order) is the mean of the next per_output rows of view x (count elements). */`,
      `static void ${p}_op_reduce_mean(int32_t rows, int32_t per_output, int32_t count, const ${view} *xv, const float *x, const ${view} *yv, float *y) {`,
      `  const int32_t xrow = xv->size[xv->rank - 1], xs = xv->stride[xv->rank - 1];`,
      `  const int32_t yrow = yv->size[yv->rank - 1], ys = yv->stride[yv->rank - 1];`,
      `  ${p}_op_cursor xc, yc;`,
      `  int32_t r, k, j, i;`,
      `  ${p}_op_cursor_start(&xc, xv);`,
      `  ${p}_op_cursor_start(&yc, yv);`,
      `  for (r = 0; r < rows; r++) {`,
      `    float *yp = y + yc.at;`,
      `    for (k = 0; k < yrow; k++) {`,
      `      double sum = 0.0;`,
      `      for (j = 0; j < per_output; j++) {`,
      `        const float *xp = x + xc.at;`,
      `        for (i = 0; i < xrow; i++) sum += xp[i * xs];`,
      `        ${p}_op_cursor_next_row(&xc);`,
      `      }`,
      `      yp[k * ys] = (float)(sum / (double)count);`,
      `    }`,
      `    ${p}_op_cursor_next_row(&yc);`,
      `  }`,
      `}`,
    ].join('\n'),
  );
  return `${p}_op_reduce_mean`;
}

export function emitReduceMean(ctx: KernelContext, node: Node, fn: string): Kernel {
  const op = node.op as OpOf<'reduceMean'>;
  const k = new GenericKernel(ctx, node, fn);
  const x = k.input(node.inputs[0]);
  const y = k.output(node.outputs[0]);
  const rank = shapeOf(ctx, node.inputs[0]).length;
  const reduced = [...new Set(op.axes.map((a) => normaliseAxis(a, rank)))].sort((a, b) => a - b);
  const kept = [...Array(rank).keys()].filter((a) => !reduced.includes(a));
  const permuted = permuteView(x.view, [...kept, ...reduced]);
  // Rows must not cross from one output element to the next: merge only inside the reduced block, and give a
  // reduction over nothing a unit row.
  const [inner] = mergeAxes([{ offset: 0, axes: permuted.axes.slice(kept.length) }]);
  const innerAxes = inner.axes.length ? inner.axes : [{ size: 1, stride: 0 }];
  const xv: StridedView = rowReady([{ offset: permuted.offset, axes: [...permuted.axes.slice(0, kept.length), ...innerAxes] }])[0];
  const [yv] = rowReady(mergeAxes([y.view]));
  const outputs = viewElements(yv);
  const count = outputs === 0 ? 0 : viewElements(xv) / outputs;
  if (outputs > 0) {
    const perOutput = count / xv.axes[xv.axes.length - 1].size;
    const rows = outputs / yv.axes[yv.axes.length - 1].size;
    k.statement(`${reduceRoutine(ctx)}(${rows}, ${count === 0 ? 0 : perOutput}, ${count}, ${k.view(xv)}, ${x.pointer}, ${k.view(yv)}, ${y.pointer});`);
  }
  return k.build(`reduceMean over axes [${reduced.join(',')}] to [${shapeOf(ctx, node.outputs[0]).join(',')}]`);
}
