// What the WGSL target writes, checked without a GPU: artifact set, weight packing and byte order, the
// dispatch list, escaping of untrusted node names, and one-line errors for what it cannot compile.

import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { CompileError } from '../../../compiler/ir/errors.ts';
import { GraphBuilder } from '../../../compiler/ir/graph-builder.ts';
import type { Graph } from '../../../compiler/ir/types.ts';
import { planForTarget, planMemory } from '../../../compiler/plan/plan-memory.ts';
import { emitWgslModel } from '../../../targets/wgsl/emit-model.ts';
import { wgslTarget } from '../../../targets/wgsl/wgsl-target.ts';
import { buildShuffleNetV2 } from '../../compiler/plan/shufflenet-graphs.ts';
import { REPO, writeArtifacts } from './support.ts';

const EVIL = "x'*/\n}\nfn evil() { } // \u202e\"${process.exit()}";

function handConv(origin = 'Conv hand'): Graph {
  const b = new GraphBuilder();
  const x = b.addValue('x', { dtype: 'f32', shape: [1, 2, 1, 2] });
  const w = b.addConst('w', [3, 2, 1, 1], Float32Array.of(1, 10, -1, 0, 0.5, 0.5));
  const bias = b.addConst('b', [3], Float32Array.of(0, 1, 0));
  const [y] = b.addNode({ kind: 'conv2d', kernel: [1, 1], stride: [1, 1], pads: [0, 0, 0, 0], dilations: [1, 1], groups: 1, activation: 'relu' }, [x, w, bias], origin);
  b.inputs = [x];
  b.outputs = [y];
  return b.build();
}

describe('wgsl target: emitted artifacts', () => {
  it('writes the shader, little-endian weights, a manifest, the typed module and its runtime', () => {
    const g = handConv();
    const artifacts = wgslTarget.emit(g, planMemory(g), { name: 'hand' });
    const paths = artifacts.map((a) => a.path);
    expect(paths.slice(0, 5)).to.deep.equal(['hand.wgsl', 'hand.weights.bin', 'hand.manifest.json', 'hand.js', 'hand.d.ts']);
    expect(paths).to.include.members(['snv2c-runtime/webgpu-model.js', 'snv2c-runtime/webgpu-model.d.ts', 'snv2c-runtime/model-api.js', 'snv2c-runtime/model-api.d.ts']);
    expect(paths.filter((p) => p.endsWith('.ts') && !p.endsWith('.d.ts')), 'no TypeScript sources').to.deep.equal([]);

    const bin = artifacts[1].contents as Uint8Array;
    const view = new DataView(bin.buffer, bin.byteOffset, bin.byteLength);
    const floats = Array.from({ length: 24 }, (_, i) => view.getFloat32(i * 4, true));
    // Weights packed [M/8][Cin][8]: W[0..7][c] for c = 0, then c = 1; then the bias padded to 8.
    expect(floats).to.deep.equal([1, -1, 0.5, 0, 0, 0, 0, 0, 10, 0, 0.5, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
    expect(bin.byteLength % 256).to.equal(0);

    const manifest = JSON.parse(artifacts[2].contents as string);
    expect(manifest.weights.floats * 4).to.equal(bin.byteLength);
    expect(manifest.dispatchesPerInference).to.equal(1);
    expect(manifest.steps[0]).to.deep.include({ entryPoint: 'k0', kernel: 'conv1x1', workgroups: [1, 1, 1] });

    // The shader is stored once: only hand.wgsl holds WGSL; the module loads it from next to itself.
    const holdingWgsl = artifacts.filter((x) => typeof x.contents === 'string' && x.contents.includes('@compute')).map((x) => x.path);
    expect(holdingWgsl).to.deep.equal(['hand.wgsl']);
    expect(artifacts[3].contents).to.include('new URL("./hand.wgsl", import.meta.url)');
  });

  it('the module and runtime declarations type-check under strict settings, as a user imports them', () => {
    const g = handConv();
    const dir = writeArtifacts(wgslTarget.emit(g, planMemory(g), { name: 'hand' }), 'typecheck');
    // A consumer as a user writes it: plain `.js` specifiers, no TypeScript-only options; the .d.ts files are
    // checked too (skipLibCheck off), so a broken declaration fails here.
    const consumer = join(dir, 'use.ts');
    writeFileSync(consumer, [
      "import { createModel, inputShape, dispatchesPerInference, description } from './hand.js';",
      'const shape: readonly [1, 2, 1, 2] = inputShape;',
      'const dispatches: number = dispatchesPerInference + description.steps.length;',
      'export async function use(device: GPUDevice): Promise<number> {',
      '  const model = await createModel({ device, weights: new Uint8Array(0) });',
      '  const out: Float32Array = await model.run(new Float32Array(4));',
      '  model.dispose();',
      '  return out.length + shape.length + dispatches + model.dispatchesPerInference;',
      '}',
      '',
    ].join('\n'));
    const program = ts.createProgram([consumer], {
      strict: true, noEmit: true, skipLibCheck: false,
      module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022,
      // A browser project: the WebGPU types, no Node types (the WebGPU runtime must not need them).
      types: ['types'], typeRoots: [join(REPO, 'node_modules/@webgpu')],
    });
    const ours = (d: ts.Diagnostic) => !d.file || d.file.fileName.startsWith(dir);
    const errors = ts.getPreEmitDiagnostics(program).filter(ours).map((d) => `${d.file?.fileName.slice(dir.length) ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
    expect(errors).to.deep.equal([]);
    const declarations = program.getSourceFile(join(dir, 'hand.d.ts'));
    expect(declarations, 'hand.d.ts is what the consumer resolves').to.not.equal(undefined);
    const exported = program.getTypeChecker().getExportsOfModule(program.getTypeChecker().getSymbolAtLocation(declarations!)!);
    expect(exported.map((s) => s.name)).to.include.members(['createModel', 'inputShape', 'outputShape', 'dispatchesPerInference', 'description']);
  });

  it('ShuffleNetV2 x1.0: one dispatch per conv, pool and classifier; split/concat/shuffle/flatten cost none', () => {
    const g = buildShuffleNetV2({ width: 1, form: 'routed' });
    const { description, wgsl } = emitWgslModel(g, planMemory(g), 'x1');
    const convs = g.nodes.filter((n) => n.op.kind === 'conv2d').length;
    expect(convs).to.equal(56);
    expect(description.steps).to.have.length(convs + 3); // + max pool, global pool, classifier
    expect(description.steps.map((s) => s.kernel)).to.not.include('copy');
    expect((wgsl.match(/@compute/g) ?? []).length).to.equal(description.steps.length);
    // Shuffled halves are read through offset tables rather than copied.
    expect(wgsl).to.match(/u32\(ws\(\d+u \+ c\)\)/);
    for (const s of description.steps) expect(s.weightsOffset % 64, s.entryPoint).to.equal(0);
  });

  for (const width of [0.5, 1, 1.5, 2] as const) {
    it(`ShuffleNetV2 x${width} planned with the target's kernel groups: 39 dispatches, workgroup memory within 16 KiB`, () => {
      const g = buildShuffleNetV2({ width, form: 'routed' });
      const { description, wgsl } = emitWgslModel(g, planForTarget(g, wgslTarget), 'x');
      const kinds = description.steps.map((s) => s.kernel);
      // stem, max pool, 3 + 13 units with one fused depthwise + 1x1 per branch (19), 16 other 1x1 convs, conv5,
      // and the pooled classifier.
      expect(kinds).to.have.length(39);
      expect(kinds.filter((k) => k === 'depthwise-conv1x1')).to.have.length(19);
      expect(kinds.filter((k) => k === 'depthwise' || k === 'globalAvgPool' || k === 'classifier')).to.deep.equal([]);
      expect(kinds.at(-1)).to.equal('globalAvgPool-classifier');
      for (const s of description.steps) expect(s.workgroupBytes, s.entryPoint).to.be.at.most(16384);
      expect((wgsl.match(/var<workgroup>/g) ?? []).length).to.equal(20);
    });
  }

  it('node names from the model reach comments and messages only as [A-Za-z0-9_./:-]', () => {
    const g = handConv(EVIL);
    const artifacts = wgslTarget.emit(g, planMemory(g), { name: 'hand' });
    const wgsl = artifacts[0].contents as string;
    for (const line of wgsl.split('\n').filter((l) => l.startsWith('//'))) expect(line).to.match(/^\/\/[ A-Za-z0-9_./:,;()\-]*$/);
    expect(wgsl).to.not.include('evil()');
    for (const module of [artifacts[3], artifacts[4]]) {
      expect(module.path).to.match(/^hand\.(js|d\.ts)$/);
      expect(module.contents as string).to.not.include('${process').and.not.include('\u202e');
    }
    expect(artifacts[3].contents as string).to.include('x__/___fn_evil');
  });

  it('an op the kernels cannot render is a one-line CompileError naming the node (WGSL spells no infinity)', () => {
    const b = new GraphBuilder();
    const x = b.addValue('x', { dtype: 'f32', shape: [1, 2, 3, 3] });
    const [y] = b.addNode({ kind: 'pad', pads: [0, 0, 1, 1, 0, 0, 1, 1], value: Infinity }, [x], 'Pad t0');
    b.inputs = [x];
    b.outputs = [y];
    const g = b.build();
    expect(() => wgslTarget.emit(g, planMemory(g), { name: 'bad' }))
      .to.throw(CompileError)
      .with.property('message')
      .that.matches(/^node Pad t0: wgsl target: pad parameter Infinity is not a finite number$/)
      .and.not.include('\n');
  });
});
