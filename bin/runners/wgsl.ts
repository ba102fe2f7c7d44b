// `run --target wgsl`: compiles the model with the WGSL target and runs it in this Node process on WebGPU
// (Dawn from the `webgpu` package: a real GPU when Dawn finds one, else OpenGL ES on Mesa).

import { runPipeline } from '../../compiler/pipeline.ts';
import { planMemory } from '../../compiler/plan/plan-memory.ts';
import { createWebGpuModel } from '../../runtime/webgpu-model.ts';
import { emitWgslModel } from '../../targets/wgsl/emit-model.ts';
import type { Runner } from '../runners.ts';

export const wgslRunner: Runner = {
  run: async ({ graph, inputs, pipeline }) => {
    const compiled = runPipeline(graph, pipeline);
    const { description, weights } = emitWgslModel(compiled, planMemory(compiled), 'model');
    const model = await createWebGpuModel(description, { weights });
    try {
      return [await model.run(inputs[0])];
    } finally {
      model.dispose();
    }
  },
};
