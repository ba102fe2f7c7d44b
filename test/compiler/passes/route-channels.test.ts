import { expect } from 'chai';
import { GraphBuilder } from '../../../compiler/ir/graph-builder.ts';
import type { Graph, Op } from '../../../compiler/ir/types.ts';
import { routeChannels } from '../../../compiler/passes/route-channels.ts';
import { channelTagged, expectSameFunction, kinds } from './support.ts';

/** x -> relu -> ops (each reading the previous result unless given inputs) -> relu per result. */
class Routed {
  readonly b = new GraphBuilder();
  readonly root: number;
  constructor(readonly shape: number[]) {
    const x = this.b.addValue('x', { dtype: 'f32', shape });
    this.b.inputs = [x];
    this.root = this.b.addNode({ kind: 'relu' }, [x], 'Relu in')[0];
  }
  op(op: Op, inputs: number[]): number[] {
    return this.b.addNode(op, inputs, op.kind);
  }
  done(results: number[]): Graph {
    this.b.outputs = results.map((r) => this.b.addNode({ kind: 'relu' }, [r], 'Relu out')[0]);
    return this.b.build();
  }
}

function route(before: Graph, expected: string[], warnings: string[] = []): Graph {
  const after = routeChannels(before, { warn: (w) => warnings.push(w) });
  expect(kinds(after)).to.deep.equal(expected);
  const shape = before.values.get(before.inputs[0])!.type.shape;
  expectSameFunction(before, after, [channelTagged(shape)], 0);
  return after;
}

describe('route-channels', () => {
  it('removes a shuffle followed by its inverse (groups 2 then C/2)', () => {
    const r = new Routed([2, 6, 1, 2]);
    const [s] = r.op({ kind: 'channelShuffle', groups: 2 }, [r.root]);
    const [t] = r.op({ kind: 'channelShuffle', groups: 3 }, [s]);
    route(r.done([t]), ['relu', 'relu']);
  });

  it('merges two shuffles whose product is a shuffle (2 then 2 on 8 channels is groups 4)', () => {
    const r = new Routed([1, 8, 1, 1]);
    const [s] = r.op({ kind: 'channelShuffle', groups: 2 }, [r.root]);
    const [t] = r.op({ kind: 'channelShuffle', groups: 2 }, [s]);
    const after = route(r.done([t]), ['relu', 'channelShuffle', 'relu']);
    expect(after.nodes[1].op).to.deep.equal({ kind: 'channelShuffle', groups: 4 });
  });

  it('merges a split of a split piece into one split', () => {
    const r = new Routed([1, 8, 1, 1]);
    const [a, b] = r.op({ kind: 'split', axis: 1, sizes: [4, 4] }, [r.root]);
    const [c, d] = r.op({ kind: 'split', axis: 1, sizes: [1, 3] }, [b]);
    const after = route(r.done([a, c, d]), ['relu', 'split', 'relu', 'relu', 'relu']);
    expect(after.nodes[1].op).to.deep.equal({ kind: 'split', axis: 1, sizes: [4, 1, 3] });
  });

  it('removes a concat of all pieces of a split in order, one-piece splits and groups-1 shuffles', () => {
    const r = new Routed([1, 6, 2, 1]);
    const pieces = r.op({ kind: 'split', axis: 1, sizes: [1, 2, 3] }, [r.root]);
    const [joined] = r.op({ kind: 'concat', axis: 1 }, pieces);
    const [whole] = r.op({ kind: 'split', axis: 1, sizes: [6] }, [joined]);
    const [same] = r.op({ kind: 'channelShuffle', groups: 1 }, [whole]);
    route(r.done([same]), ['relu', 'relu']);
  });

  it('flattens a concat of a concat, and keeps a concat that reorders pieces', () => {
    const r = new Routed([1, 6, 1, 1]);
    const [a, b, c] = r.op({ kind: 'split', axis: 1, sizes: [1, 2, 3] }, [r.root]);
    const [inner] = r.op({ kind: 'concat', axis: 1 }, [c, a]);
    const [outer] = r.op({ kind: 'concat', axis: 1 }, [inner, b]);
    const after = route(r.done([outer]), ['relu', 'split', 'concat', 'relu']);
    expect(after.nodes[2].inputs).to.deep.equal([after.nodes[1].outputs[2], after.nodes[1].outputs[0], after.nodes[1].outputs[1]]);
  });

  it('warns once about movement that still copies and leaves it in place', () => {
    const r = new Routed([1, 2, 2, 3]);
    const [t] = r.op({ kind: 'transpose', perm: [0, 1, 3, 2] }, [r.root]);
    const warnings: string[] = [];
    route(r.done([t]), ['relu', 'transpose', 'relu'], warnings);
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.match(/1 movement node\(s\) still copy data.*transpose/);
  });
});
