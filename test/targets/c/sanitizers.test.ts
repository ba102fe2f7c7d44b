// ASan + UBSan builds of the emitted C on the small fixtures: any out-of-bounds access, misaligned load,
// signed overflow or other undefined behaviour aborts the harness (-fno-sanitize-recover=all), failing the run.

import { expect } from 'chai';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { planMemory } from '../../../compiler/plan/plan-memory.ts';
import { createNativeModel } from '../../../runtime/native-model.ts';
import { emitCModel } from '../../../targets/c/emit-model.ts';
import { compiledGraph, fixtureTensors, manifest, maxAbsDiff, scratchDir, smallFixtures, writeArtifacts } from './support.ts';

const SANITIZE = ['-O1', '-g', '-fno-omit-frame-pointer', '-fsanitize=address,undefined', '-fno-sanitize-recover=all'];

describe('C target under AddressSanitizer and UndefinedBehaviorSanitizer', function () {
  this.timeout(600_000);
  const root = scratchDir('asan');
  after(() => rmSync(root, { recursive: true, force: true }));

  // Sanitized builds are slow (~15 s each): the odd-width fixture plus one other.
  const odd = smallFixtures().filter((f) => (f.stages_out_channels ?? []).some((c) => (c / 2) % 4 !== 0));
  const picked = [odd[0], smallFixtures().find((f) => f !== odd[0])!];
  // The odd-width fixture again with -march=native: on x86 hosts with AVX2/AVX-512 this checks the intrinsic
  // paths (overlapping tail tiles, de-interleaving depthwise loads near row ends) for out-of-bounds reads.
  const runs: [(typeof picked)[number], string[]][] = [...picked.map((f): [(typeof picked)[number], string[]] => [f, []]), [odd[0], ['-march=native']]];
  for (const [fixture, extra] of runs) {
    for (const neon of [false]) {
      it(`${fixture.name}: runs clean and correct${extra.length ? ` (${extra.join(' ')})` : ''}`, async () => {
        const graph = compiledGraph(fixture);
        const { input, golden } = fixtureTensors(fixture);
        const dir = join(root, `${fixture.name}-${neon}-${extra.length}`);
        writeArtifacts(dir, emitCModel(graph, planMemory(graph), { name: 'net', neon }).artifacts);
        const model = await createNativeModel({ dir, name: 'net', cc: 'gcc', cflags: [...SANITIZE, ...extra], cacheDir: join(root, 'cache'), inputShape: fixture.input_shape, outputShape: fixture.output_shape });
        try {
          // Two runs: the second starts from an arena the first left dirty.
          await model.run(input);
          const logits = await model.run(input);
          expect(maxAbsDiff(logits, golden)).to.be.at.most(manifest.tolerance.abs);
        } finally {
          model.dispose();
        }
      });
    }
  }
});
