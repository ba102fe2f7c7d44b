// The paper's guideline networks (bench/guidelines): FLOPs are equal across each table's rows as the paper
// designs them, the layouts are what the paper describes, and every network compiled for c, wasm and wgsl
// computes what the reference interpreter computes.

import { expect } from 'chai';
import { analyzeGraph, compileGraph } from '../../api/compile.ts';
import { loadCompiled } from '../../api/load-compiled.ts';
import { g1Network, g2Network, g3Network, seriesWidth } from '../../bench/guidelines/networks.ts';
import { TABLE_1, TABLE_2, TABLE_3, TABLE_4 } from '../../bench/guidelines/paper-tables.ts';
import { guidelineExperiments, guidelinesJson, runGuidelines, TABLE_KEYS } from '../../bench/guidelines/run-guidelines.ts';
import { runGraph } from '../../compiler/interpreter/run-graph.ts';
import type { Graph } from '../../compiler/ir/types.ts';
import { numel } from '../../compiler/ir/types.ts';
import { acquireDevice } from '../../runtime/webgpu-device.ts';
import { configureMesaEnvironment } from '../targets/wgsl/support.ts';

const report = async (g: Graph) => (await analyzeGraph(g, { warn: () => undefined })).report;
const totals = async (g: Graph) => (await report(g)).after.totals;
const convs = (g: Graph) => g.nodes.filter((n) => n.op.kind === 'conv2d');

describe('guideline networks (Ma et al. 2018, Tables 1-4)', () => {
  // The paper fixes FLOPs by choosing integer channel counts, so rows agree only as closely as those allow:
  // Table 1's (36,432) is 5.1% under (128,128); Tables 2 and 3 round 128*sqrt(2) to 180 and 128/sqrt(2) to 90.
  const tolerance = { g1: 0.06, g2: 0.015, g3: 0.015 } as const;
  for (const key of ['g1', 'g2', 'g3'] as const) {
    it(`${key}: every row has the FLOPs of the first within ${100 * tolerance[key]}%`, async () => {
      const rows = guidelineExperiments()[key];
      const flops = await Promise.all(rows.map(async (r) => (await totals(r.network({}))).flops));
      for (const f of flops) expect(Math.abs(f / flops[0] - 1), `${flops}`).to.be.below(tolerance[key]);
      // Not trivially equal: the rows really are different networks.
      const shapes = rows.map((r) => convs(r.network({ repeats: 1 })).map((n) => JSON.stringify(r.network({ repeats: 1 }).values.get(n.inputs[1])!.type.shape)).join());
      expect(new Set(shapes).size).to.equal(rows.length);
    });
  }

  it('g4: every variant has the same multiply-adds; only element-wise FLOPs differ, and less without ReLU or shortcut', async () => {
    // As designed (the imported graph): after compilation a ReLU fused into its conv costs no FLOPs of its own.
    const t = await Promise.all(guidelineExperiments().g4.map(async (r) => (await report(r.network({}))).before.totals));
    for (const x of t) expect(x.macs).to.equal(t[0].macs);
    const [both, noShortcut, noRelu, neither] = t.map((x) => x.flops);
    expect(neither).to.equal(2 * t[0].macs);
    expect(both).to.be.above(noShortcut).and.above(noRelu);
    expect(Math.min(noShortcut, noRelu)).to.be.above(neither);
  });

  it('builds the layouts the paper describes', () => {
    // Table 1: 10 blocks of c1 -> c2 -> c1 on 56x56.
    const g1 = g1Network(TABLE_1[1].config);
    expect(convs(g1)).to.have.length(20);
    expect(g1.values.get(g1.inputs[0])!.type.shape).to.deep.equal([1, 90, 56, 56]);
    expect(convs(g1).map((n) => g1.values.get(n.outputs[0])!.type.shape[1]).slice(0, 2)).to.deep.equal([180, 90]);
    // Table 2: 10 pointwise convs with g groups.
    const g2 = g2Network(TABLE_2[3].config);
    expect(convs(g2).map((n) => (n.op.kind === 'conv2d' ? n.op.groups : 0))).to.deep.equal(Array(10).fill(8));
    // Table 3: widths at equal FLOPs in series, c/k per branch plus a concat in parallel.
    expect([seriesWidth(128, 2), seriesWidth(128, 4)]).to.deep.equal([90, 64]);
    const parallel = g3Network(TABLE_3[4].config);
    expect(convs(parallel)).to.have.length(40);
    expect(parallel.nodes.filter((n) => n.op.kind === 'concat')).to.have.length(10);
    // Table 4: 3 convs (1x1, 3x3, 1x1) per unit, the shortcut as an add.
    const g4 = guidelineExperiments().g4[0].network({});
    expect(convs(g4).map((n) => (n.op.kind === 'conv2d' ? n.op.kernel[0] : 0)).slice(0, 3)).to.deep.equal([1, 3, 1]);
    expect(g4.nodes.filter((n) => n.op.kind === 'binary')).to.have.length(10);
    expect(TABLE_4.map((r) => [r.config.relu, r.config.shortcut])).to.deep.equal([[true, true], [true, false], [false, true], [false, false]]);
  });

  it('runGuidelines times every row on c and returns the --json shape', async function () {
    this.timeout(600000);
    const t = await runGuidelines({ target: 'c', runs: 1, warmup: 0, network: { size: 8, repeats: 1 } });
    const doc = guidelinesJson(t);
    expect(Object.keys(doc)).to.deep.equal(['target', 'g1', 'g2', 'g3', 'g4']);
    expect(doc.g1.map((r) => r.config)).to.deep.equal(['1:1 (c1,c2)=(128,128)', '1:2 (c1,c2)=(90,180)', '1:6 (c1,c2)=(52,312)', '1:12 (c1,c2)=(36,432)']);
    for (const key of TABLE_KEYS) {
      expect(doc[key]).to.have.length(guidelineExperiments()[key].length);
      for (const row of doc[key]) {
        expect(Object.keys(row)).to.deep.equal(['config', 'flops', 'imagesPerSecond', 'paperGpu', 'paperArm']);
        expect(row.flops).to.be.above(0);
        // A row is unmeasured only when the target lacks a kernel for it, and a note says which.
        if (row.imagesPerSecond === null) expect(t.notes.some((n) => n.includes('not measured'))).to.equal(true);
        else expect(row.imagesPerSecond).to.be.above(0);
      }
    }
    expect(doc.g2.map((r) => [r.paperGpu, r.paperArm])).to.deep.equal(TABLE_2.map((r) => [r.paperGpu, r.paperArm]));
  });

  describe('compiled networks match the reference interpreter', function () {
    this.timeout(600000);
    // Small planes and two blocks: the exact channel configurations, fast enough for every target.
    const small = { size: 8, repeats: 2 };
    const cases = TABLE_KEYS.flatMap((key) => guidelineExperiments()[key].map((r) => ({ name: `${key} ${r.label}`, graph: r.network(small) })));
    let device: Awaited<ReturnType<typeof acquireDevice>> | undefined;
    before(async () => {
      configureMesaEnvironment();
      device = await acquireDevice({}, [['backend=opengles']]);
    });
    after(() => device?.release());

    for (const target of ['c', 'wasm', 'wgsl']) {
      for (const { name, graph } of cases) {
        it(`${name} on ${target}`, async function () {
          const input = Float32Array.from({ length: numel(graph.values.get(graph.inputs[0])!.type.shape) }, (_, i) => Math.sin(i * 0.37));
          const expected = runGraph(graph, [input])[0];
          const result = await compileGraph(graph, { target, warn: () => undefined }).catch((e: Error) => e);
          // The shortcut's element-wise add needs a kernel the target may not have yet (kernels and wgsl work
          // in progress): pending until it exists, then checked like every other row.
          if (result instanceof Error && /no kernel for binary/.test(result.message)) this.skip();
          if (result instanceof Error) throw result;
          const model = await loadCompiled(result, target === 'wgsl' ? { device: device!.device } : {});
          try {
            const actual = await model.run(input);
            const scale = Math.max(...expected.map(Math.abs));
            const diff = Math.max(...actual.map((v, i) => Math.abs(v - expected[i])));
            expect(diff / scale).to.be.below(1e-5);
          } finally {
            model.dispose();
          }
        });
      }
    }
  });
});
