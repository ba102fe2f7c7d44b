import { expect } from 'chai';
import { CompileError } from '../../../compiler/ir/errors.ts';
import { GraphBuilder } from '../../../compiler/ir/graph-builder.ts';
import type { Graph, Op } from '../../../compiler/ir/types.ts';
import { runPipeline } from '../../../compiler/pipeline.ts';
import { planMemory } from '../../../compiler/plan/plan-memory.ts';
import { shuffleNetLike } from '../passes/shufflenet-like.ts';
import { checkPlan } from './plan-checker.ts';
import type { ShuffleNetWidth } from './shufflenet-graphs.ts';
import { buildShuffleNetV2 } from './shufflenet-graphs.ts';

const conv1x1: Op = { kind: 'conv2d', kernel: [1, 1], stride: [1, 1], pads: [0, 0, 0, 0], dilations: [1, 1], groups: 1, activation: 'relu' };

/** A 4x4-plane toy network builder: every plane is 16 floats, so arena sizes are easy to derive by hand. */
function toy() {
  const b = new GraphBuilder();
  const x = b.addValue('x', { dtype: 'f32', shape: [1, 2, 4, 4] });
  b.inputs = [x];
  const conv = (input: number, out: number) => {
    const cin = b.value(input).type.shape[1];
    const w = b.addConst(`w${out}`, [out, cin, 1, 1], new Float32Array(out * cin));
    return b.addNode(conv1x1, [input, w], `conv${b.value(input).id}`)[0];
  };
  return { b, x, conv };
}

function expectSound(graph: Graph) {
  const plan = planMemory(graph);
  const check = checkPlan(graph, plan);
  expect(plan.lowerBoundFloats, 'lower bound vs replayed schedule').to.equal(check.peakLiveFloats);
  expect(plan.arenaFloats).to.be.at.least(plan.lowerBoundFloats);
  return plan;
}

describe('planMemory', () => {
  it('reuses planes freed by earlier nodes in a chain (hand-derived: 64 floats)', () => {
    const { b, x, conv } = toy();
    const a = conv(x, 2);
    const c = conv(a, 2);
    b.outputs = [conv(c, 2)];
    const graph = b.build();
    const plan = expectSound(graph);
    // live: step0 a (2 planes), step1 a+c (4 planes, no in-place), step2 c (2 planes) -> 4 * 16 floats
    expect(plan.lowerBoundFloats).to.equal(64);
    expect(plan.arenaFloats).to.equal(64);
    expect(plan.totalActivationFloats).to.equal(64);
    expect(plan.placements.get(b.outputs[0])!.buffer).to.equal('output');
  });

  it('routes a stride-1 unit through views and keeps the pass-through half alive until the concat reader', () => {
    const { b, x, conv } = toy();
    const y = conv(x, 4);
    const [y1, y2] = b.addNode({ kind: 'split', axis: 1, sizes: [2, 2] }, [y], 'split');
    const c = conv(conv(conv(y2, 2), 2), 2);
    const cat = b.addNode({ kind: 'concat', axis: 1 }, [y1, c], 'concat')[0];
    const shuffled = b.addNode({ kind: 'channelShuffle', groups: 2 }, [cat], 'shuffle')[0];
    b.outputs = [conv(shuffled, 2)];
    const graph = b.build();
    const plan = expectSound(graph);
    expect(plan.viewNodes.size).to.equal(3);
    // peak at the first branch conv: y1, y2 and its output are live = 6 planes of 16 floats
    expect(plan.lowerBoundFloats).to.equal(96);
    expect(plan.arenaFloats).to.equal(96);
  });

  it('a kernel group keeps its first member\'s inputs allocated until the last member wrote (hand-derived)', () => {
    const { b, x, conv } = toy();
    const a = conv(x, 2);
    const c = conv(a, 2);
    const d = conv(c, 2);
    b.outputs = [conv(d, 2)];
    const graph = b.build();
    const [, second, third] = graph.nodes.map((n) => n.id);
    const offsets = (plan: ReturnType<typeof planMemory>, id: number) => plan.placements.get(id)!.channelOffsets;
    // Alone, d (step 2) takes the planes of a, whose last reader ran at step 1: floats 0 and 16.
    const alone = expectSound(graph);
    expect(offsets(alone, d)).to.deep.equal(offsets(alone, a));
    // Fused, the kernel computing d still reads a: d must land elsewhere (three values live: 96 floats).
    const grouped = planMemory(graph, { kernelGroups: [[second, third]] });
    expect(grouped.kernelGroups).to.deep.equal([[second, third]]);
    expect(offsets(grouped, d).filter((o) => offsets(grouped, a).includes(o))).to.deep.equal([]);
    expect(grouped.arenaFloats).to.equal(96);
    expect(() => planMemory(graph, { kernelGroups: [[third, second]] })).to.throw(CompileError, /schedule order/);
  });

  it('materialises a view that produces a graph output and flags it as a copy', () => {
    const { b, x, conv } = toy();
    const y = conv(x, 4);
    const [, y2] = b.addNode({ kind: 'split', axis: 1, sizes: [2, 2] }, [y], 'split');
    b.outputs = [y2];
    const graph = b.build();
    const plan = expectSound(graph);
    const split = graph.nodes[1];
    expect(plan.viewNodes.has(split.id)).to.equal(false);
    expect([...(plan.copyNodes ?? [])]).to.deep.equal([split.id]);
    expect(plan.placements.get(y2)!.buffer).to.equal('output');
  });

  it('copies a concat that joins the graph input with an arena value', () => {
    const { b, x, conv } = toy();
    const cat = b.addNode({ kind: 'concat', axis: 1 }, [x, conv(x, 2)], 'concat')[0];
    b.outputs = [conv(cat, 2)];
    const graph = b.build();
    const plan = expectSound(graph);
    expect(plan.copyNodes?.has(graph.nodes[1].id)).to.equal(true);
  });

  it('rejects runtime i64 values with a CompileError; a value without a channel axis gets one plane', () => {
    const b = new GraphBuilder();
    const x = b.addValue('x', { dtype: 'i64', shape: [2, 3] });
    b.inputs = [x];
    b.outputs = [b.addNode({ kind: 'clip', min: 0, max: 6 }, [x], 'clip')[0]];
    expect(() => planMemory(b.build())).to.throw(CompileError, /i64 at run time/);
    // Rank-1 values are planned since the generic kernels (d64919f): the whole vector is one plane.
    const r = new GraphBuilder();
    const v = r.addValue('v', { dtype: 'f32', shape: [8] });
    r.inputs = [v];
    r.outputs = [r.addNode({ kind: 'relu' }, [v], 'relu')[0]];
    const graph = r.build();
    const plan = planMemory(graph);
    expect(plan.placements.get(v)?.channelOffsets, 'the input is one plane').to.have.length(1);
    expect(plan.placements.get(graph.outputs[0])?.channelOffsets, 'the output is one plane').to.have.length(1);
  });

  it('the checker catches a plan where a live plane is overwritten', () => {
    const { b, x, conv } = toy();
    const y = conv(x, 4);
    const [y1, y2] = b.addNode({ kind: 'split', axis: 1, sizes: [2, 2] }, [y], 'split');
    const c = conv(y2, 2);
    b.outputs = [conv(b.addNode({ kind: 'concat', axis: 1 }, [y1, c], 'concat')[0], 2)];
    const graph = b.build();
    const plan = planMemory(graph);
    expect(() => checkPlan(graph, plan)).not.to.throw();
    // Put c on top of y1, which the concat reader still needs.
    const placements = new Map(plan.placements);
    placements.set(c, { ...plan.placements.get(c)!, channelOffsets: plan.placements.get(y1)!.channelOffsets });
    expect(() => checkPlan(graph, { ...plan, placements })).to.throw(/finds another plane/);
  });

  describe('ShuffleNetV2 variants (schedule replayed by an independent checker)', () => {
    const widths: ShuffleNetWidth[] = [0.5, 1, 1.5, 2];
    for (const form of ['routed', 'torchvision'] as const) {
      for (const width of widths) {
        it(`${form} x${width}: sound, within 1.05x of the lower bound, far below the sum of activations`, () => {
          const shapes = form === 'routed' ? [[1, 224], [2, 97], [3, 64]] : [[1, 224], [3, 64]];
          for (const [batch, size] of shapes) {
            const graph = buildShuffleNetV2({ width, form, batch, size });
            const plan = expectSound(graph);
            expect(plan.arenaFloats, `batch ${batch} size ${size}`).to.be.at.most(1.05 * plan.lowerBoundFloats);
            expect(plan.arenaFloats * 2.5).to.be.below(plan.totalActivationFloats);
            if (form === 'routed') expect(plan.copyNodes?.size ?? 0).to.equal(0);
          }
        });
      }
    }
  });

  it('random ShuffleNet-like graphs after the pipeline: sound, no copies, within 1.05x of the bound', () => {
    for (let seed = 1; seed <= 24; seed++) {
      const compiled = runPipeline(shuffleNetLike(seed), { warn: () => {} });
      const plan = expectSound(compiled);
      expect(plan.arenaFloats, `seed ${seed}`).to.be.at.most(1.05 * plan.lowerBoundFloats);
      expect(plan.copyNodes?.size ?? 0, `seed ${seed}`).to.equal(0);
    }
  });
});
