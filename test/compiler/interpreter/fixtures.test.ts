// Every golden fixture through importOnnx + runGraph, against PyTorch's saved output and against onnxruntime-node
// running the very same .onnx file.

import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importOnnx } from '../../../compiler/frontend/onnx/import-onnx.ts';
import { runGraph } from '../../../compiler/interpreter/run-graph.ts';
import { readNpy } from '../../../runtime/npy.ts';
import { runOnnxModel } from '../../support/ort.ts';

const FIXTURES = join(import.meta.dirname, '../../../fixtures');

interface FixtureEntry {
  name: string;
  input_shape: number[];
  files: { model: string; input: string; output: string };
}

const manifest = JSON.parse(readFileSync(join(FIXTURES, 'manifest.json'), 'utf8')) as {
  tolerance: { abs: number };
  fixtures: FixtureEntry[];
  /** The paper's variants and ShuffleNetV2+ (SE, residual, v2*, h-swish): the interpreter runs them all. */
  variant_fixtures: FixtureEntry[];
};
const tolerance = manifest.tolerance.abs;

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).to.equal(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

/** Index of the largest logit in each batch row. */
function argmaxRows(data: Float32Array, rows: number): number[] {
  const width = data.length / rows;
  return Array.from({ length: rows }, (_, r) => {
    let best = 0;
    for (let j = 1; j < width; j++) if (data[r * width + j] > data[r * width + best]) best = j;
    return best;
  });
}

describe('interpreter: golden fixtures (PyTorch and onnxruntime)', () => {
  it('the manifest lists fixtures and variant fixtures', () => {
    expect(manifest.fixtures.length).to.be.greaterThan(0);
    expect(manifest.variant_fixtures.length).to.be.greaterThan(0);
  });

  for (const fixture of [...manifest.fixtures, ...manifest.variant_fixtures]) {
    it(fixture.name, async () => {
      const modelFile = join(FIXTURES, fixture.files.model);
      const bytes = readFileSync(modelFile);
      const input = readNpy(readFileSync(join(FIXTURES, fixture.files.input)), fixture.files.input);
      const golden = readNpy(readFileSync(join(FIXTURES, fixture.files.output)), fixture.files.output);
      expect(input.shape).to.deep.equal(fixture.input_shape);

      const graph = importOnnx(bytes, { file: fixture.files.model, inputShape: fixture.input_shape });
      const outputs = runGraph(graph, [input.data]);
      expect(outputs).to.have.length(1);
      const [logits] = outputs;
      const rows = fixture.input_shape[0];

      expect(maxAbsDiff(logits, golden.data), 'max |interpreter - PyTorch|').to.be.at.most(tolerance);
      expect(argmaxRows(logits, rows), 'top-1 per batch row').to.deep.equal(argmaxRows(golden.data, rows));

      const [ortOut] = await runOnnxModel(bytes, [{ type: { dtype: 'f32', shape: input.shape }, data: input.data }]);
      expect(ortOut.type.shape).to.deep.equal(golden.shape);
      expect(maxAbsDiff(logits, ortOut.data as Float32Array), 'max |interpreter - onnxruntime|').to.be.at.most(tolerance);
      expect(argmaxRows(logits, rows), 'top-1 vs onnxruntime').to.deep.equal(argmaxRows(ortOut.data as Float32Array, rows));
    });
  }
});
