// Unary activations (ReLU, Sigmoid, HardSigmoid, HardSwish, Clip) through one shared C routine with an op
// table: any rank, any operand placement. Sigmoid and HardSwish call the activation helpers the conv epilogues
// use (activation.ts: e^x without libm, one formula each), so fused and unfused results agree. Every op keeps NaN.

import type { Node, UnaryOp } from '../../../compiler/ir/types.ts';
import { activationRoutine, clamp01Routine, clipRoutine } from './activation.ts';
import type { Kernel, KernelContext } from './context.ts';
import { floatLiteral, shapeOf } from './context.ts';
import type { Operand } from './generic-kernel.ts';
import { GenericKernel } from './generic-kernel.ts';
import { mergeAxes, rowReady, viewElements } from './strided-view.ts';
import { rowWalk, viewType } from './view-source.ts';

/**
 * Op codes with the C expression of each: `u` is the input element, `alpha`/`beta` the op's parameters, and
 * SIGMOID / HARDSWISH / CLAMP01 / CLIP stand for the model's activation helpers (activation.ts).
 */
const UNARY_TABLE = [
  { name: 'relu', expr: 'u < 0.0f ? 0.0f : u' },
  { name: 'sigmoid', expr: 'SIGMOID(u)' },
  { name: 'hardSigmoid', expr: 'CLAMP01(alpha * u + beta)' },
  { name: 'hardSwish', expr: 'HARDSWISH(u)' },
  { name: 'clip', expr: 'CLIP(u, alpha, beta)' },
  { name: 'clip below', expr: 'u < alpha ? alpha : u' },
  { name: 'clip above', expr: 'u > beta ? beta : u' },
  { name: 'copy', expr: 'u' },
] as const;

type UnaryName = (typeof UNARY_TABLE)[number]['name'];

function codeOf(name: UnaryName): number {
  return UNARY_TABLE.findIndex((e) => e.name === name);
}

/** Which table entry and parameters compute `op` (an open clip side needs no compare: +-Infinity has no C99 literal). */
function lower(op: UnaryOp): { name: UnaryName; alpha: number; beta: number } {
  switch (op.kind) {
    case 'hardSigmoid':
      return { name: 'hardSigmoid', alpha: op.alpha, beta: op.beta };
    case 'clip': {
      const low = Number.isFinite(op.min);
      const high = Number.isFinite(op.max);
      const name = low && high ? 'clip' : low ? 'clip below' : high ? 'clip above' : 'copy';
      return { name, alpha: low ? op.min : 0, beta: high ? op.max : 0 };
    }
    default:
      return { name: op.kind, alpha: 0, beta: 0 };
  }
}

function unaryRoutine(ctx: KernelContext): string {
  const p = ctx.prefix;
  const view = viewType(ctx);
  const clip = clipRoutine(ctx);
  const clamp01 = clamp01Routine(ctx);
  const sigmoid = activationRoutine(ctx, 'sigmoid');
  const hardSwish = activationRoutine(ctx, 'hardSwish');
  ctx.helper('unary', () => {
    const cases = UNARY_TABLE.flatMap(({ name, expr }, code) => [
      `  case ${code}: /* ${name} */`,
      `    for (k = 0; k < row; k++) {`,
      `      const float u = xp[k * xs];`,
      `      yp[k * ys] = ${expr.replace('SIGMOID(', `${sigmoid}(`).replace('HARDSWISH(', `${hardSwish}(`).replace('CLAMP01(', `${clamp01}(`).replace('CLIP(', `${clip}(`)};`,
      `    }`,
      `    break;`,
    ]);
    return [
      `/* y = f(x) over two views of one shape, row by row; alpha and beta are the op's parameters. */`,
      `static void ${p}_op_unary(int32_t op, float alpha, float beta, int32_t rows, const ${view} *xv, const float *x, const ${view} *yv, float *y) {`,
      ...rowWalk(ctx, ['x'], ['y'], ['switch (op) {', ...cases, '  default:', '    return;', '}']),
      `}`,
    ].join('\n');
  });
  return `${p}_op_unary`;
}

/** Emits `y = op(x)` into kernel `k` (x and y of one shape). */
export function unaryCall(k: GenericKernel, op: UnaryOp, x: Operand, y: Operand): void {
  const { name, alpha, beta } = lower(op);
  const [xv, yv] = rowReady(mergeAxes([x.view, y.view]));
  if (viewElements(yv) === 0) return;
  const rows = viewElements(yv) / yv.axes[yv.axes.length - 1].size;
  const routine = unaryRoutine(k.ctx);
  k.statement(`${routine}(${codeOf(name)}, ${floatLiteral(alpha)}, ${floatLiteral(beta)}, ${rows}, ${k.view(xv)}, ${x.pointer}, ${k.view(yv)}, ${y.pointer});`);
}

export function emitUnary(ctx: KernelContext, node: Node, fn: string): Kernel {
  const op = node.op as UnaryOp;
  const k = new GenericKernel(ctx, node, fn);
  unaryCall(k, op, k.input(node.inputs[0]), k.output(node.outputs[0]));
  return k.build(`${op.kind} on [${shapeOf(ctx, node.outputs[0]).join(',')}]`);
}
