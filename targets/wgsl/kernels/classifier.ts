// The fully connected classifier (Gemm / MatMul with constant weights): Y[n, m] = sum_k A[n, k] * W[m, k] + b[m].
// alpha and beta are folded into W and b at compile time. One invocation per output logit; the features
// are read through the routing table of A, so the flatten before it is free.

import type { Operand } from '../operand-address.ts';
import { WeightBlock } from '../weight-block.ts';
import { u32 } from '../wgsl-text.ts';
import type { Kernel, KernelContext } from './kernel.ts';
import { ceilDiv, kernelHead, WORKGROUP_SIZE } from './kernel.ts';

export interface ClassifierParams {
  /** [batch, inFeatures]: one channel per feature, planes of one element. */
  readonly a: Operand;
  readonly y: Operand;
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly batch: number;
  /** [outFeatures, inFeatures] row-major, alpha already applied. */
  readonly weight: Float32Array;
  /** [outFeatures], beta already applied. */
  readonly bias?: Float32Array;
}

export function classifierKernel(ctx: KernelContext, k: ClassifierParams): Kernel {
  const block = new WeightBlock();
  const weights = block.add(k.weight);
  const bias = block.add(k.bias ?? new Float32Array(k.outFeatures));
  const e = ctx.entry;
  const code =
    kernelHead(ctx, block, { a: k.a, y: k.y }) +
    `  let m = g.x;
  let n = g.z;
  if (m >= ${u32(k.outFeatures)}) { return; }
  let row = ${u32(weights)} + m * ${u32(k.inFeatures)};
  var acc = 0.0;
  for (var i = 0u; i < ${u32(k.inFeatures)}; i++) { acc += act[${e}_a(i, n)] * ws(row + i); }
  act[${e}_y(m, n)] = acc + ws(${u32(bias)} + m);
}
`;
  return { kind: 'classifier', code, block, workgroups: [ceilDiv(k.outFeatures, WORKGROUP_SIZE), 1, k.batch] };
}
