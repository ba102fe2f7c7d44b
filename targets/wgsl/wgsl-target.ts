// The `wgsl` Target: a planned graph in, WebGPU artifacts out:
//   <name>.wgsl          one shader module, one entry point per dispatch, constants baked in
//   <name>.weights.bin   little-endian f32, per-kernel blocks aligned to 256 bytes
//   <name>.manifest.json weight blocks, dispatch list, buffer layout and dispatches per inference
//   <name>.ts            typed module: createModel({ device?, weights? }) -> Model with async run()
//   snv2c-runtime/*.ts   the WebGPU runtime it imports (copied, so the output directory is self-contained)

import { readFileSync } from 'node:fs';
import type { Artifact, Target } from '../../compiler/target.ts';
import { emitWgslModel } from './emit-model.ts';
import { emitTsModule, RUNTIME_DIR } from './emit-ts-module.ts';
import { manifestOf } from './manifest.ts';

/** The runtime files `<name>.ts` imports, relative to runtime/. */
export const RUNTIME_FILES = ['model-api.ts', 'webgpu-description.ts', 'webgpu-device.ts', 'webgpu-errors.ts', 'webgpu-limits.ts', 'webgpu-model.ts', 'webgpu-weights.ts'];

function littleEndianBytes(floats: Float32Array): Uint8Array {
  const bytes = new Uint8Array(floats.length * 4);
  const view = new DataView(bytes.buffer);
  floats.forEach((f, i) => view.setFloat32(i * 4, f, true));
  return bytes;
}

export const wgslTarget: Target = {
  name: 'wgsl',
  passes: [],
  emit(graph, plan, { name }): Artifact[] {
    const { description, weights } = emitWgslModel(graph, plan, name);
    const runtime = RUNTIME_FILES.map((file) => ({
      path: `${RUNTIME_DIR}/${file}`,
      contents: readFileSync(new URL(`../../runtime/${file}`, import.meta.url), 'utf8'),
    }));
    return [
      { path: `${name}.wgsl`, contents: description.wgsl },
      { path: `${name}.weights.bin`, contents: littleEndianBytes(weights) },
      { path: `${name}.manifest.json`, contents: JSON.stringify(manifestOf(description), null, 2) + '\n' },
      { path: `${name}.ts`, contents: emitTsModule(description) },
      ...runtime,
    ];
  },
};
