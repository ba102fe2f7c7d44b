// `analyze` counts what the fusion passes moved into conv epilogues, on the paper's variants (counted by hand from
// fixtures/models/variant_style.py), and the element-wise share of G4 drops to what stays standalone.

import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { analyzeModel } from '../../../compiler/analysis/analyze-model.ts';
import { formatTextReport } from '../../../compiler/analysis/text-report.ts';
import { importOnnx } from '../../../compiler/frontend/onnx/import-onnx.ts';
import { runPipeline } from '../../../compiler/pipeline.ts';
import { planMemory } from '../../../compiler/plan/plan-memory.ts';
import { analyze } from '../../../api/index.ts';
import type { Graph } from '../../../compiler/ir/types.ts';

function analyzeFixture(name: string) {
  const manifest = JSON.parse(readFileSync('fixtures/manifest.json', 'utf8')) as { variant_fixtures: { name: string; input_shape: number[]; files: { model: string } }[] };
  const f = manifest.variant_fixtures.find((v) => v.name === name)!;
  const imported = importOnnx(readFileSync(`fixtures/${f.files.model}`), { file: name, inputShape: f.input_shape });
  const compiled = runPipeline(imported, { warn: () => {}, log: () => {} });
  return analyzeModel(imported, compiled, planMemory(compiled));
}

describe('analysis: fused conv epilogues', () => {
  it('residual-only (repeats 1,2,1): 13 relu epilogues and the one stride-1 unit residual add; G4 element-wise share 0', () => {
    // relus: conv1, conv5, 3 per stride-2 unit (3 units), 2 per stride-1 unit (1 unit) = 1 + 1 + 9 + 2.
    const a = analyzeFixture('var_res_o12_bn');
    expect(a.fused).to.deep.equal({ activations: { relu: 13 }, residualAdds: 1, scaleAdds: 0 });
    expect(formatTextReport(a)).to.contain('fused into conv epilogues: relu 13; residual adds 1');
    expect(a.after.findings.find((f) => f.id === 'G4')!.summary).to.contain('in 0 op(s)');
    expect(a.before.findings.find((f) => f.id === 'G4')!.summary).to.not.contain('in 0 op(s)');
  });

  it('ShuffleNetV2+ written as relu6 formulas (repeats 1,2,1): h-swish and hard-sigmoid recognised and fused', () => {
    // 13 h-swish (the relu positions), per unit one SE: relu after fc1, hard-sigmoid gate after fc2 (4 units).
    const a = analyzeFixture('var_plus_formula_o12_folded');
    expect(a.fused).to.deep.equal({ activations: { hardSwish: 13, relu: 4, hardSigmoid: 4 }, residualAdds: 0, scaleAdds: 0 });
  });

  // The C targets render every activation and the residual add in their conv kernels (not the SE scale + add), so
  // `analyze --target c` (and neon, wasm) counts those fusions and no activation or conv shortcut add stays standalone.
  const analyzeFor = async (name: string, target?: string) => {
    const manifest = JSON.parse(readFileSync('fixtures/manifest.json', 'utf8')) as { variant_fixtures: { name: string; input_shape: number[]; files: { model: string } }[] };
    const f = manifest.variant_fixtures.find((v) => v.name === name)!;
    return analyze(`fixtures/${f.files.model}`, { target, inputShape: f.input_shape, warn: () => {}, log: () => {} });
  };
  const kindsOf = (graph: Graph, kinds: string[]) => graph.nodes.map((n) => (n.op.kind === 'binary' ? `${n.op.fn}${n.op.residual ? '+residual' : ''}` : n.op.kind)).filter((k) => kinds.includes(k));
  for (const target of ['c', 'neon', 'wasm']) {
    it(`analyze --target ${target}: h-swish and hard-sigmoid fused on ShuffleNetV2+ with SE and shortcuts, the residual add on residual-only`, async () => {
      const plus = await analyzeFor('var_plus_res_o17_folded_dyn', target);
      const free = await analyzeFor('var_plus_res_o17_folded_dyn');
      expect(plus.report.fused.activations).to.deep.equal(free.report.fused.activations);
      expect(plus.report.fused.activations).to.deep.equal({ hardSwish: 13, relu: 4, hardSigmoid: 4 });
      expect(kindsOf(plus.graph, ['relu', 'sigmoid', 'hardSigmoid', 'hardSwish', 'clip'])).to.deep.equal([]);
      const res = await analyzeFor('var_res_o12_bn', target);
      expect(res.report.fused).to.deep.equal({ activations: { relu: 13 }, residualAdds: 1, scaleAdds: 0 });
      expect(kindsOf(res.graph, ['add', 'relu'])).to.deep.equal([]);
      expect(formatTextReport(res.report)).to.contain('fused into conv epilogues: relu 13; residual adds 1');
    });
  }
});
