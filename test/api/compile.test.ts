// The library API as a user calls it: every kind of model source, the analyze figures, artifacts written all or
// nothing, errors that carry a kind, and a compiled model instantiated through its own emitted module.

import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, compile, CompileError, loadCompiled, loadGraph, targetNames, writeArtifacts } from '../../api/index.ts';
import type { ErrorKind } from '../../api/index.ts';
import { runGraph } from '../../compiler/interpreter/run-graph.ts';
import { readNpy } from '../../runtime/npy.ts';
import { manifest, maxAbsDiff, REPO, scratchDir } from '../targets/c/support.ts';

const fixture = manifest.fixtures.find((f) => f.name === 'tv_tiny_o13_bn')!;
const modelPath = join(REPO, 'fixtures', fixture.files.model);
const tensor = (file: string) => readNpy(readFileSync(join(REPO, 'fixtures', file))).data as Float32Array;

async function failure(work: Promise<unknown>): Promise<CompileError> {
  try {
    await work;
  } catch (e) {
    expect(e, String(e)).to.be.instanceOf(CompileError);
    return e as CompileError;
  }
  throw new Error('expected a CompileError');
}

describe('library API: compile / analyze / writeArtifacts', function () {
  this.timeout(300_000);
  const root = scratchDir('api');
  after(() => rmSync(root, { recursive: true, force: true }));

  it('lists the targets', () => {
    expect(targetNames()).to.include.members(['c', 'neon', 'wasm', 'wgsl']);
  });

  it('compiles a path and the same ONNX bytes to identical artifacts, and reports the analyze figures', async () => {
    const fromPath = await compile(modelPath, { target: 'c', name: 'net' });
    const fromBytes = await compile(new Uint8Array(readFileSync(modelPath)), { target: 'c', name: 'net' });
    expect(fromPath.target).to.equal('c');
    expect(fromPath.name).to.equal('net');
    expect(fromPath.artifacts.map((a) => a.path)).to.include.members(['net.c', 'net.h']);
    expect(fromBytes.artifacts.map((a) => [a.path, a.contents])).to.deep.equal(fromPath.artifacts.map((a) => [a.path, a.contents]));
    // The report describes the compiled graph under its plan: channel routing moves no bytes.
    expect(fromPath.report.after.totals.macs).to.be.greaterThan(0);
    expect(fromPath.report.after.totals.movedBytes).to.equal(0);
    // The arena it reports is the one the header declares: the plan's activations, then the kernels' scratch.
    const header = String(fromPath.artifacts.find((a) => a.path === 'net.h')!.contents);
    const declared = Number(/#define NET_ARENA_BYTES (\d+)/.exec(header)![1]);
    expect(fromPath.report.memory.arenaBytes).to.equal(declared);
    expect(fromPath.report.memory.plannedBytes).to.equal(4 * fromPath.plan.arenaFloats);
    expect(fromPath.report.memory.scratchBytes).to.be.greaterThan(0);
    expect(fromPath.report.memory.plannedBytes + fromPath.report.memory.scratchBytes!).to.equal(declared);
    expect(fromPath.graph.nodes.length).to.be.lessThan(fromPath.imported.nodes.length);
  });

  it('takes a built-in name and a spec object with a seed, and fixes the input shape', async () => {
    const spec = { stages_repeats: [1, 1, 1], stages_out_channels: [8, 16, 32, 64, 128], num_classes: 7 };
    const a = await analyze(spec, { seed: 3, inputShape: [2, 3, 32, 32] });
    const out = a.graph.values.get(a.graph.outputs[0])!.type.shape;
    expect(out).to.deep.equal([2, 7]);
    const builtin = await analyze('shufflenet_v2_x0_5', { inputShape: [1, 3, 64, 64] });
    expect(builtin.report.before.totals.params).to.equal(1366792);
  });

  it('writes artifacts all or nothing', async () => {
    const result = await compile(modelPath, { target: 'c', name: 'net' });
    const out = join(root, 'out');
    await writeArtifacts(out, result.artifacts);
    expect(readdirSync(out)).to.include.members(['net.c', 'net.h']);
    expect(readFileSync(join(out, 'net.c'))).to.deep.equal(Buffer.from(result.artifacts.find((a) => a.path === 'net.c')!.contents as string));
    const hostile = join(root, 'hostile');
    const e = await failure(writeArtifacts(hostile, [{ path: 'ok.txt', contents: 'x' }, { path: '../escape.txt', contents: 'x' }]));
    expect(e.kind).to.equal('internal');
    expect(existsSync(hostile)).to.equal(false);
    expect(existsSync(join(root, 'escape.txt'))).to.equal(false);
  });

  it('errors carry a kind, the file and the node', async () => {
    const cases: [Promise<unknown>, ErrorKind, RegExp][] = [
      [compile(modelPath, { target: 'fortran' }), 'invalid-input', /unknown target "fortran"; available: c /],
      [compile(modelPath, { target: 'c', name: 'x*/y' }), 'invalid-input', /must be a C identifier/],
      [compile(join(root, 'missing.onnx'), { target: 'c' }), 'io', /cannot read file: no such file/],
      [compile(new Uint8Array([1, 2, 3, 4]), { target: 'c', file: 'junk.onnx' }), 'invalid-model', /^junk\.onnx: /],
      [compile(modelPath, { target: 'c', weights: modelPath }), 'invalid-input', /weights apply to spec models/],
      [analyze({ stages_repeats: [1, 1], stages_out_channels: [8, 16, 32, 64, 128] }), 'invalid-model', /^spec: /],
    ];
    for (const [work, kind, message] of cases) {
      const e = await failure(work);
      expect(e.kind, e.message).to.equal(kind);
      expect(e.message).to.match(message);
      expect(e.message).not.to.include('\n');
    }
    const unsupported = join(REPO, 'fixtures', 'bad', 'unsupported_ops.onnx');
    const e = await failure(compile(unsupported, { target: 'c' }));
    expect(e.kind).to.equal('unsupported');
    expect(e.file).to.equal(unsupported);
  });

  it('instantiates a compiled model through its emitted module and matches PyTorch', async () => {
    const graph = await loadGraph(modelPath);
    const input = tensor(fixture.files.input);
    const result = await compile(modelPath, { target: 'wasm', name: 'net' });
    const model = await loadCompiled(result);
    try {
      const logits = await model.run(input);
      expect(maxAbsDiff(logits, tensor(fixture.files.output))).to.be.at.most(manifest.tolerance.abs);
      expect(maxAbsDiff(logits, runGraph(graph, [input])[0])).to.be.at.most(manifest.tolerance.abs);
    } finally {
      model.dispose();
    }
  });
});
