// importOnnx on every golden fixture (PyTorch exports in three code styles, opsets 11-17, BN kept or folded,
// static or dynamic batch) and on broken or hostile files: each must give one line naming file, node and reason.

import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { importOnnx } from '../../../../compiler/frontend/onnx/import-onnx.ts';
import { CompileError } from '../../../../compiler/ir/errors.ts';
import { buildModel, f32, i64, type ModelSpec } from './model-builder.ts';

const FIXTURES = join(import.meta.dirname, '../../../../fixtures');

interface FixtureEntry {
  name: string;
  opset: number;
  dynamic_batch: boolean;
  input_shape: number[];
  output_shape: number[];
  onnx_ops: string[];
  files: { model: string };
}

const manifest = JSON.parse(readFileSync(join(FIXTURES, 'manifest.json'), 'utf8')) as { fixtures: FixtureEntry[] };

/** Runs `fn`, expecting a one-line CompileError; returns its message. */
function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e, String(e)).to.be.instanceOf(CompileError);
    const message = (e as CompileError).message;
    expect(message).not.to.match(/[\n\r]/);
    return message;
  }
  expect.fail('expected a CompileError');
}

const tinyConv = (over: Partial<ModelSpec> = {}): ModelSpec => ({
  inputs: [{ name: 'x', shape: [1, 2, 4, 4] }],
  initializers: { w: f32([2, 2, 1, 1], [1, 0, 0, 1]) },
  nodes: [{ op: 'Conv', inputs: ['x', 'w'], outputs: ['y'], name: 'conv' }],
  outputs: ['y'],
  ...over,
});

describe('ONNX frontend: golden fixtures import', () => {
  it('the manifest lists fixtures', () => expect(manifest.fixtures.length).to.be.greaterThan(0));

  for (const f of manifest.fixtures) {
    it(`${f.name} (opset ${f.opset}${f.dynamic_batch ? ', dynamic batch' : ''})`, () => {
      const graph = importOnnx(readFileSync(join(FIXTURES, f.files.model)), { file: f.files.model, inputShape: f.input_shape });
      expect(graph.inputs).to.have.length(1);
      expect(graph.values.get(graph.inputs[0])!.type.shape).to.deep.equal(f.input_shape);
      expect(graph.outputs).to.have.length(1);
      expect(graph.values.get(graph.outputs[0])!.type.shape).to.deep.equal(f.output_shape);
      // All shape arithmetic is gone: every remaining node computes f32 activations.
      for (const node of graph.nodes) for (const id of node.outputs) expect(graph.values.get(id)!.type.dtype, node.origin).to.equal('f32');
      const convs = graph.nodes.filter((n) => n.op.kind === 'conv2d').length;
      expect(convs).to.be.greaterThan(0);
      if (f.onnx_ops.includes('BatchNormalization')) expect(graph.nodes.some((n) => n.op.kind === 'batchNorm')).to.equal(true);
    });
  }

  const dynamic = manifest.fixtures.find((f) => f.dynamic_batch);
  const fixed = manifest.fixtures.find((f) => !f.dynamic_batch);

  it('a dynamic batch axis is fixed by the input shape, and required', () => {
    const bytes = readFileSync(join(FIXTURES, dynamic!.files.model));
    const [, c, h, w] = dynamic!.input_shape;
    const graph = importOnnx(bytes, { file: 'dyn.onnx', inputShape: [5, c, h, w] });
    expect(graph.values.get(graph.outputs[0])!.type.shape[0]).to.equal(5);
    expect(errorOf(() => importOnnx(bytes, { file: 'dyn.onnx' }))).to.match(/^dyn\.onnx: input "input" \[\?,3,\d+,\d+\] has a dynamic dimension; give the input shape/);
  });

  it('an input shape must agree with the model in rank and static dims', () => {
    const bytes = readFileSync(join(FIXTURES, fixed!.files.model));
    expect(errorOf(() => importOnnx(bytes, { file: 'm.onnx', inputShape: [1, 3, 64] }))).to.match(/^m\.onnx: input shape \[1,3,64\] has rank 3, but model input "input" .* has rank 4/);
    const wrong = [...fixed!.input_shape];
    wrong[2] += 1;
    expect(errorOf(() => importOnnx(bytes, { file: 'm.onnx', inputShape: wrong }))).to.match(/does not match model input "input" .* at axis 2/);
  });
});

describe('ONNX frontend: bad input', () => {
  it('refuses a truncated model', () => {
    const message = errorOf(() => importOnnx(readFileSync(join(FIXTURES, 'bad/truncated.onnx')), { file: 'bad/truncated.onnx' }));
    expect(message).to.match(/^bad\/truncated\.onnx: not a valid ONNX model/);
  });

  it('refuses a text file, an empty file and a protobuf without a graph', () => {
    expect(errorOf(() => importOnnx(readFileSync(join(FIXTURES, 'bad/not_onnx.onnx')), { file: 'n.onnx' }))).to.match(/^n\.onnx: not a valid ONNX model/);
    expect(errorOf(() => importOnnx(new Uint8Array(0), { file: 'e.onnx' }))).to.equal('e.onnx: file is empty, not an ONNX model');
    const noGraph = onnxProto.onnx.ModelProto.encode({ irVersion: 8, producerName: 'x' }).finish();
    expect(errorOf(() => importOnnx(noGraph, { file: 'g.onnx' }))).to.equal('g.onnx: not an ONNX model: it holds no graph with nodes');
  });

  it('lists every unsupported op at once, with node names and op types', () => {
    const message = errorOf(() => importOnnx(readFileSync(join(FIXTURES, 'bad/unsupported_ops.onnx')), { file: 'u.onnx' }));
    expect(message).to.include('"/conv1/conv1.2/Relu" (Celu)');
    expect(message).to.include('"/stage2/stage2.0/branch1/branch1.4/Relu" (LRN)');
    expect(message).to.match(/^u\.onnx: unsupported ONNX ops \(Celu, LRN\) in 2 node\(s\)/);
  });

  it('escapes control characters in names (JSON-style, not mangled) and lists custom-domain ops as unsupported', () => {
    const spec = tinyConv({
      nodes: [
        { op: 'Conv', inputs: ['x', 'w'], outputs: ['a'], name: 'evil\nname\u001b[31m' },
        { op: 'Relu', inputs: ['a'], outputs: ['y'], name: 'custom', domain: 'com.example' },
        { op: 'Softmax\r', inputs: ['a'], outputs: ['z'], name: '' },
      ],
    });
    const message = errorOf(() => importOnnx(buildModel(spec), { file: 'c.onnx' }));
    expect(message).to.equal('c.onnx: unsupported ONNX ops (com.example.Relu, Softmax\\u000d) in 2 node(s): "custom" (com.example.Relu), #2 (Softmax\\u000d)');
    const bad = buildModel(tinyConv({ nodes: [{ op: 'Conv', inputs: ['x', 'w'], outputs: ['y'], name: 'evil\nname\u001b', attrs: { group: { int: 3 } } }] }));
    expect(errorOf(() => importOnnx(bad, { file: 'q.onnx' }))).to.match(/^q\.onnx: node "evil\\nname\\u001b" \(Conv\): conv with 3 groups/);
  });

  it('names the node and op type when a shape cannot be resolved', () => {
    const spec: ModelSpec = {
      inputs: [{ name: 'x', shape: [2, 6] }, { name: 'shape', shape: [2] }],
      nodes: [{ op: 'Reshape', inputs: ['x', 'shape'], outputs: ['y'], name: '/head/Reshape' }],
      outputs: ['y'],
    };
    const message = errorOf(() => importOnnx(buildModel(spec), { file: 'r.onnx' }));
    expect(message).to.equal('r.onnx: node "/head/Reshape" (Reshape): shape (tensor "shape") is not a compile-time constant, so the shape it controls cannot be resolved');
    const badReshape = tinyConv({ initializers: { w: f32([2, 2, 1, 1], [1, 0, 0, 1]), s: i64([3, -1, 5]) }, nodes: [{ op: 'Reshape', inputs: ['x', 's'], outputs: ['y'], name: 'rs' }] });
    expect(errorOf(() => importOnnx(buildModel(badReshape), { file: 'r.onnx' }))).to.equal('r.onnx: node "rs" (Reshape): cannot reshape [1,2,4,4] to [3,-1,5]');
  });

  it('refuses absurd sizes before allocating', () => {
    const huge = buildModel(tinyConv({ initializers: { w: { dtype: 'f32', shape: [2 ** 20, 2 ** 20], values: [1] } } }));
    expect(errorOf(() => importOnnx(huge, { file: 'h.onnx' }))).to.match(/^h\.onnx: initializer "w" has 1099511627776 elements \(limit 2\^31\)/);
    const wide = buildModel(tinyConv({ initializers: { w: { dtype: 'f32', shape: [2 ** 32], values: [1] } } }));
    expect(errorOf(() => importOnnx(wide, { file: 'h.onnx' }))).to.match(/absurd dimension 4294967296/);
    expect(errorOf(() => importOnnx(buildModel(tinyConv()), { file: 'h.onnx', inputShape: [1, 2, 65536, 65536] }))).to.match(/^h\.onnx: input shape \[1,2,65536,65536\] does not match/);
    const dyn = buildModel(tinyConv({ inputs: [{ name: 'x', shape: ['n', 2, 'h', 'w'] }] }));
    expect(errorOf(() => importOnnx(dyn, { file: 'h.onnx', inputShape: [1, 2, 65536, 65536] }))).to.match(/^h\.onnx: input "x" has 8589934592 elements \(limit 2\^31\)/);
  });

  it('refuses raw data that does not fit the declared shape', () => {
    const short = buildModel(tinyConv({ initializers: { w: f32([2, 2, 1, 1], [1, 0, 0]) } }));
    expect(errorOf(() => importOnnx(short, { file: 's.onnx' }))).to.equal('s.onnx: initializer "w" holds 12 bytes of raw data, its shape needs 16');
  });

  it('refuses external-data initializers clearly', () => {
    const { onnx } = onnxProto;
    const model = onnx.ModelProto.decode(buildModel(tinyConv()));
    const w = model.graph!.initializer![0];
    w.rawData = new Uint8Array(0);
    w.dataLocation = onnx.TensorProto.DataLocation.EXTERNAL;
    w.externalData = [onnx.StringStringEntryProto.create({ key: 'location', value: 'weights.bin' })];
    const bytes = onnx.ModelProto.encode(model).finish();
    expect(errorOf(() => importOnnx(bytes, { file: 'x.onnx' }))).to.equal('x.onnx: initializer "w" keeps its data in an external file, which snv2c does not read; re-export with the weights inside the .onnx file');
  });

  it('refuses non-float inputs and undefined tensors', () => {
    const { onnx } = onnxProto;
    const model = onnx.ModelProto.decode(buildModel(tinyConv()));
    model.graph!.input![0].type!.tensorType!.elemType = onnx.TensorProto.DataType.INT64;
    expect(errorOf(() => importOnnx(onnx.ModelProto.encode(model).finish(), { file: 'i.onnx' }))).to.equal('i.onnx: input "x" has element type INT64; only FLOAT inputs are supported');
    const dangling = buildModel(tinyConv({ nodes: [{ op: 'Relu', inputs: ['nowhere'], outputs: ['y'], name: 'r' }] }));
    expect(errorOf(() => importOnnx(dangling, { file: 'd.onnx' }))).to.equal('d.onnx: node "r" (Relu): tensor "nowhere" is used before any node or initializer defines it');
  });
});
