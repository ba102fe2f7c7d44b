// Unary activations (ReLU, Sigmoid, HardSigmoid, HardSwish, Clip) through one shared C routine with an op
// table: any rank, any operand placement. The emitted C links no libm, so sigmoid's exp is computed here
// (range reduction to |r| <= ln2/2 and a degree-7 polynomial: relative error near 1e-7). Every op keeps NaN.

import type { Node, UnaryOp } from '../../../compiler/ir/types.ts';
import type { Kernel, KernelContext } from './context.ts';
import { floatLiteral, shapeOf } from './context.ts';
import type { Operand } from './generic-kernel.ts';
import { GenericKernel } from './generic-kernel.ts';
import { mergeAxes, rowReady, viewElements } from './strided-view.ts';
import { rowWalk, viewType } from './view-source.ts';

/**
 * Op codes with the C expression of each: `u` is the input element, `alpha`/`beta` the op's parameters, and
 * EXP / CLAMP01 / CLIP stand for the model's own e^x, min(max(v, 0), 1) and min(max(v, lo), hi) helpers.
 */
const UNARY_TABLE = [
  { name: 'relu', expr: 'u < 0.0f ? 0.0f : u' },
  { name: 'sigmoid', expr: '1.0f / (1.0f + EXP(-u))' },
  { name: 'hardSigmoid', expr: 'CLAMP01(alpha * u + beta)' },
  { name: 'hardSwish', expr: 'u * CLAMP01(u * (1.0f / 6.0f) + 0.5f)' },
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

function expRoutine(ctx: KernelContext): string {
  const p = ctx.prefix;
  ctx.helper('expf', () =>
    [
      `/* e^x without libm: x = k ln2 + r with |r| <= ln2/2, e^r by its degree-7 Taylor polynomial (error < 1e-8), 2^k from the exponent bits. */`,
      `static float ${p}_op_expf(float x) {`,
      `  union { float f; uint32_t u; } scale;`,
      `  float r, e;`,
      `  int32_t k;`,
      `  if (x != x) return x;`,
      `  if (x > 88.0f) x = 88.0f;`,
      `  if (x < -87.0f) x = -87.0f;`,
      `  k = (int32_t)(x * 1.44269504f + (x < 0.0f ? -0.5f : 0.5f));`,
      `  r = (x - (float)k * 0.693145752f) - (float)k * 1.42860677e-6f;`,
      `  e = 1.0f + r * (1.0f + r * (0.5f + r * (1.66666667e-1f + r * (4.16666667e-2f + r * (8.33333333e-3f + r * (1.38888889e-3f + r * 1.98412698e-4f))))));`,
      `  scale.u = (uint32_t)(k + 127) << 23;`,
      `  return e * scale.f;`,
      `}`,
    ].join('\n'),
  );
  return `${p}_op_expf`;
}

function unaryRoutine(ctx: KernelContext): string {
  const p = ctx.prefix;
  const view = viewType(ctx);
  const exp = expRoutine(ctx);
  ctx.helper('unary', () => {
    const cases = UNARY_TABLE.flatMap(({ name, expr }, code) => [
      `  case ${code}: /* ${name} */`,
      `    for (k = 0; k < row; k++) {`,
      `      const float u = xp[k * xs];`,
      `      yp[k * ys] = ${expr.replace('EXP(', `${exp}(`).replace('CLAMP01(', `${p}_op_clamp01(`).replace('CLIP(', `${p}_op_clip(`)};`,
      `    }`,
      `    break;`,
    ]);
    return [
      `/* ONNX Clip: min(max(v, lo), hi), so lo > hi gives hi; NaN stays NaN. */`,
      `static float ${p}_op_clip(float v, float lo, float hi) {`,
      `  const float low = v < lo ? lo : v;`,
      `  return low > hi ? hi : low;`,
      `}`,
      '',
      `static float ${p}_op_clamp01(float v) {`,
      `  return ${p}_op_clip(v, 0.0f, 1.0f);`,
      `}`,
      '',
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
