// Conv classification, decided once here so no target re-derives it from kernel, stride, pads and groups.
// The classify-convs pass stores the result on each conv2d op; the verifier checks a stored class still holds
// (a pass that changes a conv's shape or attributes must reclassify it).

import type { ConvClass, OpOf } from './types.ts';

export function classifyConv(op: OpOf<'conv2d'>, inChannels: number, outChannels: number): ConvClass {
  if (op.groups === 1) {
    const unitWindow = op.kernel[0] === 1 && op.kernel[1] === 1 && op.stride[0] === 1 && op.stride[1] === 1;
    return unitWindow && op.pads.every((p) => p === 0) ? 'pointwise' : 'general';
  }
  return op.groups === inChannels && outChannels === inChannels ? 'depthwise' : 'grouped';
}

/** The recorded class, or the derived one for a graph that did not go through classify-convs (hand-built tests). */
export function convClassOf(op: OpOf<'conv2d'>, inChannels: number, outChannels: number): ConvClass {
  return op.convClass ?? classifyConv(op, inChannels, outChannels);
}
