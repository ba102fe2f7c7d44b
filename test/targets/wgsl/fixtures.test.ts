// Every golden fixture compiled with --target wgsl and run through the emitted `<name>.js` on Dawn (GLES on
// Mesa, compatibility mode): logits within the manifest tolerance of PyTorch's, same top-1, and in agreement
// with the reference interpreter on the same compiled graph.

import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { importOnnx } from '../../../compiler/frontend/onnx/import-onnx.ts';
import { runGraph } from '../../../compiler/interpreter/run-graph.ts';
import { RELU_EPILOGUE } from '../../../compiler/ir/conv-epilogue.ts';
import { runPipeline } from '../../../compiler/pipeline.ts';
import { planForTarget } from '../../../compiler/plan/plan-memory.ts';
import { readNpy } from '../../../runtime/npy.ts';
import type { AcquiredDevice } from '../../../runtime/webgpu-device.ts';
import type { WebGpuModelDescription } from '../../../runtime/webgpu-description.ts';
import type { WebGpuModel } from '../../../runtime/webgpu-model.ts';
import { wgslTarget } from '../../../targets/wgsl/wgsl-target.ts';
import { argmax, dawnCompatDevice, expectedDispatches, maxAbsDiff, REPO, writeArtifacts } from './support.ts';

const FIXTURES = join(REPO, 'fixtures');

interface FixtureEntry {
  name: string;
  input_shape: number[];
  files: { model: string; input: string; output: string };
}

const manifest = JSON.parse(readFileSync(join(FIXTURES, 'manifest.json'), 'utf8')) as { tolerance: { abs: number }; fixtures: FixtureEntry[]; variant_fixtures: FixtureEntry[] };

function argmaxRows(data: Float32Array, rows: number): number[] {
  const width = data.length / rows;
  return Array.from({ length: rows }, (_, r) => argmax(data.subarray(r * width, (r + 1) * width)));
}

describe('wgsl target: golden fixtures on Dawn (GLES, compatibility mode)', () => {
  let gpu: AcquiredDevice;
  before(async () => {
    gpu = await dawnCompatDevice();
  });
  after(() => gpu?.release());

  it('the manifest lists fixtures', () => {
    expect(manifest.fixtures.length).to.be.greaterThan(0);
  });

  // The paper's variants and ShuffleNetV2+ (SE, residual, h-swish, v2*) run through the generic kernels.
  for (const fixture of [...manifest.fixtures, ...manifest.variant_fixtures]) {
    it(fixture.name, async () => {
      const input = readNpy(readFileSync(join(FIXTURES, fixture.files.input)), fixture.files.input);
      const golden = readNpy(readFileSync(join(FIXTURES, fixture.files.output)), fixture.files.output);
      const imported = importOnnx(readFileSync(join(FIXTURES, fixture.files.model)), { file: fixture.files.model, inputShape: fixture.input_shape });
      // Fuse only the conv epilogues the target renders, as compile() does.
      const graph = runPipeline(imported, { epilogues: wgslTarget.epilogues ?? RELU_EPILOGUE });
      const dir = writeArtifacts(wgslTarget.emit(graph, planForTarget(graph, wgslTarget), { name: 'net' }), fixture.name);

      const emitted = (await import(pathToFileURL(join(dir, 'net.js')).href)) as {
        createModel(o: { device: GPUDevice }): Promise<WebGpuModel>;
        dispatchesPerInference: number;
        description: WebGpuModelDescription;
      };
      const model = await emitted.createModel({ device: gpu.device });
      try {
        expect(model.outputShape).to.deep.equal(golden.shape);
        const logits = await model.run(input.data);
        const rows = fixture.input_shape[0];
        expect(maxAbsDiff(logits, golden.data), 'max |wgsl - PyTorch|').to.be.at.most(manifest.tolerance.abs);
        expect(argmaxRows(logits, rows), 'top-1 vs PyTorch').to.deep.equal(argmaxRows(golden.data, rows));
        const [reference] = runGraph(graph, [input.data]);
        expect(maxAbsDiff(logits, reference), 'max |wgsl - reference interpreter|').to.be.at.most(manifest.tolerance.abs);
        expect(emitted.dispatchesPerInference).to.equal(expectedDispatches(graph));
        // Every activation and shortcut add runs inside a conv's epilogue (the target renders them all).
        const standalone = emitted.description.steps.map((s) => s.kernel).filter((k) => ['relu', 'sigmoid', 'hardSigmoid', 'hardSwish', 'clip', 'add'].includes(k));
        expect(standalone, 'activations and adds dispatched on their own').to.deep.equal([]);
      } finally {
        model.dispose();
      }
    });
  }
});
