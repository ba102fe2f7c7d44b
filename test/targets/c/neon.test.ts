// The neon target on aarch64: built with aarch64-linux-gnu-gcc under -Werror and run under qemu-aarch64 (~150x
// slower than native, so only the small fixtures), matching PyTorch and the interpreter. One fixture has branch
// widths that are not multiples of 4, which exercises the scalar remainders of the NEON tiles. The paper's variants
// and ShuffleNetV2+ (small, SE / residual / v2* / h-swish) run too, so every target covers them.

import { expect } from 'chai';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runGraph } from '../../../compiler/interpreter/run-graph.ts';
import { planMemory } from '../../../compiler/plan/plan-memory.ts';
import { createNativeModel } from '../../../runtime/native-model.ts';
import { emitCModel } from '../../../targets/c/emit-model.ts';
import { compiledGraph, fixtureTensors, manifest, maxAbsDiff, scratchDir, smallFixtures, STRICT_FLAGS, top1, writeArtifacts } from './support.ts';

describe('neon target under qemu-aarch64', function () {
  this.timeout(600_000);
  const root = scratchDir('neon');
  after(() => rmSync(root, { recursive: true, force: true }));
  // Three small fixtures: the odd-width one plus two code styles.
  const picked = [...new Map(smallFixtures().map((f) => [f.name.split('_')[0], f])).values()].slice(0, 3);

  it('picks small fixtures, one with branch widths that are not multiples of 4', () => {
    expect(picked.length).to.be.greaterThan(1);
    expect(picked.some((f) => (f.stages_out_channels ?? []).some((c) => (c / 2) % 4 !== 0))).to.equal(true);
  });

  for (const fixture of [...picked, ...(manifest.variant_fixtures ?? [])]) {
    it(`${fixture.name}: NEON build matches PyTorch and the interpreter`, async () => {
      const graph = compiledGraph(fixture);
      const { input, golden } = fixtureTensors(fixture);
      const dir = join(root, fixture.name);
      writeArtifacts(dir, emitCModel(graph, planMemory(graph), { name: 'net', neon: true }).artifacts);
      const source = readFileSync(join(dir, 'net.c'), 'utf8');
      expect(source).to.include('vfmaq_f32').and.to.include('#if defined(__ARM_NEON)');
      const model = await createNativeModel({ dir, name: 'net', target: 'neon', cflags: STRICT_FLAGS, cacheDir: join(root, 'cache'), inputShape: fixture.input_shape, outputShape: fixture.output_shape });
      try {
        const logits = await model.run(input);
        const classes = fixture.output_shape[1];
        expect(maxAbsDiff(logits, golden), 'max |neon - PyTorch|').to.be.at.most(manifest.tolerance.abs);
        expect(top1(logits, classes)).to.deep.equal(top1(golden, classes));
        expect(maxAbsDiff(logits, runGraph(graph, [input])[0]), 'max |neon - interpreter|').to.be.at.most(manifest.tolerance.abs);
      } finally {
        model.dispose();
      }
    });
  }
});
