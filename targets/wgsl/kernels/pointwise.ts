// Plane-by-plane copy with optional ReLU. Two uses only: a standalone ReLU the passes could not fuse, and a
// channel view (split/concat/shuffle/flatten) that is itself a graph output and so must land in the caller's
// dense output buffer. Views between kernels never reach here: they cost no dispatch.

import type { Operand } from '../operand-address.ts';
import { WeightBlock } from '../weight-block.ts';
import type { Kernel, KernelContext } from './kernel.ts';
import { kernelHead, perPixelStart, perPixelWorkgroups } from './kernel.ts';

export interface PointwiseParams {
  readonly x: Operand;
  readonly y: Operand;
  readonly channels: number;
  readonly plane: number;
  readonly batch: number;
  readonly relu: boolean;
}

export function pointwiseKernel(ctx: KernelContext, k: PointwiseParams): Kernel {
  const block = new WeightBlock();
  const e = ctx.entry;
  const code =
    kernelHead(ctx, block, { x: k.x, y: k.y }) +
    perPixelStart(k.plane) +
    `  let v = act[${e}_x(c, n) + p];
  act[${e}_y(c, n) + p] = ${k.relu ? 'max(v, 0.0)' : 'v'};
}
`;
  return { kind: k.relu ? 'relu' : 'copy', code, block, workgroups: perPixelWorkgroups(k.plane, k.channels, k.batch) };
}
