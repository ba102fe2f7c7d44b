// Every ONNX fixture (the paper's variants and ShuffleNetV2+ included) through the wasm target: clang builds
// <name>.wasm and <name>.relaxed.wasm, the emitted <name>.js instantiates them in Node with <name>.weights.bin,
// and the logits of both builds match PyTorch (manifest tolerance), with the same top-1, and agree with the
// interpreter. Node 20 runs relaxed SIMD only behind a V8 flag: without it the module silently takes the
// baseline build; the relaxed runs switch the flag on around themselves.

import { expect } from 'chai';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import { runGraph } from '../../../compiler/interpreter/run-graph.ts';
import { planMemory } from '../../../compiler/plan/plan-memory.ts';
import type { WasmModel } from '../../../runtime/wasm-model.ts';
import { hasRelaxedSimd } from '../../../runtime/wasm-model.ts';
import { wasmTarget } from '../../../targets/wasm/wasm-target.ts';
import { compiledGraph, fixtureTensors, manifest, maxAbsDiff, scratchDir, top1, writeArtifacts } from '../c/support.ts';

interface EmittedWasm {
  createModel(options?: Record<string, unknown>): Promise<WasmModel>;
  inputShape: readonly number[];
  outputShape: readonly number[];
}

async function withRelaxedSimd<T>(work: () => Promise<T>): Promise<T> {
  v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  try {
    return await work();
  } finally {
    v8.setFlagsFromString('--no-experimental-wasm-relaxed-simd');
  }
}

describe('wasm target on the ONNX fixtures (Node)', function () {
  this.timeout(600_000);
  const root = scratchDir('wasm');
  after(() => rmSync(root, { recursive: true, force: true }));

  /** The first fixture compiled once for the bad-input cases. */
  let firstFixture: Promise<{ dir: string; emitted: EmittedWasm }> | undefined;
  const emitFirst = (): Promise<{ dir: string; emitted: EmittedWasm }> =>
    (firstFixture ??= (async () => {
      const graph = compiledGraph(manifest.fixtures[0]);
      const dir = join(root, 'bad-input');
      writeArtifacts(dir, wasmTarget.emit(graph, planMemory(graph), { name: 'net' }));
      return { dir, emitted: (await import(pathToFileURL(join(dir, 'net.js')).href)) as EmittedWasm };
    })());

  for (const fixture of [...manifest.fixtures, ...(manifest.variant_fixtures ?? [])]) {
    it(`${fixture.name}: both builds match PyTorch and the interpreter`, async () => {
      const graph = compiledGraph(fixture);
      const { input, golden } = fixtureTensors(fixture);
      const dir = join(root, fixture.name);
      const artifacts = wasmTarget.emit(graph, planMemory(graph), { name: 'net' });
      const paths = artifacts.map((a) => a.path);
      expect(paths).to.include.members(['net.wasm', 'net.relaxed.wasm', 'net.weights.bin', 'net.js', 'net.d.ts', 'net.c', 'net.h', 'snv2c-runtime/wasm-model.js', 'snv2c-runtime/wasm-model.d.ts', 'snv2c-runtime/wasm-weights.js']);
      expect(paths, 'the weights are a file, not compiled C').not.to.include('net_weights.c');
      writeArtifacts(dir, artifacts);
      const emitted = (await import(pathToFileURL(join(dir, 'net.js')).href)) as EmittedWasm;
      expect(emitted.inputShape).to.deep.equal(fixture.input_shape);
      expect(emitted.outputShape).to.deep.equal(fixture.output_shape);
      const reference = runGraph(graph, [input])[0];
      const check = async (model: WasmModel, build: string): Promise<Float32Array> => {
        try {
          expect(model.build).to.equal(build);
          const logits = await model.run(input);
          const again = await model.run(input);
          const classes = fixture.output_shape[1];
          expect(maxAbsDiff(logits, golden), `max |wasm ${build} - PyTorch|`).to.be.at.most(manifest.tolerance.abs);
          expect(top1(logits, classes)).to.deep.equal(top1(golden, classes));
          expect(maxAbsDiff(logits, reference), `max |wasm ${build} - interpreter|`).to.be.at.most(manifest.tolerance.abs);
          expect(maxAbsDiff(again, logits), 'a second run repeats the first').to.equal(0);
          return logits;
        } finally {
          model.dispose();
        }
      };
      expect(hasRelaxedSimd(), 'Node 20 without the flag has no relaxed SIMD').to.equal(false);
      const baseline = await check(await emitted.createModel(), 'baseline');
      const relaxed = await withRelaxedSimd(async () => check(await emitted.createModel(), 'relaxed'));
      // Fused multiply-adds round once instead of twice: the relaxed build's logits differ in the last bits.
      expect(maxAbsDiff(relaxed, baseline), 'the relaxed build runs fused multiply-adds').to.be.above(0);
    });
  }

  it('refuses a weights file of the wrong size or from another compilation before any inference', async () => {
    const { dir, emitted } = await emitFirst();
    const weights = new Uint8Array(readFileSync(join(dir, 'net.weights.bin')));
    const short = weights.subarray(0, weights.length - 16);
    const errorOf = async (options: Record<string, unknown>) => emitted.createModel(options).then(() => undefined, (e: Error) => e);
    const sizeError = await errorOf({ weights: short });
    expect(sizeError?.message).to.match(new RegExp(`weights hold ${short.length} bytes, the model was compiled with ${weights.length}`));
    expect(sizeError?.message).not.to.include('\n');
    const other = weights.slice();
    other[100] ^= 1;
    writeFileSync(join(dir, 'other.weights.bin'), other);
    const hashError = await errorOf({ weights: new URL(pathToFileURL(join(dir, 'other.weights.bin'))) });
    expect(hashError?.message).to.match(/weights hash to 0x[0-9a-f]{8}, the model was compiled with weights 0x[0-9a-f]{8}/);
    expect(hashError?.message).not.to.include('\n');
  });

  it('refuses to run the relaxed build on an engine without relaxed SIMD', async () => {
    const { emitted } = await emitFirst();
    const error = await emitted.createModel({ build: 'relaxed' }).then(() => undefined, (e: Error) => e);
    expect(error?.message).to.match(/relaxed-SIMD build was asked for, but this engine has no relaxed SIMD/);
  });

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
