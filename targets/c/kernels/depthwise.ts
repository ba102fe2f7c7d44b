// Depthwise 3×3 convolution (one filter per channel, padding 1, stride 1 or 2) with fused bias and ReLU.
// Per output row the three input rows are chosen once (a shared zero row stands in for padding rows), the
// interior columns run a branch-free loop the compiler vectorises, and the one or two edge columns are
// unrolled with only their valid taps (known at compile time). One helper per distinct (shape, stride, relu)
// is emitted and shared by every layer with that shape.

import type { Node, OpOf } from '../../../compiler/ir/types.ts';
import { placementAddressing } from '../operands.ts';
import { neonDepthwiseInterior } from '../neon/depthwise-interior.ts';
import { x86DepthwiseInterior } from '../vector/depthwise-interior.ts';
import { wasmDepthwiseInterior } from '../wasm/depthwise-interior.ts';
import type { Kernel, KernelContext } from './context.ts';
import { constData, indent, placementOf, reluExpr, shapeOf, taskCount, taskKernel, taskSpan, WEIGHTS } from './context.ts';
import { convEpilogue, epilogueSummary, loopRelu } from './conv-epilogue.ts';

/** The windows this kernel handles, for a conv the IR classifies as depthwise. */
export function isDepthwise3x3(op: OpOf<'conv2d'>): boolean {
  return (
    op.kernel[0] === 3 && op.kernel[1] === 3 &&
    op.pads.every((p) => p === 1) && op.dilations.every((d) => d === 1) && op.stride[0] === op.stride[1] && (op.stride[0] === 1 || op.stride[0] === 2)
  );
}

export interface PlaneGeometry {
  readonly height: number;
  readonly width: number;
  readonly outHeight: number;
  readonly outWidth: number;
  readonly stride: number;
}

/** Columns [lo, hi) whose three taps all fall inside the row. */
export function interiorColumns(g: PlaneGeometry): [number, number] {
  const lo = Math.min(g.outWidth, 1);
  const hi = Math.max(lo, Math.min(g.outWidth, Math.floor((g.width - 2) / g.stride) + 1));
  return [lo, hi];
}

function edgeColumn(g: PlaneGeometry, ox: number, relu: boolean): string {
  const terms = ['b'];
  for (let ky = 0; ky < 3; ky++) {
    for (let kx = 0; kx < 3; kx++) {
      const ix = ox * g.stride - 1 + kx;
      if (ix >= 0 && ix < g.width) terms.push(`w${ky * 3 + kx} * r${ky}[${ix}]`);
    }
  }
  return `{ const float v = ${terms.join(' + ')}; o[${ox}] = ${reluExpr('v', relu)}; }`;
}

function planeHelper(ctx: KernelContext, name: string, g: PlaneGeometry, relu: boolean, zero: string): string {
  const [lo, hi] = interiorColumns(g);
  const edges = [...Array(g.outWidth).keys()].filter((ox) => ox < lo || ox >= hi);
  const taps = [0, 1, 2].flatMap((ky) => [0, 1, 2].map((kx) => `w${ky * 3 + kx} * r${ky}[ix + ${kx}]`));
  const portableInterior = [
    // A loop-scoped index: clang does not vectorise this loop when the index lives on after it.
    `for (int ox = ${lo}; ox < ${hi}; ox++) {`,
    `  const int ix = ox * ${g.stride} - 1;`,
    `  const float v = b + ${taps.join(' + ')};`,
    `  o[ox] = ${reluExpr('v', relu)};`,
    `}`,
  ].join('\n');
  const hostInterior = ctx.wasm ? wasmDepthwiseInterior(g, lo, hi, relu, portableInterior) : x86DepthwiseInterior(g, lo, hi, relu, portableInterior);
  const interior = hi > lo ? (ctx.neon ? `#if defined(__ARM_NEON)\n${neonDepthwiseInterior(g, lo, hi, relu, portableInterior)}\n#else\n${hostInterior}\n#endif` : hostInterior) : '';
  return [
    `static void ${name}(const float *restrict xp, float *restrict yp, const float *restrict w, const float b) {`,
    `  const float ${[...Array(9).keys()].map((i) => `w${i} = w[${i}]`).join(', ')};`,
    `  int oy;`,
    // Tiny planes may use only some taps; keep -Wunused-variable quiet.
    `  ${[...Array(9).keys()].map((i) => `(void)w${i};`).join(' ')}`,
    `  for (oy = 0; oy < ${g.outHeight}; oy++) {`,
    `    const int iy = oy * ${g.stride} - 1;`,
    `    const float *restrict r0 = iy >= 0 ? xp + iy * ${g.width} : ${zero};`,
    `    const float *restrict r1 = iy + 1 < ${g.height} ? xp + (iy + 1) * ${g.width} : ${zero};`,
    `    const float *restrict r2 = iy + 2 < ${g.height} ? xp + (iy + 2) * ${g.width} : ${zero};`,
    `    float *restrict o = yp + oy * ${g.outWidth};`,
    indent(interior, 2),
    ...edges.map((ox) => `    ${edgeColumn(g, ox, relu)}`),
    `  }`,
    `}`,
  ].join('\n');
}

/**
 * Work units one depthwise multiply-add counts for when a layer is split into tasks (see taskCount, whose units
 * are 1x1 multiply-adds): per multiply-add the row loops run 4-20x slower than the 1x1 microkernels (x0.5 on
 * this CPU: 2-9 GMAC/s against 40-50), and x0.5's stage-4 depthwise convs (42K multiply-adds, 18 us) stayed
 * serial under the plain count.
 */
const DEPTHWISE_COST = 4;

export function emitDepthwise(ctx: KernelContext, node: Node, fn: string): Kernel {
  const op = node.op as OpOf<'conv2d'>;
  const [batch, channels, height, width] = shapeOf(ctx, node.inputs[0]);
  const [, , outHeight, outWidth] = shapeOf(ctx, node.outputs[0]);
  const g: PlaneGeometry = { height, width, outHeight, outWidth, stride: op.stride[0] };
  const relu = loopRelu(op);
  const input = placementAddressing(placementOf(ctx, node.inputs[0], node), ctx.tables);
  const output = placementAddressing(placementOf(ctx, node.outputs[0], node), ctx.tables);
  const wOff = ctx.weights.add(constData(ctx, node.inputs[1], node, 'weight')!);
  const bOff = ctx.weights.add(constData(ctx, node.inputs[2], node, 'bias') ?? new Float32Array(channels));
  const zero = ctx.zeroRow(width);
  const helper = `${ctx.prefix}_dw3x3_${height}x${width}_s${g.stride}${relu ? '_relu' : ''}`;
  ctx.helper(helper, () => planeHelper(ctx, helper, g, relu, zero));
  const tasks = taskCount(channels, DEPTHWISE_COST * batch * channels * outHeight * outWidth * 9);
  const body = [
    `const float *wt = ${WEIGHTS(ctx.prefix)} + ${wOff}, *bias = ${WEIGHTS(ctx.prefix)} + ${bOff};`,
    taskSpan(channels, tasks),
    ...(batch > 1
      ? [`int n, c;`, `for (n = 0; n < ${batch}; n++)`, `  for (c = lo; c < hi; c++)`, `    ${helper}(x + n * ${input.batchStride} + ${input.at('c')}, y + n * ${output.batchStride} + ${output.at('c')}, wt + c * 9, bias[c]);`]
      : [`int c;`, `for (c = lo; c < hi; c++) ${helper}(x + ${input.at('c')}, y + ${output.at('c')}, wt + c * 9, bias[c]);`]),
    ...convEpilogue(ctx, node, { channels: ['lo', 'hi'], pixels: ['0', String(outHeight * outWidth)] }, batch),
  ];
  const summary = `depthwise conv 3x3 s${g.stride} ${channels}ch ${height}x${width} to ${outHeight}x${outWidth}${epilogueSummary(op)}`;
  return taskKernel(node, fn, summary, tasks, body);
}
