// End to end against PyTorch: every state_dict fixture (fixtures/manifest.json "weights") goes through the spec
// frontend and the reference interpreter, and must match PyTorch's output within the manifest's tolerance with the
// same top-1; the matching ONNX export, imported by the ONNX frontend, must give the same IR-level outputs.

import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { importOnnx } from '../../../../compiler/frontend/onnx/import-onnx.ts';
import { importSpec } from '../../../../compiler/frontend/spec/import-spec.ts';
import { loadWeights } from '../../../../compiler/frontend/weights/load-weights.ts';
import type { WeightMap } from '../../../../compiler/frontend/weights/weight-map.ts';
import { runGraph } from '../../../../compiler/interpreter/run-graph.ts';
import { UNARY_OPS } from '../../../../compiler/ir/types.ts';
import { runPipeline } from '../../../../compiler/pipeline.ts';
import { readNpy } from '../../../../runtime/npy.ts';

interface WeightFixture {
  name: string;
  options?: Record<string, unknown>;
  input_shape: number[];
  onnx_fixture: string;
  files: { pth: string; safetensors?: string; spec: string; input: string; output: string };
  reduced_precision: { dtype: string; pth: string; output: string }[];
}

const manifest = JSON.parse(readFileSync('fixtures/manifest.json', 'utf8')) as { tolerance: { abs: number }; weights: WeightFixture[] };
const at = (path: string) => `fixtures/${path}`;
const TOLERANCE = manifest.tolerance.abs;

function argmax(a: Float32Array): number {
  let best = 0;
  for (let i = 1; i < a.length; i++) if (a[i] > a[best]) best = i;
  return best;
}

function expectMatches(actual: Float32Array, expected: Float32Array, what: string, tolerance = TOLERANCE): void {
  expect(actual.length, what).to.equal(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  expect(worst, `${what}: max abs difference`).to.be.at.most(tolerance);
  expect(argmax(actual), `${what}: top-1`).to.equal(argmax(expected));
}

/** A float32 .safetensors file written from weights (header layout from the format's README). */
function toSafetensors(weights: WeightMap): Uint8Array {
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const [key, t] of weights) {
    header[key] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + t.data.length * 4] };
    offset += t.data.length * 4;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + offset);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const t of weights.values()) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
    at += t.data.byteLength;
  }
  return out;
}

describe('spec + PyTorch weights vs PyTorch', function () {
  this.timeout(120_000);

  for (const fixture of manifest.weights) {
    describe(fixture.name, () => {
      const spec = readFileSync(at(fixture.files.spec), 'utf8');
      const input = readNpy(readFileSync(at(fixture.files.input))).data;
      const run = (weights: WeightMap, file: string) => runGraph(importSpec(spec, { file: fixture.files.spec, weights, weightsFile: file }), [input])[0];
      let specOutput: Float32Array | undefined;

      it('.pth matches PyTorch', () => {
        const file = at(fixture.files.pth);
        specOutput = run(loadWeights(readFileSync(file), file), file);
        expectMatches(specOutput, readNpy(readFileSync(at(fixture.files.output))).data, file);
      });

      // The variants through the passes (the plain networks' pipeline is covered by the ONNX fixtures).
      if (fixture.options) it('.pth matches PyTorch after the pass pipeline too (fused epilogues, SE scale, residuals)', () => {
        const file = at(fixture.files.pth);
        const graph = importSpec(spec, { file: fixture.files.spec, weights: loadWeights(readFileSync(file), file), weightsFile: file });
        const compiled = runPipeline(graph, { warn: () => {}, log: () => {} });
        expect(compiled.nodes.filter((n) => UNARY_OPS.has(n.op.kind)), 'standalone activations left').to.have.length(0);
        expectMatches(runGraph(compiled, [input])[0], readNpy(readFileSync(at(fixture.files.output))).data, `${file} (pipeline)`);
      });

      it('.safetensors matches PyTorch', () => {
        const expected = readNpy(readFileSync(at(fixture.files.output))).data;
        if (fixture.files.safetensors && existsSync(at(fixture.files.safetensors))) {
          const file = at(fixture.files.safetensors);
          expectMatches(run(loadWeights(readFileSync(file), file), file), expected, file);
        } else {
          // No committed twin (size): re-encode the .pth weights as safetensors in memory.
          const pth = at(fixture.files.pth);
          const bytes = toSafetensors(loadWeights(readFileSync(pth), pth));
          expectMatches(run(loadWeights(bytes, 'converted.safetensors'), 'converted.safetensors'), expected, `${pth} as safetensors`);
        }
      });

      for (const reduced of fixture.reduced_precision) {
        it(`${reduced.dtype} .pth matches PyTorch's ${reduced.dtype} model`, () => {
          const file = at(reduced.pth);
          expectMatches(run(loadWeights(readFileSync(file), file), file), readNpy(readFileSync(at(reduced.output))).data, file);
        });
      }

      it(`agrees with the ONNX frontend on ${fixture.onnx_fixture}`, () => {
        const model = at(`${fixture.onnx_fixture}/model.onnx`);
        // A dynamic-batch export needs the batch the fixture was saved with.
        const onnxGraph = importOnnx(readFileSync(model), { file: model, inputShape: fixture.input_shape });
        const onnxOutput = runGraph(onnxGraph, [input])[0];
        const file = at(fixture.files.pth);
        specOutput ??= run(loadWeights(readFileSync(file), file), file);
        // Same IR ops on the same weights: only summation order may differ.
        expectMatches(specOutput, onnxOutput, 'spec path vs ONNX path', 1e-5);
      });
    });
  }
});
