// `run --target c|neon|wasm`: compiles in-process into a temporary folder and runs the result through the same
// runtime an emitted `<name>.ts` uses (a cached native harness, or a wasm instance).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPipeline } from '../../compiler/pipeline.ts';
import { planMemory } from '../../compiler/plan/plan-memory.ts';
import type { Model } from '../../runtime/model-api.ts';
import { createNativeModel } from '../../runtime/native-model.ts';
import { createWasmModel } from '../../runtime/wasm-model.ts';
import { writeArtifactsAtomically } from '../commands/compile.ts';
import type { Runner } from '../runners.ts';
import { loadTarget } from '../targets.ts';

const NAME = 'model';

export function compiledRunner(targetName: 'c' | 'neon' | 'wasm'): Runner {
  return {
    run: async ({ graph, inputs, pipeline }) => {
      const target = await loadTarget(targetName);
      const compiled = runPipeline(graph, { ...pipeline, extraPasses: target.passes });
      const artifacts = target.emit(compiled, planMemory(compiled), { name: NAME });
      const inputShape = compiled.values.get(compiled.inputs[0])!.type.shape;
      const outputShape = compiled.values.get(compiled.outputs[0])!.type.shape;
      let model: Model;
      let scratch: string | undefined;
      if (targetName === 'wasm') {
        const wasm = artifacts.find((a) => a.path === `${NAME}.wasm`)!.contents as Uint8Array;
        model = await createWasmModel({ name: NAME, wasm, inputShape, outputShape });
      } else {
        scratch = mkdtempSync(join(tmpdir(), 'snv2c-run-'));
        const dir = join(scratch, 'out');
        writeArtifactsAtomically(dir, artifacts);
        model = await createNativeModel({ dir, name: NAME, target: targetName, inputShape, outputShape });
      }
      try {
        return [await model.run(inputs[0])];
      } finally {
        model.dispose();
        if (scratch) rmSync(scratch, { recursive: true, force: true });
      }
    },
  };
}
