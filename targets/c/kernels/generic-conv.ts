// Any other convolution (the 3×3 stride-2 stem, grouped or dilated convs, other kernel sizes): weight-stationary
// direct convolution. Each output plane starts at its bias; every (input channel, tap) adds one weight times a
// strided run of input pixels. The valid output rows/columns of each tap are compile-time tables, so padding
// costs no branches in the inner loop.

import type { Node, OpOf } from '../../../compiler/ir/types.ts';
import { placementAddressing } from '../operands.ts';
import type { Kernel, KernelContext } from './context.ts';
import { batchLoop } from './conv1x1.ts';
import { constData, placementOf, reluExpr, shapeOf, taskCount, taskKernel, taskSpan, WEIGHTS } from './context.ts';
import { convEpilogue, epilogueSummary, loopRelu } from './conv-epilogue.ts';

/** For each tap k, output positions [lo, hi) whose input index o*stride - pad + k*dilation is in [0, size). */
export function tapRanges(outSize: number, size: number, kernel: number, stride: number, pad: number, dilation: number): { lo: number[]; hi: number[] } {
  const lo: number[] = [];
  const hi: number[] = [];
  for (let k = 0; k < kernel; k++) {
    const shift = pad - k * dilation;
    const l = Math.max(0, Math.ceil(shift / stride));
    lo.push(Math.min(l, outSize));
    hi.push(Math.max(Math.min(l, outSize), Math.min(outSize, Math.floor((size - 1 + shift) / stride) + 1)));
  }
  return { lo, hi };
}

export function emitGenericConv(ctx: KernelContext, node: Node, fn: string): Kernel {
  const op = node.op as OpOf<'conv2d'>;
  const [batch, channels, height, width] = shapeOf(ctx, node.inputs[0]);
  const [, outChannels, outHeight, outWidth] = shapeOf(ctx, node.outputs[0]);
  const [kh, kw] = op.kernel;
  const groupChannels = channels / op.groups;
  const outPerGroup = outChannels / op.groups;
  const input = placementAddressing(placementOf(ctx, node.inputs[0], node), ctx.tables);
  const output = placementAddressing(placementOf(ctx, node.outputs[0], node), ctx.tables);
  const wOff = ctx.weights.add(constData(ctx, node.inputs[1], node, 'weight')!);
  const bOff = ctx.weights.add(constData(ctx, node.inputs[2], node, 'bias') ?? new Float32Array(outChannels));
  const rows = tapRanges(outHeight, height, kh, op.stride[0], op.pads[0], op.dilations[0]);
  const cols = tapRanges(outWidth, width, kw, op.stride[1], op.pads[1], op.dilations[1]);
  const relu = loopRelu(op);
  const plane = outHeight * outWidth;
  const tasks = taskCount(outChannels, batch * outChannels * groupChannels * kh * kw * plane);
  const body = [
    taskSpan(outChannels, tasks),
    `static const int row_lo[${kh}] = { ${rows.lo.join(', ')} }, row_hi[${kh}] = { ${rows.hi.join(', ')} };`,
    `static const int col_lo[${kw}] = { ${cols.lo.join(', ')} }, col_hi[${kw}] = { ${cols.hi.join(', ')} };`,
    `const float *wt = ${WEIGHTS(ctx.prefix)} + ${wOff};`,
    `const float *bias = ${WEIGHTS(ctx.prefix)} + ${bOff};`,
    `int m, ci, ky, kx, oy, ox, p;`,
    ...batchLoop(batch, input.batchStride, output.batchStride, [
      `for (m = lo; m < hi; m++) {`,
      `  float *restrict yp = y + ${output.at('m')};`,
      `  const int first = (m / ${outPerGroup}) * ${groupChannels};`,
      `  for (p = 0; p < ${plane}; p++) yp[p] = bias[m];`,
      `  for (ci = 0; ci < ${groupChannels}; ci++) {`,
      `    const float *restrict xp = x + ${input.at('first + ci')};`,
      `    for (ky = 0; ky < ${kh}; ky++) {`,
      `      for (kx = 0; kx < ${kw}; kx++) {`,
      `        const float wv = wt[((m * ${groupChannels} + ci) * ${kh} + ky) * ${kw} + kx];`,
      `        for (oy = row_lo[ky]; oy < row_hi[ky]; oy++) {`,
      `          const int row = (oy * ${op.stride[0]} - ${op.pads[0]} + ky * ${op.dilations[0]}) * ${width} - ${op.pads[1]} + kx * ${op.dilations[1]};`,
      `          float *yr = yp + oy * ${outWidth};`,
      `          for (ox = col_lo[kx]; ox < col_hi[kx]; ox++) yr[ox] += wv * xp[row + ox * ${op.stride[1]}];`,
      `        }`,
      `      }`,
      `    }`,
      `  }`,
      ...(relu ? [`  for (p = 0; p < ${plane}; p++) yp[p] = ${reluExpr('yp[p]', true)};`] : []),
      `}`,
      ...convEpilogue(ctx, node, { channels: ['lo', 'hi'], pixels: ['0', String(plane)] }, batch, batch > 1 ? 'n' : undefined),
    ]),
  ];
  const summary = `conv2d ${kh}x${kw} s${op.stride.join('x')} g${op.groups} ${channels} to ${outChannels} ${height}x${width} to ${outHeight}x${outWidth}${epilogueSummary(op)}`;
  return taskKernel(node, fn, summary, tasks, body);
}
