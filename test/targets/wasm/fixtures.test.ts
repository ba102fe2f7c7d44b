// Every ONNX fixture through the wasm target: clang builds <name>.wasm, the emitted <name>.js instantiates it in
// Node, and the logits match PyTorch (manifest tolerance), with the same top-1, and agree with the interpreter.

import { expect } from 'chai';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runGraph } from '../../../compiler/interpreter/run-graph.ts';
import { planMemory } from '../../../compiler/plan/plan-memory.ts';
import type { Model } from '../../../runtime/model-api.ts';
import { wasmTarget } from '../../../targets/wasm/wasm-target.ts';
import { compiledGraph, fixtureTensors, manifest, maxAbsDiff, scratchDir, top1, writeArtifacts } from '../c/support.ts';

describe('wasm target on the ONNX fixtures (Node)', function () {
  this.timeout(600_000);
  const root = scratchDir('wasm');
  after(() => rmSync(root, { recursive: true, force: true }));

  for (const fixture of manifest.fixtures) {
    it(`${fixture.name}: the emitted module matches PyTorch and the interpreter`, async () => {
      const graph = compiledGraph(fixture);
      const { input, golden } = fixtureTensors(fixture);
      const dir = join(root, fixture.name);
      const artifacts = wasmTarget.emit(graph, planMemory(graph), { name: 'net' });
      expect(artifacts.map((a) => a.path)).to.include.members(['net.wasm', 'net.js', 'net.d.ts', 'net.c', 'net.h', 'snv2c-runtime/wasm-model.js', 'snv2c-runtime/wasm-model.d.ts']);
      writeArtifacts(dir, artifacts);
      const emitted = (await import(pathToFileURL(join(dir, 'net.js')).href)) as { createModel(): Promise<Model>; inputShape: readonly number[]; outputShape: readonly number[] };
      expect(emitted.inputShape).to.deep.equal(fixture.input_shape);
      expect(emitted.outputShape).to.deep.equal(fixture.output_shape);
      const model = await emitted.createModel();
      try {
        const logits = await model.run(input);
        const again = await model.run(input);
        const classes = fixture.output_shape[1];
        expect(maxAbsDiff(logits, golden), 'max |wasm - PyTorch|').to.be.at.most(manifest.tolerance.abs);
        expect(top1(logits, classes)).to.deep.equal(top1(golden, classes));
        expect(maxAbsDiff(logits, runGraph(graph, [input])[0]), 'max |wasm - interpreter|').to.be.at.most(manifest.tolerance.abs);
        expect(maxAbsDiff(again, logits), 'a second run repeats the first').to.equal(0);
      } finally {
        model.dispose();
      }
    });
  }

  it('says which packages to install when clang is missing', () => {
    const saved = process.env.SNV2C_WASM_CC;
    process.env.SNV2C_WASM_CC = 'snv2c-no-such-clang';
    try {
      const graph = compiledGraph(manifest.fixtures[0]);
      expect(() => wasmTarget.emit(graph, planMemory(graph), { name: 'net' })).to.throw(/apt-get install clang lld/);
    } finally {
      if (saved === undefined) delete process.env.SNV2C_WASM_CC;
      else process.env.SNV2C_WASM_CC = saved;
    }
  });
});
