// Every ONNX golden fixture: each pass alone and the whole pipeline must leave the reference interpreter's
// output unchanged (1e-5 absolute), the pipeline's result must still match PyTorch's saved output, and every
// ShuffleNetV2 export must come out routed (no BN, no relu after a conv, no transpose/gather, views only).

import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importOnnx } from '../../../compiler/frontend/onnx/import-onnx.ts';
import { runGraph } from '../../../compiler/interpreter/run-graph.ts';
import type { Graph } from '../../../compiler/ir/types.ts';
import { UNARY_OPS } from '../../../compiler/ir/types.ts';
import { verifyGraph } from '../../../compiler/ir/verify.ts';
import { DEFAULT_PASSES, runPipeline } from '../../../compiler/pipeline.ts';
import { readNpy } from '../../../runtime/npy.ts';
import { expectRoutedShuffleNet } from './structure.ts';
import { kindCounts, maxAbsDiff } from './support.ts';

const FIXTURES = join(import.meta.dirname, '../../../fixtures');

interface FixtureEntry {
  name: string;
  style: string;
  options?: { se?: boolean; residual?: boolean; extra_dw?: boolean; activation?: string };
  input_shape: number[];
  files: { model: string; input: string; output: string };
}

const manifest = JSON.parse(readFileSync(join(FIXTURES, 'manifest.json'), 'utf8')) as { tolerance: { abs: number }; fixtures: FixtureEntry[]; variant_fixtures: FixtureEntry[] };
const quiet = { log: () => {}, warn: () => {} };

/**
 * The paper's variants after the pipeline: every activation (h-swish written out in elementary ops included)
 * is a conv epilogue, every residual add is fused (into the 1x1 conv, or with SE into the SE scale); what stays
 * element-wise is the SE scale (x * gate), one per unit.
 */
function expectVariantFused(graph: Graph, options: NonNullable<FixtureEntry['options']>): void {
  const counts = kindCounts(graph);
  for (const kind of UNARY_OPS) expect(counts[kind] ?? 0, `standalone ${kind}`).to.equal(0);
  const adds = graph.nodes.filter((n) => n.op.kind === 'binary' && n.op.fn === 'add').length;
  const residualConvs = graph.nodes.filter((n) => n.op.kind === 'conv2d' && n.op.residual).length;
  const scaleAdds = graph.nodes.filter((n) => n.op.kind === 'binary' && n.op.residual).length;
  expect(adds, 'residual adds left').to.equal(0);
  if (options.residual) expect(options.se ? scaleAdds : residualConvs, 'residual adds fused').to.be.greaterThan(0);
  const muls = graph.nodes.filter((n) => n.op.kind === 'binary' && n.op.fn === 'mul').length;
  expect(muls, 'one SE scale per unit').to.equal(options.se ? graph.nodes.filter((n) => n.op.kind === 'globalAvgPool').length - 1 : 0);
}

describe('passes on the golden ONNX fixtures', function () {
  this.timeout(120_000); // the 224x224 exports take seconds in the reference interpreter
  for (const f of [...manifest.fixtures, ...manifest.variant_fixtures]) {
    it(`${f.name}: every pass alone and the pipeline keep the output; the result is routed`, () => {
      const graph = importOnnx(readFileSync(join(FIXTURES, f.files.model)), { file: f.files.model, inputShape: f.input_shape });
      const input = readNpy(readFileSync(join(FIXTURES, f.files.input))).data;
      const [reference] = runGraph(graph, [input]);
      for (const pass of DEFAULT_PASSES) {
        const after = pass.run(graph, quiet);
        if (after === graph) continue; // unchanged: nothing to compare
        verifyGraph(after, pass.name);
        expect(maxAbsDiff(reference, runGraph(after, [input])[0]), pass.name).to.be.at.most(1e-5);
      }
      const routed = runPipeline(graph, quiet);
      const [out] = runGraph(routed, [input]);
      expect(maxAbsDiff(reference, out), 'pipeline vs import').to.be.at.most(1e-5);
      expect(maxAbsDiff(readNpy(readFileSync(join(FIXTURES, f.files.output))).data, out), 'pipeline vs PyTorch').to.be.at.most(manifest.tolerance.abs);
      expectRoutedShuffleNet(routed, f.name);
      expect(kindCounts(routed).channelShuffle ?? 0, 'shuffles recognised').to.be.greaterThan(0);
      if (f.options) expectVariantFused(routed, f.options);
    });
  }
});
