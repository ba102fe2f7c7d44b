// The movement ops channel routing cannot make views (targets/wgsl/lower-movement.ts), the generic matMul
// kernel, and the model interface (several inputs and outputs, outputs no kernel writes) on Dawn/Mesa in
// compatibility mode, against the reference interpreter, every output compared.

import { expect } from 'chai';
import type { Graph } from '../../../compiler/ir/types.ts';
import { planMemory } from '../../../compiler/plan/plan-memory.ts';
import type { AcquiredDevice } from '../../../runtime/webgpu-device.ts';
import { emitWgslModel } from '../../../targets/wgsl/emit-model.ts';
import { dawnCompatDevice, expectGraphMatchesInterpreter, TestNet } from './support.ts';

let gpu: AcquiredDevice;

const expectMatchesInterpreter = (graph: Graph, seed = 1): Promise<string[]> => expectGraphMatchesInterpreter(gpu.device, graph, seed);

/** Inputs x0, x1, ... of the given shapes. */
class Net extends TestNet {
  constructor(...shapes: number[][]) {
    super(300, shapes.map((shape, i) => ({ name: `x${i}`, shape })));
  }
}

describe('wgsl movement and matMul kernels, several inputs and outputs, on Dawn (GLES, compatibility mode)', () => {
  before(async () => {
    gpu = await dawnCompatDevice();
  });
  after(() => gpu?.release());

  it('gather: negative indices on the last axis, 2-D indices on the channels, a scalar index on the batch axis', async () => {
    const n = new Net([3, 4, 5]);
    const [last] = n.node({ kind: 'gather', axis: -1 }, [n.x, n.indices([3], [4, -5, 2])]);
    const [channels] = n.node({ kind: 'gather', axis: 1 }, [last, n.indices([2, 2], [3, 0, 1, 1])]);
    const [batch] = n.node({ kind: 'gather', axis: 0 }, [channels, n.indices([], [2])]);
    const graph = n.build(batch);
    expect(graph.values.get(batch)!.type.shape).to.deep.equal([2, 2, 3]);
    expect(await expectMatchesInterpreter(graph)).to.deep.equal(['gather', 'gather', 'gather']);
  });

  it('pad: constant value, begin and end pads on three axes, negative pads crop', async () => {
    const n = new Net([2, 3, 4, 5]);
    const [grown] = n.node({ kind: 'pad', pads: [0, 1, 2, 0, 1, 0, 1, 3], value: 1.5 }, [n.x]);
    const [cropped] = n.node({ kind: 'pad', pads: [0, -1, 1, -2, 0, 0, -3, 2], value: -2 }, [grown]);
    const graph = n.build(cropped);
    expect(graph.values.get(cropped)!.type.shape).to.deep.equal([3, 3, 5, 8]);
    expect(await expectMatchesInterpreter(graph, 2)).to.deep.equal(['pad', 'pad']);
  });

  it('concat in one dispatch: on the batch axis, on a spatial axis with a constant part; split on the last axis', async () => {
    const n = new Net([2, 3, 4, 5]);
    const [batch] = n.node({ kind: 'concat', axis: 0 }, [n.x, n.const([1, 3, 4, 5]), n.x]);
    const [rows] = n.node({ kind: 'concat', axis: 2 }, [batch, n.const([5, 3, 2, 5])]);
    const [a, b] = n.node({ kind: 'split', axis: 3, sizes: [2, 3] }, [rows]);
    const graph = n.build(n.node({ kind: 'binary', fn: 'mul' }, [b, n.const([3])])[0], a);
    expect(await expectMatchesInterpreter(graph, 3)).to.deep.equal(['concat', 'concat', 'split', 'split', 'mul']);
  });

  it('reshape across the planar layout, and relu at ranks 0, 1, 3 and 5', async () => {
    const n = new Net([2, 3, 4, 5]);
    const [flat] = n.node({ kind: 'reshape', shape: [6, 20] }, [n.x]);
    const [back] = n.node({ kind: 'reshape', shape: [1, 4, 3, 5, 2] }, [n.node({ kind: 'relu' }, [flat])[0]]);
    const [five] = n.node({ kind: 'relu' }, [back]);
    const [three] = n.node({ kind: 'relu' }, [n.node({ kind: 'reshape', shape: [4, 3, 10] }, [five])[0]]);
    const [scalar] = n.node({ kind: 'relu' }, [n.node({ kind: 'reduceMean', axes: [0, 1, 2], keepDims: false }, [three])[0]]);
    const [row] = n.node({ kind: 'relu' }, [n.node({ kind: 'reshape', shape: [120] }, [three])[0]]);
    const graph = n.build(scalar, row);
    expect(graph.values.get(scalar)!.type.shape).to.deep.equal([]);
    const kernels = await expectMatchesInterpreter(graph, 4);
    expect(kernels.filter((k) => k === 'relu')).to.have.length(5);
  });

  it('matMul: batched with broadcasting, rank-1 operands, two runtime operands; gemm with transA, transB and a matrix C', async () => {
    const n = new Net([2, 1, 3, 4], [3, 4]);
    const x1 = n.b.inputs[1];
    const [batched] = n.node({ kind: 'matMul' }, [n.x, n.const([3, 4, 5])]); // [2,3,3,5]
    const [vector] = n.node({ kind: 'matMul' }, [n.const([3]), x1]); // [4]
    const [column] = n.node({ kind: 'matMul' }, [x1, vector]); // [3]
    const [gemm] = n.node({ kind: 'gemm', transA: true, transB: true, alpha: 0.5, beta: -2 }, [x1, n.const([2, 3]), n.const([4, 1])]); // [4,2]
    const [runtime] = n.node({ kind: 'matMul' }, [x1, gemm]); // [3,2]
    const graph = n.build(runtime, batched, column);
    expect(graph.values.get(batched)!.type.shape).to.deep.equal([2, 3, 3, 5]);
    const kernels = await expectMatchesInterpreter(graph, 5);
    expect(kernels.filter((k) => k === 'matMul')).to.have.length(5);
  });

  it('domains past 65535 workgroups along one grid dimension run on a flat index: 70001 elements of rank 1, 66000 channels', async () => {
    const n = new Net([70001], [3, 66000]);
    const [vector] = n.node({ kind: 'relu' }, [n.x]);
    const [rows] = n.node({ kind: 'binary', fn: 'add' }, [n.b.inputs[1], n.const([66000])]);
    const [summed] = n.node({ kind: 'reduceMean', axes: [0], keepDims: false }, [rows]);
    const [planes] = n.node({ kind: 'transpose', perm: [1, 0] }, [rows]);
    const [channels] = n.node({ kind: 'sigmoid' }, [n.node({ kind: 'reshape', shape: [1, 66000, 3] }, [planes])[0]]);
    const graph = n.build(vector, summed, channels);
    const { description } = emitWgslModel(graph, planMemory(graph), 'case');
    expect(description.steps.map((s) => s.workgroups)).to.deep.equal([[1094, 1, 1], [3094, 1, 1], [1032, 1, 1], [3094, 1, 1], [3094, 1, 1], [3094, 1, 1]]);
    expect(await expectMatchesInterpreter(graph, 7)).to.deep.equal(['relu', 'add', 'reduceMean', 'transpose', 'copy', 'sigmoid']);
  });

  it('outputs no kernel writes: the input itself, a constant, and a value listed twice', async () => {
    const n = new Net([2, 3]);
    const [y] = n.node({ kind: 'sigmoid' }, [n.x]);
    const graph = n.build(y, n.x, n.const([4]), y);
    const kernels = await expectMatchesInterpreter(graph, 6);
    expect(kernels).to.deep.equal(['sigmoid', 'copy', 'copy', 'copy']);
  });

  it('refuses an i64 graph output in one line', () => {
    const n = new Net([2, 3]);
    const graph = n.build(n.indices([2], [1, 2]));
    expect(() => emitWgslModel(graph, planMemory(graph), 'case')).to.throw(/^wgsl target: graph output "i\d+" is i64; only float32 outputs are supported$/);
  });
});
