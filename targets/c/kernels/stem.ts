// Dense (groups 1) k×k convolutions with few input channels — the ShuffleNetV2 stem, 3×3 stride 2 on RGB —
// as "one output row at a time" matrix products. For each output row the kernel gathers the Cin·kh·kw
// shifted input rows it needs into a scratch buffer in the arena (zeros where the window hangs over the padding), then
// runs the same register-blocked tiles as the 1×1 convolution over that buffer (the taps play the part of the
// input channels, at affine offsets). Strided and padded reads happen once per tap row, not once per
// multiply-add.

import type { Node, OpOf } from '../../../compiler/ir/types.ts';
import { affineRuns, placementAddressing } from '../operands.ts';
import type { Kernel, KernelContext } from './context.ts';
import { constData, indent, placementOf, shapeOf, taskCount, taskKernel, taskSlice, taskSpan, WEIGHTS } from './context.ts';
import { packTiles } from './conv1x1.ts';
import { tapRanges } from './generic-conv.ts';
import { tileAccumulatorFloats, tileCalls } from './tile-loops.ts';
import { convEpilogue, epilogueSummary, loopRelu } from './conv-epilogue.ts';

/** Largest tap-row buffer (floats) per task: rows of wider inputs go through the generic convolution. */
const MAX_ROW_BUFFER = 16384;
const ROW_TILE = 16;

/** Whether this kernel handles a conv the IR classifies as general (groups 1): not a 1x1 window, rows fit the buffer. */
export function isStemConv(op: OpOf<'conv2d'>, inChannels: number, outWidth: number): boolean {
  return !(op.kernel[0] === 1 && op.kernel[1] === 1) && inChannels * op.kernel[0] * op.kernel[1] * outWidth <= MAX_ROW_BUFFER;
}

export function emitStemConv(ctx: KernelContext, node: Node, fn: string): Kernel {
  const op = node.op as OpOf<'conv2d'>;
  const [batch, channels, height, width] = shapeOf(ctx, node.inputs[0]);
  const [, outChannels, outHeight, outWidth] = shapeOf(ctx, node.outputs[0]);
  const [kh, kw] = op.kernel;
  const [sh, sw] = op.stride;
  const [dh, dw] = op.dilations;
  const taps = channels * kh * kw;
  const relu = loopRelu(op);
  const input = placementAddressing(placementOf(ctx, node.inputs[0], node), ctx.tables);
  const outPlace = placementOf(ctx, node.outputs[0], node);
  const w = constData(ctx, node.inputs[1], node, 'weight')!;
  const b = constData(ctx, node.inputs[2], node, 'bias') ?? new Float32Array(outChannels);
  // Tap t = (ci * kh + ky) * kw + kx is also the natural weight layout, so the taps pack like 1x1 input channels.
  const wOff = ctx.weights.add(packTiles(w, outChannels, taps, ctx.tile.rows, [...Array(taps).keys()]));
  const bOff = ctx.weights.add(b);
  const cols = tapRanges(outWidth, width, kw, sw, op.pads[1], dw);
  const outRuns = affineRuns(outPlace.channelOffsets)!;
  // Tasks take bands of output rows, each gathering into its own slice of the scratch (tap rows, then accumulators).
  const rowFloats = taps * outWidth;
  const accFloats = tileAccumulatorFloats(ctx, ROW_TILE);
  const tasks = taskCount(outHeight, batch * outChannels * taps * outHeight * outWidth);
  ctx.scratch(tasks * (rowFloats + accFloats));
  // Tap rows are the "input channels" of the tiles: row t at tap_rows + t * outWidth.
  const tiles = tileCalls(
    ctx,
    {
      channels: taps,
      outChannels,
      pixels: outWidth,
      relu,
      input: { table: ctx.tables.runTable([{ from: 0, to: taps, base: 0, step: outWidth }]), count: 1 },
      output: ctx.tables.runTable(outRuns),
      pixelTile: ROW_TILE,
      weightsOutside: true,
      accumulators: taskSlice(`scratch + ${tasks * rowFloats}`, tasks, accFloats),
    },
    'tap_rows',
    `yn + oy * ${outWidth}`,
  );
  const body = [
    `static const int col_lo[${kw}] = { ${cols.lo.join(', ')} }, col_hi[${kw}] = { ${cols.hi.join(', ')} };`,
    `const float *w = ${WEIGHTS(ctx.prefix)} + ${wOff}, *bias = ${WEIGHTS(ctx.prefix)} + ${bOff};`,
    `float *tap_rows = ${taskSlice('scratch', tasks, rowFloats)};`,
    taskSpan(outHeight, tasks),
    `int ${batch > 1 ? 'n, ' : ''}oy, ci, ky, kx, ox;`,
    ...(batch > 1 ? [`for (n = 0; n < ${batch}; n++) {`] : ['{']),
    `  const float *xn = x${batch > 1 ? ` + n * ${input.batchStride}` : ''};`,
    `  float *yn = y${batch > 1 ? ` + n * ${outPlace.batchStride}` : ''};`,
    `  for (oy = lo; oy < hi; oy++) {`,
    `    /* gather the shifted input rows of every tap */`,
    `    for (ci = 0; ci < ${channels}; ci++) {`,
    `      const float *xc = xn + ${input.at('ci')};`,
    `      for (ky = 0; ky < ${kh}; ky++) {`,
    `        const int iy = oy * ${sh} - ${op.pads[0]} + ky * ${dh};`,
    `        for (kx = 0; kx < ${kw}; kx++) {`,
    `          float *r = tap_rows + ((ci * ${kh} + ky) * ${kw} + kx) * ${outWidth};`,
    `          if (iy < 0 || iy >= ${height}) {`,
    `            for (ox = 0; ox < ${outWidth}; ox++) r[ox] = 0.0f;`,
    `          } else {`,
    `            const float *src = xc + iy * ${width} - ${op.pads[1]} + kx * ${dw};`,
    `            for (ox = 0; ox < col_lo[kx]; ox++) r[ox] = 0.0f;`,
    `            for (ox = col_lo[kx]; ox < col_hi[kx]; ox++) r[ox] = src[ox * ${sw}];`,
    `            for (ox = col_hi[kx]; ox < ${outWidth}; ox++) r[ox] = 0.0f;`,
    `          }`,
    `        }`,
    `      }`,
    `    }`,
    indent(tiles.join('\n'), 2),
    `  }`,
    `}`,
    ...convEpilogue(ctx, node, { channels: ['0', String(outChannels)], pixels: [`lo * ${outWidth}`, `hi * ${outWidth}`] }, batch),
  ];
  const summary = `conv2d ${kh}x${kw} s${sh}x${sw} ${channels} to ${outChannels} ${height}x${width} to ${outHeight}x${outWidth}${epilogueSummary(op)} as tap-row tiles`;
  return taskKernel(node, fn, summary, tasks, body);
}
