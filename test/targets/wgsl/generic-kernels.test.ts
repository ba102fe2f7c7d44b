// The generic per-element kernels (targets/wgsl/kernels/elementwise.ts) on small hand-built graphs, on
// Dawn/Mesa in compatibility mode, against the reference interpreter: unary activations, broadcasting binary
// ops (SE's [N,C,H,W] * [N,C,1,1], constants of lower rank, scalars), the fused scale + residual, standalone
// batchNorm and transpose as a strided copy.

import { expect } from 'chai';
import type { Graph } from '../../../compiler/ir/types.ts';
import type { AcquiredDevice } from '../../../runtime/webgpu-device.ts';
import { dawnCompatDevice, expectGraphMatchesInterpreter, TestNet } from './support.ts';

let gpu: AcquiredDevice;

const expectMatchesInterpreter = (graph: Graph, seed = 1): Promise<string[]> => expectGraphMatchesInterpreter(gpu.device, graph, seed);

class Net extends TestNet {
  constructor(shape: number[]) {
    super(200, [{ name: 'x', shape }]);
  }
}

describe('wgsl generic kernels on Dawn (GLES, compatibility mode)', () => {
  before(async () => {
    gpu = await dawnCompatDevice();
  });
  after(() => gpu?.release());

  it('unary activations: sigmoid, hardSigmoid (ONNX defaults), hardSwish, clip 0..6 and one-sided clips, relu', async () => {
    const n = new Net([2, 3, 5, 7]);
    let v = n.output({ kind: 'sigmoid' }, [n.x]);
    v = n.output({ kind: 'binary', fn: 'sub' }, [v, n.const([], 0.5)]);
    v = n.output({ kind: 'binary', fn: 'mul' }, [v, n.const([1, 3, 1, 1], 8)]);
    const hs = n.output({ kind: 'hardSigmoid', alpha: 0.2, beta: 0.5 }, [v]);
    const sw = n.output({ kind: 'hardSwish' }, [v]);
    const c6 = n.output({ kind: 'clip', min: 0, max: 6 }, [v]);
    const lo = n.output({ kind: 'clip', min: -1, max: Infinity }, [v]);
    const hi = n.output({ kind: 'clip', min: -Infinity, max: 0.25 }, [v]);
    let sum = n.output({ kind: 'binary', fn: 'add' }, [hs, sw]);
    sum = n.output({ kind: 'binary', fn: 'add' }, [sum, c6]);
    sum = n.output({ kind: 'binary', fn: 'sub' }, [sum, lo]);
    sum = n.output({ kind: 'binary', fn: 'div' }, [sum, n.output({ kind: 'binary', fn: 'add' }, [n.output({ kind: 'relu' }, [hi]), n.const([1], 0.1)])]);
    const kernels = await expectMatchesInterpreter(n.build(sum));
    expect(kernels).to.include.members(['sigmoid', 'hardSigmoid', 'hardSwish', 'clip', 'mul', 'div']);
  });

  it('broadcasting: SE [N,C,H,W] * [N,C,1,1], [C,1,1] and [W] constants, the broadcast operand first', async () => {
    const n = new Net([2, 4, 3, 5]);
    const gate = n.output({ kind: 'globalAvgPool' }, [n.x]);
    const scaled = n.output({ kind: 'binary', fn: 'mul' }, [n.x, n.output({ kind: 'sigmoid' }, [gate])]);
    const shifted = n.output({ kind: 'binary', fn: 'add' }, [scaled, n.const([4, 1, 1])]);
    const row = n.output({ kind: 'binary', fn: 'mul' }, [n.const([5]), shifted]);
    const gateFirst = n.output({ kind: 'binary', fn: 'sub' }, [n.output({ kind: 'sigmoid' }, [gate]), row]);
    expect(await expectMatchesInterpreter(n.build(gateFirst), 2)).to.include.members(['mul', 'add', 'sub']);
  });

  it('SE scale + residual in one kernel: y = x * gate + r', async () => {
    const n = new Net([1, 6, 4, 4]);
    const gate = n.output({ kind: 'sigmoid' }, [n.output({ kind: 'globalAvgPool' }, [n.x])]);
    const r = n.output({ kind: 'hardSwish' }, [n.x]);
    const y = n.output({ kind: 'binary', fn: 'mul', residual: true }, [n.x, gate, r]);
    expect(await expectMatchesInterpreter(n.build(y), 3)).to.include('mul+residual');
  });

  it('standalone batchNorm, and transpose as a strided copy (NCHW -> NHWC -> NCHW with a swap)', async () => {
    const n = new Net([2, 3, 4, 5]);
    const variance = n.b.addConst('variance', [3], Float32Array.from([0.5, 1.5, 2]));
    const bn = n.output({ kind: 'batchNorm', epsilon: 1e-5 }, [n.x, n.const([3]), n.const([3]), n.const([3]), variance]);
    const nhwc = n.output({ kind: 'transpose', perm: [0, 2, 3, 1] }, [bn]);
    const back = n.output({ kind: 'transpose', perm: [0, 3, 2, 1] }, [nhwc]);
    const kernels = await expectMatchesInterpreter(n.build(back), 4);
    expect(kernels).to.deep.equal(['batchNorm', 'transpose', 'transpose']);
  });

  it('slice as a strided copy: two axes, step 2, a negative step and a single row', async () => {
    const n = new Net([2, 5, 6, 7]);
    const a = n.output({ kind: 'slice', axes: [1, 3], starts: [1, 6], ends: [5, -1], steps: [2, -3] }, [n.x]);
    const b = n.output({ kind: 'slice', axes: [-2], starts: [4], ends: [5], steps: [1] }, [a]);
    const graph = n.build(n.output({ kind: 'binary', fn: 'mul' }, [b, n.const([1, 2, 1, 3])]));
    expect(graph.values.get(graph.outputs[0])!.type.shape).to.deep.equal([2, 2, 1, 3]);
    expect(await expectMatchesInterpreter(graph, 5)).to.deep.equal(['slice', 'slice', 'mul']);
  });

  it('reduceMean on other axes than the spatial ones: channels kept, batch and width dropped, height and channels dropped', async () => {
    const n = new Net([4, 4, 4, 4]);
    const channels = n.output({ kind: 'reduceMean', axes: [1], keepDims: true }, [n.x]);
    const batchWidth = n.output({ kind: 'reduceMean', axes: [0, -1], keepDims: false }, [n.x]);
    const heightChannels = n.output({ kind: 'reduceMean', axes: [2, 1], keepDims: false }, [n.x]);
    // [4,1,4,4] + [4,4] * [4,4], the rank-2 means broadcast over the last two axes.
    const sum = n.output({ kind: 'binary', fn: 'add' }, [channels, batchWidth]);
    const kernels = await expectMatchesInterpreter(n.build(n.output({ kind: 'binary', fn: 'mul' }, [sum, heightChannels])), 6);
    expect(kernels.filter((k) => k === 'reduceMean')).to.have.length(3);
  });

  it('rank-1 values (one plane): a mean over all axes but the last, a sigmoid of it, broadcast back over the input', async () => {
    const n = new Net([2, 3, 4, 5]);
    const columns = n.output({ kind: 'reduceMean', axes: [0, 1, 2], keepDims: false }, [n.x]);
    const gate = n.output({ kind: 'sigmoid' }, [columns]);
    const graph = n.build(n.output({ kind: 'binary', fn: 'mul' }, [n.x, gate]));
    expect(graph.values.get(gate)!.type.shape).to.deep.equal([5]);
    expect(await expectMatchesInterpreter(graph, 7)).to.deep.equal(['reduceMean', 'sigmoid', 'mul']);
  });
});
