// Max and average pooling over a window (ShuffleNetV2's 3x3 stride-2 max pool after the stem), and the
// global average pool before the classifier. One invocation per output element.

import type { Operand } from '../operand-address.ts';
import { WeightBlock } from '../weight-block.ts';
import { u32 } from '../wgsl-text.ts';
import type { Kernel, KernelContext } from './kernel.ts';
import { ceilDiv, kernelHead, perPixelStart, perPixelWorkgroups, WORKGROUP_SIZE } from './kernel.ts';
import type { WindowGeometry } from './window.ts';
import { windowLoop } from './window.ts';

export interface PoolParams {
  readonly x: Operand;
  readonly y: Operand;
  readonly channels: number;
  readonly outPlane: number;
  readonly batch: number;
  readonly window: WindowGeometry;
  readonly mode: 'max' | { readonly countIncludePad: boolean };
}

export function poolKernel(ctx: KernelContext, k: PoolParams): Kernel {
  const block = new WeightBlock();
  const e = ctx.entry;
  const { window: win } = k;
  let init: string;
  let body: string;
  let finish: string;
  if (k.mode === 'max') {
    init = '  var acc = -3.402823e38;\n';
    body = '      acc = select(acc, max(acc, act[src + q]), ok);';
    finish = '';
  } else {
    // ONNX divides by the taps inside the padded input (count_include_pad) or inside the input itself.
    // `oy`/`ox` are the output coordinates declared by windowLoop.
    const [top, left, bottom, right] = win.pads;
    const span = (o: string, s: number, pad: number, kSize: number, limit: number) =>
      `f32(min(${o} * ${s}i - ${pad}i + ${kSize}i, ${limit}i) - max(${o} * ${s}i - ${pad}i, -${pad}i))`;
    init = '  var acc = 0.0;\n  var count = 0.0;\n';
    body = '      acc += select(0.0, act[src + q], ok);\n      count += inside;';
    finish = k.mode.countIncludePad
      ? `  acc = acc / (${span('oy', win.stride[0], top, win.kernel[0], win.inH + bottom)} * ${span('ox', win.stride[1], left, win.kernel[1], win.inW + right)});\n`
      : '  acc = acc / max(count, 1.0);\n';
  }
  const code =
    kernelHead(ctx, block, { x: k.x, y: k.y }) +
    perPixelStart(k.outPlane) +
    `  let src = ${e}_x(c, n);
${init}${windowLoop(win, body)}${finish}  act[${e}_y(c, n) + p] = acc;
}
`;
  return { kind: k.mode === 'max' ? 'maxPool' : 'avgPool', code, block, workgroups: perPixelWorkgroups(k.outPlane, k.channels, k.batch) };
}

export interface GlobalPoolParams {
  readonly x: Operand;
  readonly y: Operand;
  readonly channels: number;
  readonly plane: number;
  readonly batch: number;
}

/** Mean of each channel plane; one invocation per channel. */
export function globalAvgPoolKernel(ctx: KernelContext, k: GlobalPoolParams): Kernel {
  const block = new WeightBlock();
  const e = ctx.entry;
  const code =
    kernelHead(ctx, block, { x: k.x, y: k.y }) +
    `  let c = g.x;
  let n = g.z;
  if (c >= ${u32(k.channels)}) { return; }
  let src = ${e}_x(c, n);
  var acc = 0.0;
  for (var q = 0u; q < ${u32(k.plane)}; q++) { acc += act[src + q]; }
  act[${e}_y(c, n)] = acc / ${k.plane}.0;
}
`;
  return { kind: 'globalAvgPool', code, block, workgroups: [ceilDiv(k.channels, WORKGROUP_SIZE), 1, k.batch] };
}
