// The generic C kernels (elementwise, unary, batchNorm, reduce, strided copy) on hand-built graphs of rank 0-5,
// against the reference interpreter: broadcasting in every direction, constants on either side, irregular
// (channel-routed) operands, negative slice steps, gathers with scalar / vector / matrix indices, reshapes
// across the planar layout, and models with several inputs and outputs. Built with gcc and clang for x86-64 and
// aarch64 (-Werror), and run on both (aarch64 under qemu).

import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { GraphBuilder } from '../../../compiler/ir/graph-builder.ts';
import type { Graph, Op } from '../../../compiler/ir/types.ts';
import { runGraph } from '../../../compiler/interpreter/run-graph.ts';
import { planMemory } from '../../../compiler/plan/plan-memory.ts';
import { createNativeModel } from '../../../runtime/native-model.ts';
import { emitCModel } from '../../../targets/c/emit-model.ts';
import { maxAbsDiff, scratchDir, STRICT_FLAGS, writeArtifacts } from './support.ts';

function random(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 31 - 1) * 3;
  });
}

const count = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** A graph with runtime inputs of the given shapes; `make` adds nodes and returns the graph outputs. */
function graphOf(inputShapes: number[][], make: (b: GraphBuilder, xs: number[]) => number[]): Graph {
  const b = new GraphBuilder();
  const xs = inputShapes.map((shape, i) => b.addValue(`x${i}`, { dtype: 'f32', shape }));
  b.inputs = xs;
  b.outputs = make(b, xs);
  return b.build();
}

const node = (b: GraphBuilder, op: Op, inputs: number[], name: string = op.kind): number[] => b.addNode(op, inputs, name);
const one = (b: GraphBuilder, op: Op, inputs: number[]): number => node(b, op, inputs)[0];
const constant = (b: GraphBuilder, shape: number[], seed: number) => b.addConst(`c${seed}`, shape, random(count(shape), seed));
const indices = (b: GraphBuilder, shape: number[], values: number[]) => b.addConst(`i${values.join('_')}`, shape, Float64Array.from(values));
const conv1x1 = (b: GraphBuilder, x: number, cin: number, cout: number, seed: number) =>
  one(b, { kind: 'conv2d', kernel: [1, 1], stride: [1, 1], pads: [0, 0, 0, 0], dilations: [1, 1], groups: 1, activation: 'none' }, [x, constant(b, [cout, cin, 1, 1], seed)]);
/** A channel-shuffled conv output: its planes sit in an irregular order (a table axis in every view). */
const shuffled = (b: GraphBuilder, x: number, channels: number) => one(b, { kind: 'channelShuffle', groups: 2 }, [conv1x1(b, x, channels, channels, 77)]);

const CASES: [string, number[][], (b: GraphBuilder, xs: number[]) => number[]][] = [
  ['add [2,3,4,5] + constant [3,1,1]', [[2, 3, 4, 5]], (b, [x]) => [one(b, { kind: 'binary', fn: 'add' }, [x, constant(b, [3, 1, 1], 1)])]],
  ['constant [5] - [2,3,4,5] (rank 1 on the left)', [[2, 3, 4, 5]], (b, [x]) => [one(b, { kind: 'binary', fn: 'sub' }, [constant(b, [5], 2), x])]],
  ['mul [3,1] * [1,4] to [3,4] (both stretched)', [[3, 1], [1, 4]], (b, [x, y]) => [one(b, { kind: 'binary', fn: 'mul' }, [x, y])]],
  ['div rank 5 by a scalar constant', [[2, 1, 3, 2, 4]], (b, [x]) => [one(b, { kind: 'binary', fn: 'div' }, [x, b.addConst('s', [], Float32Array.of(1.75))])]],
  ['rank 1 add of two inputs', [[7], [7]], (b, [x, y]) => [one(b, { kind: 'binary', fn: 'add' }, [x, y])]],
  ['SE gate: [1,6,5,5] * [1,6,1,1] on a shuffled operand', [[1, 6, 5, 5]], (b, [x]) => {
    const s = shuffled(b, x, 6);
    const gate = one(b, { kind: 'reduceMean', axes: [2, 3], keepDims: true }, [s]);
    return [one(b, { kind: 'binary', fn: 'mul' }, [s, gate])];
  }],
  ['residual add of a shuffled value and a conv', [[1, 4, 3, 3]], (b, [x]) => [one(b, { kind: 'binary', fn: 'add' }, [shuffled(b, x, 4), conv1x1(b, x, 4, 4, 5)])]],
  ['relu on rank 1 and rank 3', [[9], [2, 3, 4]], (b, [x, y]) => [one(b, { kind: 'relu' }, [x]), one(b, { kind: 'relu' }, [y])]],
  ['batchNorm on [2,3,5] (rank 3)', [[2, 3, 5]], (b, [x]) => [one(b, { kind: 'batchNorm', epsilon: 1e-3 }, [x, constant(b, [3], 10), constant(b, [3], 11), constant(b, [3], 12), b.addConst('var', [3], Float32Array.of(0.5, 1, 2))])]],
  ['batchNorm on a shuffled [1,4,3,3]', [[1, 4, 3, 3]], (b, [x]) => [one(b, { kind: 'batchNorm', epsilon: 1e-5 }, [shuffled(b, x, 4), constant(b, [4], 13), constant(b, [4], 14), constant(b, [4], 15), b.addConst('var', [4], Float32Array.of(1, 2, 3, 4))])]],
  ['reduceMean axes [1,3] of rank 4, keepDims false', [[2, 3, 4, 5]], (b, [x]) => [one(b, { kind: 'reduceMean', axes: [1, 3], keepDims: false }, [x])]],
  ['reduceMean over every axis of rank 3', [[2, 3, 4]], (b, [x]) => [one(b, { kind: 'reduceMean', axes: [0, 1, 2], keepDims: false }, [x])]],
  ['reduceMean axis 0 of rank 2, keepDims', [[5, 3]], (b, [x]) => [one(b, { kind: 'reduceMean', axes: [0], keepDims: true }, [x])]],
  ['reduceMean over channels of a shuffled value', [[1, 6, 2, 3]], (b, [x]) => [one(b, { kind: 'reduceMean', axes: [1], keepDims: true }, [shuffled(b, x, 6)])]],
  ['transpose [2,3,4] by [2,0,1]', [[2, 3, 4]], (b, [x]) => [one(b, { kind: 'transpose', perm: [2, 0, 1] }, [x])]],
  ['transpose rank 5 by [0,2,1,4,3]', [[1, 2, 3, 4, 2]], (b, [x]) => [one(b, { kind: 'transpose', perm: [0, 2, 1, 4, 3] }, [x])]],
  ['transpose a shuffled value to NHWC', [[1, 6, 2, 3]], (b, [x]) => [one(b, { kind: 'transpose', perm: [0, 2, 3, 1] }, [shuffled(b, x, 6)])]],
  ['slice with negative step and two axes', [[4, 5, 6]], (b, [x]) => [one(b, { kind: 'slice', axes: [0, 2], starts: [3, 1], ends: [-1, 6], steps: [-2, 2] }, [x])]],
  ['slice channels of a shuffled value', [[1, 6, 2, 2]], (b, [x]) => [one(b, { kind: 'slice', axes: [1], starts: [1], ends: [6], steps: [2] }, [shuffled(b, x, 6)])]],
  ['gather axis 1 with vector indices', [[2, 4, 3]], (b, [x]) => [one(b, { kind: 'gather', axis: 1 }, [x, indices(b, [3], [3, 0, 3])])]],
  ['gather axis 0 with a scalar index', [[3, 4]], (b, [x]) => [one(b, { kind: 'gather', axis: 0 }, [x, indices(b, [], [2])])]],
  ['gather axis 1 with [2,2] indices', [[2, 4, 3]], (b, [x]) => [one(b, { kind: 'gather', axis: 1 }, [x, indices(b, [2, 2], [1, 3, 0, 2])])]],
  ['concat on axis 2 with a constant', [[2, 3, 4]], (b, [x]) => [one(b, { kind: 'concat', axis: 2 }, [x, constant(b, [2, 3, 2], 20), x])]],
  ['concat of two inputs on axis 1 (not a view: separate buffers)', [[1, 2, 3], [1, 3, 3]], (b, [x, y]) => [one(b, { kind: 'concat', axis: 1 }, [x, y])]],
  ['split axis 0 into [1,2], both outputs', [[3, 4]], (b, [x]) => node(b, { kind: 'split', axis: 0, sizes: [1, 2] }, [x])],
  ['reshape [2,3,4] to [4,6] and to rank 1', [[2, 3, 4]], (b, [x]) => [one(b, { kind: 'reshape', shape: [4, 6] }, [x]), one(b, { kind: 'reshape', shape: [24] }, [x])]],
  ['reshape a shuffled [1,6,2,2] to [3,8]', [[1, 6, 2, 2]], (b, [x]) => [one(b, { kind: 'reshape', shape: [3, 8] }, [shuffled(b, x, 6)])]],
  ['clip 0..6, clip with min > max, hardSigmoid, hardSwish, sigmoid on rank 2', [[4, 9]], (b, [x]) => [
    one(b, { kind: 'clip', min: 0, max: 6 }, [x]),
    one(b, { kind: 'clip', min: 1, max: -1 }, [x]),
    one(b, { kind: 'clip', min: -Infinity, max: 0.5 }, [x]),
    one(b, { kind: 'hardSigmoid', alpha: 0.2, beta: 0.5 }, [x]),
    one(b, { kind: 'hardSwish' }, [x]),
    one(b, { kind: 'sigmoid' }, [one(b, { kind: 'binary', fn: 'mul' }, [x, b.addConst('k', [], Float32Array.of(40))])]),
  ]],
  ['batched matMul [2,1,3,4] x [3,4,5] (broadcast batch)', [[2, 1, 3, 4], [3, 4, 5]], (b, [x, y]) => [one(b, { kind: 'matMul' }, [x, y])]],
  ['matMul rank 1 x rank 2 and rank 2 x rank 1', [[4], [4, 3]], (b, [x, y]) => [one(b, { kind: 'matMul' }, [x, y]), one(b, { kind: 'matMul' }, [y, constant(b, [3], 30)])]],
  ['gemm transA transB with runtime B and a matrix C', [[4, 3], [5, 4]], (b, [x, y]) => [one(b, { kind: 'gemm', transA: true, transB: true, alpha: 0.5, beta: 2 }, [x, y, constant(b, [3, 5], 31)])]],
  ['gemm on a shuffled operand reshaped to [1,C]', [[1, 6, 1, 1]], (b, [x]) => {
    const flat = one(b, { kind: 'reshape', shape: [1, 6] }, [shuffled(b, x, 6)]);
    return [one(b, { kind: 'gemm', transA: false, transB: false, alpha: 1, beta: 1 }, [flat, one(b, { kind: 'relu' }, [constant(b, [6, 3], 32)])])];
  }],
  ['pad rank 3 with a value, cropping one side', [[2, 3, 4]], (b, [x]) => [one(b, { kind: 'pad', pads: [1, 0, -1, 0, 2, 2], value: 1.5 }, [x])]],
  ['zero pad of a shuffled value (spatial, like a conv would)', [[1, 4, 2, 3]], (b, [x]) => [one(b, { kind: 'pad', pads: [0, 0, 1, 1, 0, 0, 1, 2], value: 0 }, [shuffled(b, x, 4)])]],
  ['nodes named like shared routines (op_copy, binary) keep their own kernel names', [[2, 3]], (b, [x]) => [
    node(b, { kind: 'transpose', perm: [1, 0] }, [node(b, { kind: 'binary', fn: 'add' }, [x, x], 'op_copy')[0]], 'op_view_t')[0],
  ]],
  ['an output that is an input, and an empty slice', [[2, 3]], (b, [x]) => [x, one(b, { kind: 'slice', axes: [1], starts: [2], ends: [2], steps: [1] }, [x])]],
];

/** x86-64 gcc and clang, and aarch64 gcc (cross-built, run under qemu-aarch64 on other hosts). */
const BUILDS: { cc?: string; target?: 'c' | 'neon' }[] = [{ cc: 'gcc' }, { cc: 'clang' }, { target: 'neon' }];

describe('generic C kernels against the reference interpreter', function () {
  this.timeout(300_000);
  const root = scratchDir('c-generic');
  after(() => rmSync(root, { recursive: true, force: true }));

  CASES.forEach(([label, shapes, make], index) => {
    it(label, async () => {
      const graph = graphOf(shapes, make);
      const inputs = shapes.map((s, i) => random(count(s), 100 + i));
      const expected = runGraph(graph, inputs);
      const dir = join(root, `case${index}`);
      writeArtifacts(dir, emitCModel(graph, planMemory(graph), { name: 'g', neon: true }).artifacts);
      // clang for aarch64 (compile only: no aarch64 clang runtime here); gcc for aarch64 runs under qemu below.
      const a64 = spawnSync('clang', ['--target=aarch64-linux-gnu', '-std=c99', ...STRICT_FLAGS, '-c', 'g.c', '-o', 'g.a64.o'], { cwd: dir, encoding: 'utf8' });
      expect(a64.status, `clang aarch64: ${a64.stderr}`).to.equal(0);
      const shapeOf = (id: number) => graph.values.get(id)!.type.shape;
      for (const { cc, target } of BUILDS) {
        const model = await createNativeModel({
          dir, name: 'g', cc, target, cflags: STRICT_FLAGS, cacheDir: join(root, 'cache'),
          inputShape: shapeOf(graph.inputs[0]), outputShape: shapeOf(graph.outputs[0]),
          inputShapes: graph.inputs.map(shapeOf), outputShapes: graph.outputs.map(shapeOf),
        });
        try {
          const outputs = await model.runAll!(inputs);
          expect(outputs.length).to.equal(expected.length);
          outputs.forEach((out, i) => expect(maxAbsDiff(out, expected[i]), `${cc ?? target}: output ${i}`).to.be.at.most(1e-5));
        } finally {
          model.dispose();
        }
      }
    });
  });
});
