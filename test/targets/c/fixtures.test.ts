// Every ONNX fixture (the paper's variants and ShuffleNetV2+ included) through the C target, built with gcc and with clang under -std=c99 -Wall -Wextra -Werror
// -pedantic (portable), and with gcc as the product builds it by default (-O3 -march=native: the AVX2/AVX-512
// tiles on hosts that have them), run through the native harness: logits within the manifest tolerance of
// PyTorch's output.npy, the same top-1, and in agreement with the reference interpreter.

import { expect } from 'chai';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { runGraph } from '../../../compiler/interpreter/run-graph.ts';
import { planMemory } from '../../../compiler/plan/plan-memory.ts';
import { createNativeModel } from '../../../runtime/native-model.ts';
import { emitCModel } from '../../../targets/c/emit-model.ts';
import { compiledGraph, fixtureTensors, manifest, maxAbsDiff, scratchDir, STRICT_FLAGS, top1, writeArtifacts } from './support.ts';

const WARNINGS = ['-Wall', '-Wextra', '-Werror', '-pedantic'];
const BUILDS = [
  { cc: 'gcc', cflags: STRICT_FLAGS, label: 'gcc portable' },
  { cc: 'clang', cflags: STRICT_FLAGS, label: 'clang portable' },
  // The default of runtime/native-build.ts, where the vector tiles live.
  { cc: 'gcc', cflags: ['-O3', '-march=native', ...WARNINGS], label: 'gcc -O3 -march=native' },
];

describe('C target on the ONNX fixtures (x86, gcc and clang, portable and -march=native)', function () {
  this.timeout(600_000);
  const root = scratchDir('c-fixtures');
  after(() => rmSync(root, { recursive: true, force: true }));

  it('the manifest includes a model whose branch widths are not multiples of 4', () => {
    const odd = manifest.fixtures.filter((f) => (f.stages_out_channels ?? []).some((c) => (c / 2) % 4 !== 0));
    expect(odd.length).to.be.greaterThan(0);
  });

  for (const fixture of [...manifest.fixtures, ...(manifest.variant_fixtures ?? [])]) {
    it(`${fixture.name}: gcc and clang builds match PyTorch and the interpreter`, async () => {
      const graph = compiledGraph(fixture);
      const { input, golden } = fixtureTensors(fixture);
      const dir = join(root, fixture.name);
      writeArtifacts(dir, emitCModel(graph, planMemory(graph), { name: 'net', neon: false }).artifacts);
      const reference = runGraph(graph, [input])[0];
      const classes = fixture.output_shape[1];
      for (const { cc, cflags, label } of BUILDS) {
        const model = await createNativeModel({ dir, name: 'net', cc, cflags, cacheDir: join(root, 'cache'), inputShape: fixture.input_shape, outputShape: fixture.output_shape });
        try {
          const logits = await model.run(input);
          expect(maxAbsDiff(logits, golden), `${label}: max |C - PyTorch|`).to.be.at.most(manifest.tolerance.abs);
          expect(top1(logits, classes), `${label}: top-1`).to.deep.equal(top1(golden, classes));
          expect(maxAbsDiff(logits, reference), `${label}: max |C - interpreter|`).to.be.at.most(manifest.tolerance.abs);
        } finally {
          model.dispose();
        }
      }
    });
  }
});
