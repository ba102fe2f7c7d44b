// Pooling: max/average windows and the global average pool.
// Max pool clamps out-of-range taps onto the nearest valid row/column: max is idempotent, so repeating a
// valid element gives the same result as skipping the padded one, and the loops need no branches.

import type { Node, OpOf } from '../../../compiler/ir/types.ts';
import { placementAddressing, type ChannelAddressing } from '../operands.ts';
import type { Kernel, KernelContext } from './context.ts';
import { floatLiteral, placementOf, shapeOf, taskCount, taskKernel, taskSpan } from './context.ts';

/**
 * A task kernel visiting every (batch item, channel) plane pair: `perPlane` reads `xp` and writes `yp`; `vars`
 * are the extra int locals it uses. Tasks take contiguous channel ranges.
 */
function planeKernel(node: Node, fn: string, summary: string, s: { batch: number; channels: number; input: ChannelAddressing; output: ChannelAddressing }, work: number, vars: string, perPlane: readonly string[]): Kernel {
  const tasks = taskCount(s.channels, work);
  const n = s.batch > 1;
  const planes = [
    `for (c = lo; c < hi; c++) {`,
    `  const float *restrict xp = x + ${n ? `n * ${s.input.batchStride} + ` : ''}${s.input.at('c')};`,
    `  float *restrict yp = y + ${n ? `n * ${s.output.batchStride} + ` : ''}${s.output.at('c')};`,
    ...perPlane.map((l) => '  ' + l),
    `}`,
  ];
  const body = [
    taskSpan(s.channels, tasks),
    `int ${n ? 'n, ' : ''}c${vars ? ', ' + vars : ''};`,
    ...(n ? [`for (n = 0; n < ${s.batch}; n++) {`, ...planes.map((l) => '  ' + l), `}`] : planes),
  ];
  return taskKernel(node, fn, summary, tasks, body);
}

/** Shapes, operand addressing and window sizes every pooling emitter starts from. */
function windowSetup(ctx: KernelContext, node: Node, op: OpOf<'maxPool'> | OpOf<'avgPool'>) {
  const [batch, channels, height, width] = shapeOf(ctx, node.inputs[0]);
  const [, , outHeight, outWidth] = shapeOf(ctx, node.outputs[0]);
  const input = placementAddressing(placementOf(ctx, node.inputs[0], node), ctx.tables);
  const output = placementAddressing(placementOf(ctx, node.outputs[0], node), ctx.tables);
  const [kh, kw] = op.kernel;
  const [sh, sw] = op.stride;
  return { batch, channels, height, width, outHeight, outWidth, input, output, kh, kw, sh, sw };
}

export function emitPool(ctx: KernelContext, node: Node, fn: string): Kernel {
  const op = node.op as OpOf<'maxPool'> | OpOf<'avgPool'>;
  if (op.kind === 'maxPool' && op.kernel[0] * op.kernel[1] <= 25) return emitRowMaxPool(ctx, node, fn, op);
  const { batch, channels, height, width, outHeight, outWidth, input, output, kh, kw, sh, sw } = windowSetup(ctx, node, op);
  const [pt, pl, pb, pr] = op.pads;
  const isMax = op.kind === 'maxPool';
  const inner = isMax
    ? [
        `float v = xp[(iy0 < 0 ? 0 : iy0) * ${width} + (ix0 < 0 ? 0 : ix0)];`,
        `for (ky = 0; ky < ${kh}; ky++) {`,
        `  const int iy = iy0 + ky < 0 ? 0 : iy0 + ky >= ${height} ? ${height - 1} : iy0 + ky;`,
        `  for (kx = 0; kx < ${kw}; kx++) {`,
        `    const int ix = ix0 + kx < 0 ? 0 : ix0 + kx >= ${width} ? ${width - 1} : ix0 + kx;`,
        `    const float e = xp[iy * ${width} + ix];`,
        `    v = e > v ? e : v;`,
        `  }`,
        `}`,
        `yp[oy * ${outWidth} + ox] = v;`,
      ]
    : [
        // ONNX AveragePool: count_include_pad counts taps inside the padded extent, otherwise only real pixels.
        `float s = 0.0f;`,
        `int count = 0;`,
        `for (ky = 0; ky < ${kh}; ky++) {`,
        `  for (kx = 0; kx < ${kw}; kx++) {`,
        `    const int iy = iy0 + ky, ix = ix0 + kx;`,
        `    if (iy >= 0 && iy < ${height} && ix >= 0 && ix < ${width}) { s += xp[iy * ${width} + ix]; count++; }`,
        (op as OpOf<'avgPool'>).countIncludePad ? `    else if (iy < ${height + pb} && ix < ${width + pr}) count++;` : '',
        `  }`,
        `}`,
        `yp[oy * ${outWidth} + ox] = count ? s / (float)count : 0.0f;`,
      ].filter(Boolean);
  const perPlane = [
    `for (oy = 0; oy < ${outHeight}; oy++) {`,
    `  for (ox = 0; ox < ${outWidth}; ox++) {`,
    `    const int iy0 = oy * ${sh} - ${pt}, ix0 = ox * ${sw} - ${pl};`,
    ...inner.map((l) => '    ' + l),
    `  }`,
    `}`,
  ];
  const summary = `${op.kind} ${kh}x${kw} s${sh}x${sw} ${channels}ch ${height}x${width} to ${outHeight}x${outWidth}`;
  return planeKernel(node, fn, summary, { batch, channels, input, output }, batch * channels * outHeight * outWidth * kh * kw, 'oy, ox, ky, kx', perPlane);
}

export function emitGlobalAvgPool(ctx: KernelContext, node: Node, fn: string): Kernel {
  const [batch, channels, height, width] = shapeOf(ctx, node.inputs[0]);
  const input = placementAddressing(placementOf(ctx, node.inputs[0], node), ctx.tables);
  const output = placementAddressing(placementOf(ctx, node.outputs[0], node), ctx.tables);
  const plane = height * width;
  const perPlane = [`float s = 0.0f;`, `for (p = 0; p < ${plane}; p++) s += xp[p];`, `yp[0] = s / ${floatLiteral(plane)};`];
  return planeKernel(node, fn, `globalAvgPool ${channels}ch ${height}x${width}`, { batch, channels, input, output }, batch * channels * plane, 'p', perPlane);
}

/**
 * Max pool with up to 25 taps: per output row the kh input rows are chosen once (clamped into the plane), the
 * interior columns run an unrolled, branch-free max over the taps, and the few edge columns use clamped column
 * indices known at compile time.
 */
function emitRowMaxPool(ctx: KernelContext, node: Node, fn: string, op: OpOf<'maxPool'>): Kernel {
  const { batch, channels, height, width, outHeight, outWidth, input, output, kh, kw, sh, sw } = windowSetup(ctx, node, op);
  const [pt, pl] = op.pads;
  const clampCol = (ix: number) => Math.min(width - 1, Math.max(0, ix));
  // Interior: every tap column inside the row.
  const lo = Math.min(outWidth, Math.max(0, Math.ceil(pl / sw)));
  const hi = Math.max(lo, Math.min(outWidth, Math.floor((width - kw + pl) / sw) + 1));
  const maxOf = (terms: string[]) => terms.slice(1).reduce((acc, t) => `v = ${t} > v ? ${t} : v; ` + acc, '').trim();
  const tapTerms = (col: (kx: number) => string) => [...Array(kh).keys()].flatMap((ky) => [...Array(kw).keys()].map((kx) => `r${ky}[${col(kx)}]`));
  const columnCode = (terms: string[], target: string) => `{ float v = ${terms[0]}; ${maxOf(terms)} ${target} = v; }`;
  const edges = [...Array(outWidth).keys()].filter((ox) => ox < lo || ox >= hi);
  const perPlane = [
    `for (oy = 0; oy < ${outHeight}; oy++) {`,
    `  const int iy = oy * ${sh} - ${pt};`,
    ...[...Array(kh).keys()].map((ky) => `  const float *r${ky} = xp + (iy + ${ky} < 0 ? 0 : iy + ${ky} > ${height - 1} ? ${height - 1} : iy + ${ky}) * ${width};`),
    `  float *o = yp + oy * ${outWidth};`,
    ...(hi > lo ? [`  for (ox = ${lo}; ox < ${hi}; ox++) {`, `    const int ix = ox * ${sw} - ${pl};`, `    ${columnCode(tapTerms((kx) => `ix + ${kx}`), 'o[ox]')}`, `  }`] : []),
    ...edges.map((ox) => `  ${columnCode(tapTerms((kx) => String(clampCol(ox * sw - pl + kx))), `o[${ox}]`)}`),
    `}`,
  ];
  const summary = `maxPool ${kh}x${kw} s${sh}x${sw} ${channels}ch ${height}x${width} to ${outHeight}x${outWidth} by rows`;
  return planeKernel(node, fn, summary, { batch, channels, input, output }, batch * channels * outHeight * outWidth * kh * kw, hi > lo ? 'oy, ox' : 'oy', perPlane);
}
