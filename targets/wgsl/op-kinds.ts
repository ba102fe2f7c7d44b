// Which kernel a node gets, beyond the facts the IR carries (convClass, dense-form.ts): asked by both lowering
// (lower-node.ts) and fusion (kernel-groups.ts), answered in one place so the two never disagree.

import { convClassOf } from '../../compiler/ir/conv-class.ts';
import type { ConvClass, OpOf } from '../../compiler/ir/types.ts';

/** The conv epilogues the WGSL kernels render: bias, then optionally ReLU (no other activation, no residual). */
export function rendersEpilogue(op: OpOf<'conv2d'>): boolean {
  return !op.residual && (op.activation === 'none' || op.activation === 'relu');
}

/** The conv's class when its epilogue is one the kernels render, else undefined. */
export function renderedConvClass(op: OpOf<'conv2d'>, inChannels: number, outChannels: number): ConvClass | undefined {
  return rendersEpilogue(op) ? convClassOf(op, inChannels, outChannels) : undefined;
}

/** A reduceMean the global-pool kernel computes: over every axis after the channels. */
export function isSpatialMean(op: OpOf<'reduceMean'>, rank: number): boolean {
  const axes = op.axes.map((a) => (a < 0 ? a + rank : a)).sort();
  return axes.join() === Array.from({ length: rank - 2 }, (_, i) => i + 2).join();
}
