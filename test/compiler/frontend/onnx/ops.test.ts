// Op-by-op semantics of the ONNX frontend: small models built in memory, imported and run by the reference
// interpreter, compared with onnxruntime-node running the very same bytes (an independent ONNX implementation).

import { expect } from 'chai';
import { importOnnx } from '../../../../compiler/frontend/onnx/import-onnx.ts';
import { runGraph } from '../../../../compiler/interpreter/run-graph.ts';
import type { Graph } from '../../../../compiler/ir/types.ts';
import { numel } from '../../../../compiler/ir/types.ts';
import { runOnnxModel } from '../../../support/ort.ts';
import { buildModel, f32, i64, randomFloats, type ModelSpec } from './model-builder.ts';

const INT64_MAX = 2 ** 63;
const INT64_MIN = -(2 ** 63);

/** Imports and runs `spec` on seeded input(s), checks against onnxruntime, and returns the graph for structure checks. */
async function matchesOnnxRuntime(spec: ModelSpec, inputShape?: number[]): Promise<Graph> {
  const bytes = buildModel(spec);
  const shapes = spec.inputs.map((inp, i) => (i === 0 && inputShape ? inputShape : (inp.shape as number[])));
  const inputs = shapes.map((shape, i) => Float32Array.from(randomFloats(numel(shape), 7 + i)));
  const graph = importOnnx(bytes, { file: 'test.onnx', inputShape });
  const ours = runGraph(graph, inputs);
  const theirs = await runOnnxModel(bytes, inputs.map((data, i) => ({ type: { dtype: 'f32' as const, shape: shapes[i] }, data })));
  expect(ours).to.have.length(theirs.length);
  theirs.forEach((t, k) => {
    expect(graph.values.get(graph.outputs[k])!.type.shape, `output ${k} shape`).to.deep.equal(t.type.shape);
    const worst = ours[k].reduce((m, x, i) => Math.max(m, Math.abs(x - t.data[i])), 0);
    expect(worst, `output ${k} max abs diff`).to.be.below(1e-5);
  });
  return graph;
}

const kinds = (g: Graph) => g.nodes.map((n) => n.op.kind);

describe('ONNX frontend: ops against onnxruntime', () => {
  it('Conv without kernel_shape, SAME_UPPER, stride 2, bias', async () => {
    const g = await matchesOnnxRuntime({
      inputs: [{ name: 'x', shape: [1, 2, 7, 7] }],
      initializers: { w: f32([3, 2, 2, 2], randomFloats(24, 2)), b: f32([3], [0.5, -1, 2]) },
      nodes: [{ op: 'Conv', inputs: ['x', 'w', 'b'], outputs: ['y'], attrs: { auto_pad: { string: 'SAME_UPPER' }, strides: { ints: [2, 2] } } }],
      outputs: ['y'],
    });
    expect(g.nodes[0].op).to.include({ kind: 'conv2d' });
    expect(g.nodes[0].op).to.have.deep.property('pads', [0, 0, 1, 1]);
  });

  it('Conv SAME_LOWER puts the odd pad first; VALID pads nothing; grouped with dilation', async () => {
    await matchesOnnxRuntime({
      inputs: [{ name: 'x', shape: [1, 4, 6, 6] }],
      initializers: { w: f32([4, 2, 2, 2], randomFloats(32, 3)), w2: f32([4, 1, 3, 3], randomFloats(36, 4)) },
      nodes: [
        { op: 'Conv', inputs: ['x', 'w'], outputs: ['a'], attrs: { auto_pad: { string: 'SAME_LOWER' }, group: { int: 2 } } },
        { op: 'Conv', inputs: ['a', 'w2'], outputs: ['y'], attrs: { auto_pad: { string: 'VALID' }, group: { int: 4 }, dilations: { ints: [2, 1] } } },
      ],
      outputs: ['y'],
    });
  });

  it('MaxPool with ceil_mode and pads, AveragePool counting pads, BatchNormalization, Relu', async () => {
    await matchesOnnxRuntime({
      inputs: [{ name: 'x', shape: [1, 3, 8, 8] }],
      initializers: {
        s: f32([3], [1, 0.5, 2]), bias: f32([3], [0, 0.1, -0.2]), m: f32([3], [0.1, -0.3, 0]), v: f32([3], [1, 2, 0.5]),
      },
      nodes: [
        { op: 'BatchNormalization', inputs: ['x', 's', 'bias', 'm', 'v'], outputs: ['bn'], attrs: { epsilon: { float: 1e-3 } } },
        { op: 'Relu', inputs: ['bn'], outputs: ['r'] },
        { op: 'MaxPool', inputs: ['r'], outputs: ['p'], attrs: { kernel_shape: { ints: [3, 3] }, strides: { ints: [2, 2] }, pads: { ints: [1, 1, 0, 0] }, ceil_mode: { int: 1 } } },
        { op: 'AveragePool', inputs: ['p'], outputs: ['y'], attrs: { kernel_shape: { ints: [2, 3] }, pads: { ints: [1, 1, 1, 1] }, count_include_pad: { int: 1 } } },
      ],
      outputs: ['y'],
    });
  });

  it('Split by attribute (opset 11), by input (opset 13) and equally', async () => {
    const split11 = await matchesOnnxRuntime({
      opset: 11,
      inputs: [{ name: 'x', shape: [1, 6, 2, 2] }],
      nodes: [{ op: 'Split', inputs: ['x'], outputs: ['a', 'b'], attrs: { axis: { int: 1 }, split: { ints: [2, 4] } } }],
      outputs: ['a', 'b'],
    });
    expect(split11.nodes[0].op).to.deep.equal({ kind: 'split', axis: 1, sizes: [2, 4] });
    await matchesOnnxRuntime({
      inputs: [{ name: 'x', shape: [1, 6, 2, 2] }],
      initializers: { s: i64([5, 1]) },
      nodes: [{ op: 'Split', inputs: ['x', 's'], outputs: ['a', 'b'], attrs: { axis: { int: -3 } } }],
      outputs: ['a', 'b'],
    });
    await matchesOnnxRuntime({
      inputs: [{ name: 'x', shape: [1, 6, 2, 2] }],
      nodes: [{ op: 'Split', inputs: ['x'], outputs: ['a', 'b', 'c'], attrs: { axis: { int: 1 } } }],
      outputs: ['a', 'b', 'c'],
    });
  });

  it('Slice with INT64 extremes, negative indices, steps and a negative step', async () => {
    const g = await matchesOnnxRuntime({
      inputs: [{ name: 'x', shape: [1, 10, 3, 4] }],
      initializers: {
        st: i64([-7, 0]), en: i64([INT64_MAX, 4]), ax: i64([1, -1]), sp: i64([2, 1]),
        st2: i64([-1]), en2: i64([INT64_MIN]), ax2: i64([2]), sp2: i64([-1]),
      },
      nodes: [
        { op: 'Slice', inputs: ['x', 'st', 'en', 'ax', 'sp'], outputs: ['a'] },
        { op: 'Slice', inputs: ['a', 'st2', 'en2', 'ax2', 'sp2'], outputs: ['y'] },
      ],
      outputs: ['y'],
    });
    expect(g.nodes[0].op).to.deep.equal({ kind: 'slice', axes: [1, 3], starts: [3, 0], ends: [10, 4], steps: [2, 1] });
    expect(g.nodes[1].op).to.deep.equal({ kind: 'slice', axes: [2], starts: [2], ends: [-1], steps: [-1] });
  });

  it('Squeeze/Unsqueeze with attribute axes (opset 11) and input axes (opset 13), Flatten', async () => {
    await matchesOnnxRuntime({
      opset: 11,
      inputs: [{ name: 'x', shape: [2, 1, 3, 1] }],
      nodes: [
        { op: 'Squeeze', inputs: ['x'], outputs: ['a'], attrs: { axes: { ints: [1, -1] } } },
        { op: 'Unsqueeze', inputs: ['a'], outputs: ['b'], attrs: { axes: { ints: [0, -1] } } },
        { op: 'Flatten', inputs: ['b'], outputs: ['y'], attrs: { axis: { int: 2 } } },
      ],
      outputs: ['y'],
    });
    const g = await matchesOnnxRuntime({
      inputs: [{ name: 'x', shape: [2, 1, 3, 1] }],
      initializers: { ax: i64([1]), ax2: i64([3]) },
      nodes: [
        { op: 'Squeeze', inputs: ['x', 'ax'], outputs: ['a'] },
        { op: 'Unsqueeze', inputs: ['a', 'ax2'], outputs: ['b'] },
        { op: 'Squeeze', inputs: ['b'], outputs: ['c'] },
        { op: 'Flatten', inputs: ['c'], outputs: ['y'], attrs: { axis: { int: 0 } } },
      ],
      outputs: ['y'],
    });
    expect(g.nodes.map((n) => n.op)).to.deep.equal([
      { kind: 'reshape', shape: [2, 3, 1] },
      { kind: 'reshape', shape: [2, 3, 1, 1] },
      { kind: 'reshape', shape: [2, 3] },
      { kind: 'reshape', shape: [1, 6] },
    ]);
  });

  it('Reshape resolves 0 and -1; Transpose defaults to reversing', async () => {
    const g = await matchesOnnxRuntime({
      inputs: [{ name: 'x', shape: [2, 6, 2, 2] }],
      initializers: { s: i64([0, 2, -1, 4]) },
      nodes: [
        { op: 'Reshape', inputs: ['x', 's'], outputs: ['a'] },
        { op: 'Transpose', inputs: ['a'], outputs: ['y'] },
      ],
      outputs: ['y'],
    });
    expect(g.nodes[0].op).to.deep.equal({ kind: 'reshape', shape: [2, 2, 3, 4] });
    expect(g.nodes[1].op).to.deep.equal({ kind: 'transpose', perm: [3, 2, 1, 0] });
  });

  it('folds the int64 shape arithmetic of a dynamic-batch channel split into constants', async () => {
    // What torch.onnx exports for x.chunk(2, dim=1) and a channel shuffle reshape with a dynamic batch.
    const g = await matchesOnnxRuntime(
      {
        inputs: [{ name: 'x', shape: ['batch', 6, 2, 2] }],
        initializers: { one: i64([1], []), two: i64([2], []), zero: i64([0], []), ax0: i64([0]), ax1: i64([1]), m1: i64([-1]), big: i64([INT64_MAX]) },
        nodes: [
          { op: 'Shape', inputs: ['x'], outputs: ['shp'] },
          { op: 'Gather', inputs: ['shp', 'one'], outputs: ['c'], attrs: { axis: { int: 0 } } },
          { op: 'Add', inputs: ['c', 'one'], outputs: ['c1'] },
          { op: 'Div', inputs: ['c1', 'two'], outputs: ['half'] },
          { op: 'Unsqueeze', inputs: ['half', 'ax0'], outputs: ['half1'] },
          { op: 'Slice', inputs: ['x', 'ax0', 'half1', 'ax1'], outputs: ['left'] },
          { op: 'Slice', inputs: ['x', 'half1', 'big', 'ax1'], outputs: ['right'] },
          { op: 'Gather', inputs: ['shp', 'zero'], outputs: ['n'], attrs: { axis: { int: 0 } } },
          { op: 'Cast', inputs: ['n'], outputs: ['nf'], attrs: { to: { int: 1 } } },
          { op: 'Cast', inputs: ['nf'], outputs: ['ni'], attrs: { to: { int: 7 } } },
          { op: 'Unsqueeze', inputs: ['ni', 'ax0'], outputs: ['n1'] },
          { op: 'Concat', inputs: ['n1', 'm1'], outputs: ['flat'], attrs: { axis: { int: 0 } } },
          { op: 'Concat', inputs: ['right', 'left'], outputs: ['cat'], attrs: { axis: { int: 1 } } },
          { op: 'Reshape', inputs: ['cat', 'flat'], outputs: ['y'] },
        ],
        outputs: ['y'],
      },
      [3, 6, 2, 2],
    );
    expect(kinds(g)).to.deep.equal(['slice', 'slice', 'concat', 'reshape']);
    expect(g.nodes[0].op).to.deep.equal({ kind: 'slice', axes: [1], starts: [0], ends: [3], steps: [1] });
    expect(g.nodes[3].op).to.deep.equal({ kind: 'reshape', shape: [3, 24] });
  });

  it('Gather with a negative index, Constant attributes, ConstantOfShape, Range, Sub/Mul broadcasting', async () => {
    const g = await matchesOnnxRuntime({
      inputs: [{ name: 'x', shape: [2, 3, 4] }],
      initializers: { idx: i64([-1], []), shp: i64([1, 4]) },
      nodes: [
        { op: 'Gather', inputs: ['x', 'idx'], outputs: ['g'], attrs: { axis: { int: 1 } } },
        { op: 'Constant', inputs: [], outputs: ['k'], attrs: { value_floats: { floats: [1, 2, 3, 4] } } },
        { op: 'Constant', inputs: [], outputs: ['two'], attrs: { value_int: { int: 2 } } },
        { op: 'ConstantOfShape', inputs: ['shp'], outputs: ['c'], attrs: { value: { tensor: f32([1], [0.25]) } } },
        { op: 'Constant', inputs: [], outputs: ['r0'], attrs: { value: { tensor: i64([0], []) } } },
        { op: 'Constant', inputs: [], outputs: ['r1'], attrs: { value: { tensor: i64([8], []) } } },
        { op: 'Range', inputs: ['r0', 'r1', 'two'], outputs: ['r'] },
        { op: 'Cast', inputs: ['r'], outputs: ['rf'], attrs: { to: { int: 1 } } },
        { op: 'Sub', inputs: ['g', 'k'], outputs: ['a'] },
        { op: 'Mul', inputs: ['a', 'c'], outputs: ['b'] },
        { op: 'Add', inputs: ['b', 'rf'], outputs: ['y'] },
      ],
      outputs: ['y'],
    });
    expect(kinds(g)).to.deep.equal(['gather', 'binary', 'binary', 'binary']);
    expect(Array.from(g.values.get(g.nodes[0].inputs[1])!.data!)).to.deep.equal([2]);
  });

  it('Gemm with transB/alpha/beta, MatMul, ReduceMean, GlobalAveragePool, Dropout, Identity, zero Pad', async () => {
    await matchesOnnxRuntime({
      opset: 11,
      inputs: [{ name: 'x', shape: [2, 3, 4, 5] }],
      initializers: { w: f32([6, 3], randomFloats(18, 5)), c: f32([6], randomFloats(6, 6)), m: f32([6, 2], randomFloats(12, 8)), pads: i64([0, 0, 0, 0, 0, 0, 0, 0]) },
      nodes: [
        { op: 'Pad', inputs: ['x', 'pads'], outputs: ['p'], attrs: { mode: { string: 'constant' } } },
        { op: 'ReduceMean', inputs: ['p'], outputs: ['rm'], attrs: { axes: { ints: [-1] }, keepdims: { int: 1 } } },
        { op: 'GlobalAveragePool', inputs: ['rm'], outputs: ['gp'] },
        { op: 'Flatten', inputs: ['gp'], outputs: ['f'] },
        { op: 'Dropout', inputs: ['f'], outputs: ['d'] },
        { op: 'Gemm', inputs: ['d', 'w', 'c'], outputs: ['gm'], attrs: { transB: { int: 1 }, alpha: { float: 0.5 }, beta: { float: 2 } } },
        { op: 'Identity', inputs: ['gm'], outputs: ['id'] },
        { op: 'MatMul', inputs: ['id', 'm'], outputs: ['mm'] },
        { op: 'ReduceMean', inputs: ['mm'], outputs: ['y'], attrs: { axes: { ints: [1] }, keepdims: { int: 0 } } },
      ],
      outputs: ['y'],
    });
  });

  it('Pad in constant mode: zero padding (opset 11 inputs), a value, negative pads, and axes (opset 18)', async () => {
    await matchesOnnxRuntime({
      opset: 11,
      inputs: [{ name: 'x', shape: [1, 2, 3, 4] }],
      initializers: { pads: i64([0, 0, 1, 2, 0, 0, 2, -1]), v: f32([], [0.25]) },
      nodes: [
        { op: 'Pad', inputs: ['x', 'pads'], outputs: ['p'] },
        { op: 'Pad', inputs: ['p', 'pads', 'v'], outputs: ['y'], attrs: { mode: { string: 'constant' } } },
      ],
      outputs: ['y'],
    });
    const g = await matchesOnnxRuntime({
      opset: 18,
      inputs: [{ name: 'x', shape: [2, 3, 4] }],
      initializers: { pads: i64([1, 0, 2, 3]), v: f32([], [-1]), axes: i64([2, 0]) },
      nodes: [{ op: 'Pad', inputs: ['x', 'pads', 'v', 'axes'], outputs: ['y'] }],
      outputs: ['y'],
    });
    expect(g.nodes[0].op).to.deep.equal({ kind: 'pad', pads: [0, 0, 1, 3, 0, 2], value: -1 });
  });

  it('reads initializers stored in typed fields (float_data, int64_data, int32 indices)', async () => {
    const g = await matchesOnnxRuntime({
      inputs: [{ name: 'x', shape: [1, 4, 2, 2] }],
      initializers: {
        w: { dtype: 'f32', shape: [2, 4, 1, 1], values: randomFloats(8, 9), typed: true },
        s: { dtype: 'i64', shape: [2], values: [1, -1], typed: true },
        idx: { dtype: 'i32', shape: [2], values: [1, 0], typed: true },
      },
      nodes: [
        { op: 'Conv', inputs: ['x', 'w'], outputs: ['c'] },
        { op: 'Reshape', inputs: ['c', 's'], outputs: ['r'] },
        { op: 'Gather', inputs: ['r', 'idx'], outputs: ['y'], attrs: { axis: { int: 1 } } },
      ],
      outputs: ['y'],
    });
    expect(g.nodes[1].op).to.deep.equal({ kind: 'reshape', shape: [1, 8] });
  });

  it('opset 18 forms: ReduceMean axes as an input, Split with num_outputs and a smaller last part', async () => {
    const g = await matchesOnnxRuntime({
      opset: 18,
      inputs: [{ name: 'x', shape: [1, 7, 2, 3] }],
      initializers: { ax: i64([2, 3]) },
      nodes: [
        { op: 'Split', inputs: ['x'], outputs: ['a', 'b', 'c'], attrs: { axis: { int: 1 }, num_outputs: { int: 3 } } },
        { op: 'ReduceMean', inputs: ['c', 'ax'], outputs: ['y'], attrs: { keepdims: { int: 0 } } },
      ],
      outputs: ['a', 'b', 'y'],
    });
    expect(g.nodes.map((n) => n.op)).to.deep.equal([
      { kind: 'split', axis: 1, sizes: [3, 3, 1] },
      { kind: 'reduceMean', axes: [2, 3], keepDims: false },
    ]);
  });

  it('activations: Sigmoid, HardSigmoid, HardSwish, Clip as ReLU6 (inputs) and SE-style broadcast Mul', async () => {
    const g = await matchesOnnxRuntime({
      opset: 14,
      inputs: [{ name: 'x', shape: [2, 4, 3, 3] }],
      initializers: { lo: f32([], [0]), hi: f32([], [6]), k: f32([1, 4, 1, 1], [4, -3, 2, 5]) },
      nodes: [
        { op: 'Mul', inputs: ['x', 'k'], outputs: ['xk'] },
        { op: 'HardSwish', inputs: ['xk'], outputs: ['hs'] },
        { op: 'Clip', inputs: ['xk', 'lo', 'hi'], outputs: ['r6'] },
        { op: 'GlobalAveragePool', inputs: ['hs'], outputs: ['pooled'] },
        { op: 'HardSigmoid', inputs: ['pooled'], outputs: ['gate'], attrs: { alpha: { float: 1 / 6 } } },
        { op: 'Sigmoid', inputs: ['r6'], outputs: ['sg'] },
        { op: 'Mul', inputs: ['sg', 'gate'], outputs: ['y'] },
      ],
      outputs: ['y', 'r6'],
    });
    expect(kinds(g)).to.deep.equal(['binary', 'hardSwish', 'clip', 'globalAvgPool', 'hardSigmoid', 'sigmoid', 'binary']);
    expect(g.nodes[2].op).to.deep.equal({ kind: 'clip', min: 0, max: 6 });
    expect(g.nodes[4].op).to.deep.include({ alpha: 0.16666667, beta: 0.5 });
  });

  it('Clip bounds: attributes before opset 11, open sides when absent', async () => {
    const g10 = await matchesOnnxRuntime({
      opset: 10,
      inputs: [{ name: 'x', shape: [3, 5] }],
      nodes: [{ op: 'Clip', inputs: ['x'], outputs: ['y'], attrs: { min: { float: -0.25 } } }],
      outputs: ['y'],
    });
    expect(g10.nodes[0].op).to.deep.equal({ kind: 'clip', min: -0.25, max: Infinity });
    const g13 = await matchesOnnxRuntime({
      opset: 13,
      inputs: [{ name: 'x', shape: [3, 5] }],
      nodes: [{ op: 'Clip', inputs: ['x'], outputs: ['y'] }],
      outputs: ['y'],
    });
    expect(g13.nodes[0].op).to.deep.equal({ kind: 'clip', min: -Infinity, max: Infinity });
  });
});
