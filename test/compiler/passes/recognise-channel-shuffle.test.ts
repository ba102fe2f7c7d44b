import { expect } from 'chai';
import { runGraph } from '../../../compiler/interpreter/run-graph.ts';
import { GraphBuilder } from '../../../compiler/ir/graph-builder.ts';
import type { Graph, Op } from '../../../compiler/ir/types.ts';
import { MOVEMENT_OPS } from '../../../compiler/ir/types.ts';
import { isViewNode } from '../../../compiler/plan/views.ts';
import { recogniseChannelShuffle } from '../../../compiler/passes/recognise-channel-shuffle.ts';
import { channelTagged, expectSameFunction, kinds } from './support.ts';

/** Builds x -> relu (a computed [N,C,H,W] value) -> movement ops -> one relu per result (graph outputs). */
class Chain {
  readonly b = new GraphBuilder();
  readonly root: number;
  constructor(readonly shape: [number, number, number, number]) {
    const x = this.b.addValue('x', { dtype: 'f32', shape });
    this.b.inputs = [x];
    this.root = this.b.addNode({ kind: 'relu' }, [x], 'Relu in')[0];
  }
  op(op: Op, input: number, extra: number[] = []): number[] {
    return this.b.addNode(op, [input, ...extra], op.kind);
  }
  index(values: number[], shape: number[] = [values.length]): number {
    return this.b.addConst('index', shape, Float64Array.from(values));
  }
  done(results: number[]): Graph {
    this.b.outputs = results.map((r) => this.b.addNode({ kind: 'relu' }, [r], 'Relu out')[0]);
    return this.b.build();
  }
}

/** Channel k of output `o` of the graph on a channel-tagged input (batch item 0, first element of the plane). */
function channelsOf(graph: Graph, shape: readonly number[]): number[][] {
  return runGraph(graph, [channelTagged(shape)]).map((out, i) => {
    const s = graph.values.get(graph.outputs[i])!.type.shape;
    const plane = s[2] * s[3];
    return Array.from({ length: s[1] }, (_, k) => out[k * plane]);
  });
}

function torchvisionShuffle(c: Chain, x: number, groups = 2): number {
  const [n, ch, h, w] = c.shape;
  const [g] = c.op({ kind: 'reshape', shape: [n, groups, ch / groups, h, w] }, x);
  const [t] = c.op({ kind: 'transpose', perm: [0, 2, 1, 3, 4] }, g);
  return c.op({ kind: 'reshape', shape: [n, ch, h, w] }, t)[0];
}

function expectOnlyViews(graph: Graph): void {
  for (const node of graph.nodes) if (MOVEMENT_OPS.has(node.op.kind)) expect(isViewNode(graph, node), `${node.op.kind} is a view`).to.equal(true);
}

describe('recognise-channel-shuffle', () => {
  for (const batch of [1, 2, 3]) {
    it(`turns torchvision's reshape/transpose/reshape into channelShuffle(2) at batch ${batch}`, () => {
      const c = new Chain([batch, 6, 2, 3]);
      const before = c.done([torchvisionShuffle(c, c.root)]);
      const after = recogniseChannelShuffle(before);
      expect(kinds(after)).to.deep.equal(['relu', 'channelShuffle', 'relu']);
      expect(after.nodes[1].op).to.deep.equal({ kind: 'channelShuffle', groups: 2 });
      // groups 2 on 6 channels interleaves the halves [0,1,2] and [3,4,5]
      expect(channelsOf(after, c.shape)).to.deep.equal([[0, 3, 1, 4, 2, 5]]);
      expectSameFunction(before, after, [channelTagged(c.shape)], 0);
    });
  }

  for (const batch of [1, 2]) {
    it(`turns Megvii's reshape/transpose/reshape/gather into channelShuffle(C/2) + split at batch ${batch}`, () => {
      const c = new Chain([batch, 8, 2, 2]);
      const [n, ch, h, w] = c.shape;
      const [rows] = c.op({ kind: 'reshape', shape: [(n * ch) / 2, 2, h * w] }, c.root);
      const [t] = c.op({ kind: 'transpose', perm: [1, 0, 2] }, rows);
      const [halves] = c.op({ kind: 'reshape', shape: [2, n, ch / 2, h, w] }, t);
      const first = c.op({ kind: 'gather', axis: 0 }, halves, [c.index([0], [])])[0];
      const second = c.op({ kind: 'gather', axis: 0 }, halves, [c.index([1], [])])[0];
      const before = c.done([first, second]);
      // Megvii's x[0] / x[1] are the even and odd channels.
      expect(channelsOf(before, c.shape)).to.deep.equal([[0, 2, 4, 6], [1, 3, 5, 7]]);
      const after = recogniseChannelShuffle(before);
      expect(kinds(after)).to.deep.equal(['relu', 'channelShuffle', 'split', 'relu', 'relu']);
      expect(after.nodes[1].op).to.deep.equal({ kind: 'channelShuffle', groups: 4 });
      expect(after.nodes[2].op).to.deep.equal({ kind: 'split', axis: 1, sizes: [4, 4] });
      expect(channelsOf(after, c.shape)).to.deep.equal([[0, 2, 4, 6], [1, 3, 5, 7]]);
      expectSameFunction(before, after, [channelTagged(c.shape)], 0);
      expectOnlyViews(after);
    });
  }

  it('turns torch.chunk exported as two channel slices into a split', () => {
    const c = new Chain([2, 6, 1, 2]);
    const slice = (start: number, end: number) => c.op({ kind: 'slice', axes: [1], starts: [start], ends: [end], steps: [1] }, c.root)[0];
    const before = c.done([slice(0, 3), slice(3, 6)]);
    const after = recogniseChannelShuffle(before);
    expect(kinds(after)).to.deep.equal(['relu', 'split', 'relu', 'relu']);
    expect(after.nodes[1].op).to.deep.equal({ kind: 'split', axis: 1, sizes: [3, 3] });
    expectSameFunction(before, after, [channelTagged(c.shape)], 0);
  });

  it('turns a lone channel slice into one piece of a split, and a stride-2 slice into shuffle + split', () => {
    const c = new Chain([1, 6, 2, 2]);
    const before = c.done([
      c.op({ kind: 'slice', axes: [1], starts: [2], ends: [5], steps: [1] }, c.root)[0],
      c.op({ kind: 'slice', axes: [1], starts: [1], ends: [6], steps: [2] }, c.root)[0],
    ]);
    expect(channelsOf(before, c.shape)).to.deep.equal([[2, 3, 4], [1, 3, 5]]);
    const after = recogniseChannelShuffle(before);
    expect(after.nodes.some((n) => n.op.kind === 'slice')).to.equal(false);
    expect(channelsOf(after, c.shape)).to.deep.equal([[2, 3, 4], [1, 3, 5]]);
    expectOnlyViews(after);
  });

  it('expresses a channel gather that is no shuffle with split pieces and concats', () => {
    const c = new Chain([2, 5, 1, 3]);
    const before = c.done([c.op({ kind: 'gather', axis: 1 }, c.root, [c.index([4, 0, 1, 3])])[0]]);
    const after = recogniseChannelShuffle(before);
    expect(after.nodes.some((n) => n.op.kind === 'gather')).to.equal(false);
    expect(channelsOf(after, c.shape)).to.deep.equal([[4, 0, 1, 3]]);
    expectSameFunction(before, after, [channelTagged(c.shape)], 0);
    expectOnlyViews(after);
  });

  it('removes a reshape round trip, and finds a shuffle of a different group count', () => {
    const c = new Chain([1, 6, 2, 2]);
    const [flat] = c.op({ kind: 'reshape', shape: [1, 6, 4] }, c.root);
    const [back] = c.op({ kind: 'reshape', shape: [1, 6, 2, 2] }, flat);
    const before = c.done([back, torchvisionShuffle(c, c.root, 3)]);
    const after = recogniseChannelShuffle(before);
    expect(kinds(after)).to.deep.equal(['relu', 'channelShuffle', 'relu', 'relu']);
    expect(after.nodes[1].op).to.deep.equal({ kind: 'channelShuffle', groups: 3 });
    expectSameFunction(before, after, [channelTagged(c.shape)], 0);
  });

  it('leaves movement that is not a channel selection, and canonical splits, alone', () => {
    const c = new Chain([1, 4, 2, 3]);
    const [spatial] = c.op({ kind: 'transpose', perm: [0, 1, 3, 2] }, c.root);
    const halves = c.op({ kind: 'split', axis: 1, sizes: [2, 2] }, c.root);
    const graph = c.done([spatial, ...halves]);
    expect(recogniseChannelShuffle(graph)).to.equal(graph);
  });
});
