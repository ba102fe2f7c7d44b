// `<name>.manifest.json`: what is where in the weights file and the activation buffer, and the dispatch list.
// For people and tools; the runtime itself reads the same facts from `<name>.ts`.

import type { WebGpuModelDescription } from '../../runtime/webgpu-description.ts';

export function manifestOf(model: WebGpuModelDescription) {
  return {
    format: 'snv2c-wgsl/1',
    name: model.name,
    inputShape: model.inputShape,
    outputShape: model.outputShape,
    dispatchesPerInference: model.steps.length,
    workgroupSize: model.workgroupSize,
    weights: {
      file: `${model.name}.weights.bin`,
      dtype: 'f32',
      byteOrder: 'little',
      floats: model.weightsFloats,
      // Each kernel's block: weights, bias and channel-offset tables (exact float integers), bound on its own.
      blocks: model.steps.map((s) => ({ entryPoint: s.entryPoint, kernel: s.kernel, node: s.node, offsetFloats: s.weightsOffset, lengthFloats: s.weightsLength })),
    },
    activations: { floats: model.activationFloats, inputOffsetFloats: model.inputOffset, outputOffsetFloats: model.outputOffset },
    steps: model.steps.map((s) => ({ entryPoint: s.entryPoint, kernel: s.kernel, node: s.node, workgroups: s.workgroups })),
  };
}
