// Which kernel a node gets, beyond the facts the IR carries (convClass, dense-form.ts): asked by both lowering
// (lower-node.ts) and fusion (kernel-groups.ts), answered in one place so the two never disagree.

import { convClassOf } from '../../compiler/ir/conv-class.ts';
import type { ConvClass, OpOf } from '../../compiler/ir/types.ts';

/**
 * The conv epilogues the WGSL kernels render (kernels/epilogue.ts): bias, any activation, and a residual add
 * after it on pointwise convs (the only ones fuse-residual-add gives one).
 */
export function rendersEpilogue(op: OpOf<'conv2d'>, convClass: ConvClass): boolean {
  return !op.residual || convClass === 'pointwise';
}

/** The conv's class when its epilogue is one the kernels render, else undefined. */
export function renderedConvClass(op: OpOf<'conv2d'>, inChannels: number, outChannels: number): ConvClass | undefined {
  const convClass = convClassOf(op, inChannels, outChannels);
  return rendersEpilogue(op, convClass) ? convClass : undefined;
}

/** A reduceMean the global-pool kernel computes: over every axis after the channels. */
export function isSpatialMean(op: OpOf<'reduceMean'>, rank: number): boolean {
  const axes = op.axes.map((a) => (a < 0 ? a + rank : a)).sort();
  return axes.join() === Array.from({ length: rank - 2 }, (_, i) => i + 2).join();
}
