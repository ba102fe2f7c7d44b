// Global average pool, flatten and the classifier in one dispatch. Each workgroup first pools every channel
// into workgroup memory, then each invocation computes 4 logits (one vec4) from it. The weights are stored
// transposed, [K][M rounded up to 4], so a feature costs one vec4 weight load and neighbouring invocations read
// neighbouring vec4s. 4 logits per invocation also means few workgroups (4 for 1000 classes), so the pooling
// each of them repeats stays small: on software adapters every scattered load costs a few nanoseconds.

import { WeightBlock } from '../weight-block.ts';
import { u32 } from '../wgsl-text.ts';
import type { ClassifierParams } from './classifier.ts';
import type { Kernel, KernelContext } from './kernel.ts';
import { ceilDiv, kernelHead, WORKGROUP_BUILTINS, WORKGROUP_SIZE } from './kernel.ts';
import type { GlobalPoolParams } from './pool.ts';

export interface PooledClassifierParams {
  /** The pool (its `y` is never written). */
  readonly pool: GlobalPoolParams;
  /** The classifier reading the pooled features (its `a` is never read). */
  readonly classifier: Omit<ClassifierParams, 'a'>;
}

export function pooledClassifierKernel(ctx: KernelContext, k: PooledClassifierParams): Kernel {
  const { pool, classifier: fc } = k;
  const block = new WeightBlock();
  const quads = ceilDiv(fc.outFeatures, 4);
  const transposed = new Float32Array(fc.inFeatures * quads * 4);
  for (let m = 0; m < fc.outFeatures; m++) {
    for (let f = 0; f < fc.inFeatures; f++) transposed[f * quads * 4 + m] = fc.weight[m * fc.inFeatures + f];
  }
  // Block parts start on vec4 boundaries, so both are addressed in vec4s.
  const weights = block.add(transposed) / 4;
  const bias = block.add(fc.bias ?? new Float32Array(fc.outFeatures)) / 4;
  const e = ctx.entry;
  const features = `${e}_f`;
  const code =
    kernelHead(ctx, block, { x: pool.x, y: fc.y }, WORKGROUP_SIZE, {
      builtins: WORKGROUP_BUILTINS,
      declarations: `var<workgroup> ${features}: array<f32, ${pool.channels}>;\n`,
    }) +
    `  let n = wg.z;
  for (var c = li; c < ${u32(pool.channels)}; c += ${u32(WORKGROUP_SIZE)}) {
    let src = ${e}_x(c, n);
    var sum = 0.0;
    for (var q = 0u; q < ${u32(pool.plane)}; q++) { sum += act[src + q]; }
    ${features}[c] = sum / ${pool.plane}.0;
  }
  workgroupBarrier();
  let m4 = wg.x * ${u32(WORKGROUP_SIZE)} + li;
  if (m4 >= ${u32(quads)}) { return; }
  var acc = w[${u32(bias)} + m4];
  for (var f = 0u; f < ${u32(fc.inFeatures)}; f++) { acc += ${features}[f] * w[${u32(weights)} + f * ${u32(quads)} + m4]; }
  for (var j = 0u; j < 4u; j++) {
    if (m4 * 4u + j < ${u32(fc.outFeatures)}) { act[${e}_y(m4 * 4u + j, n)] = acc[j]; }
  }
}
`;
  return {
    kind: 'globalAvgPool-classifier',
    code,
    block,
    workgroups: [ceilDiv(quads, WORKGROUP_SIZE), 1, pool.batch],
    workgroupBytes: pool.channels * 4,
  };
}
