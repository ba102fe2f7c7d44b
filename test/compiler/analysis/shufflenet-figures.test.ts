// Golden figures for ShuffleNetV2: multiply-adds of conv + fc at 224 (batch 1) and PyTorch's parameter counts
// (sum(p.numel() for p in model.parameters()) for torchvision's models), checked on three independent routes to
// the same network: a graph built here, the spec built-ins, and the BN-preserved x0.5 ONNX export. Then, for every
// ShuffleNetV2 model the project has, the pipeline must leave no copies and the arena must stay near its bound.

import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { analyzeCost } from '../../../compiler/analysis/analyze-cost.ts';
import { importOnnx } from '../../../compiler/frontend/onnx/import-onnx.ts';
import { importSpec } from '../../../compiler/frontend/spec/import-spec.ts';
import type { Graph } from '../../../compiler/ir/types.ts';
import { runPipeline } from '../../../compiler/pipeline.ts';
import { planMemory } from '../../../compiler/plan/plan-memory.ts';
import { checkPlan } from '../plan/plan-checker.ts';
import { buildShuffleNetV2, type ShuffleNetWidth } from '../plan/shufflenet-graphs.ts';

const GOLDEN: { width: ShuffleNetWidth; name: string; macs: number; params: number }[] = [
  { width: 0.5, name: 'shufflenet_v2_x0_5', macs: 40.5e6, params: 1_366_792 },
  { width: 1, name: 'shufflenet_v2_x1_0', macs: 144.9e6, params: 2_278_604 },
  { width: 1.5, name: 'shufflenet_v2_x1_5', macs: 295.8e6, params: 3_503_624 },
  { width: 2, name: 'shufflenet_v2_x2_0', macs: 583.3e6, params: 7_393_996 },
];

const FIXTURES = new URL('../../../fixtures/', import.meta.url);

function expectFigures(graph: Graph, golden: { macs: number; params: number }) {
  const totals = analyzeCost(graph).totals;
  expect(Math.abs(totals.macs / golden.macs - 1), `macs ${totals.macs}`).to.be.below(0.005);
  expect(totals.params).to.equal(golden.params);
}

/** Pipeline + plan: no bytes copied, a sound plan within 1.05x of its bound, far below all activations. */
function expectZeroCopy(imported: Graph) {
  expect(analyzeCost(imported).totals.movedBytes, 'copies before the passes').to.be.above(0);
  const compiled = runPipeline(imported, { warn: () => {} });
  const plan = planMemory(compiled);
  expect(analyzeCost(compiled, { plan }).totals.movedBytes, 'copies after the passes').to.equal(0);
  expect(checkPlan(compiled, plan).peakLiveFloats).to.equal(plan.lowerBoundFloats);
  expect(plan.arenaFloats).to.be.at.most(1.05 * plan.lowerBoundFloats);
  expect(plan.arenaFloats).to.be.below(plan.totalActivationFloats / 1.5);
}

describe('ShuffleNetV2 cost figures', () => {
  for (const g of GOLDEN) {
    it(`x${g.width}: graph built by hand in the torchvision form`, () => {
      expectFigures(buildShuffleNetV2({ width: g.width, form: 'torchvision' }), g);
    });
    it(`${g.name} spec built-in: figures, then zero copies and a tight arena after the pipeline`, () => {
      const imported = importSpec(g.name, { file: g.name, seed: 1 });
      expectFigures(imported, g);
      expectZeroCopy(imported);
    });
  }

  describe('ONNX fixtures', () => {
    interface Fixture {
      name: string;
      input_shape: number[];
      files: { model: string };
    }
    const manifest = JSON.parse(readFileSync(new URL('manifest.json', FIXTURES), 'utf8')) as { fixtures: Fixture[] };
    const load = (f: Fixture) => importOnnx(readFileSync(new URL(f.files.model, FIXTURES)), { file: f.name, inputShape: f.input_shape });

    it('the BN-preserved torchvision x0.5 export has the x0.5 figures', () => {
      const fixture = manifest.fixtures.find((f) => f.name === 'tv_x0_5_224_o13_bn');
      expect(fixture, 'fixture tv_x0_5_224_o13_bn in fixtures/manifest.json').to.not.equal(undefined);
      expectFigures(load(fixture!), GOLDEN[0]);
    });

    for (const f of manifest.fixtures) {
      it(`${f.name}: zero copies and a tight arena after the pipeline`, () => expectZeroCopy(load(f)));
    }
  });
});
