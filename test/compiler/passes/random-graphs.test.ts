// Every pass alone, and the whole pipeline, on seeded random ShuffleNet-like graphs: the reference interpreter
// must compute the same outputs before and after (1e-5 absolute), and the pipeline's result must be routed.

import { expect } from 'chai';
import { DEFAULT_PASSES, runPipeline } from '../../../compiler/pipeline.ts';
import { randomInput, shuffleNetLike, type ShuffleNetLikeOptions } from './shufflenet-like.ts';
import { expectRoutedShuffleNet } from './structure.ts';
import { expectSameFunction, kindCounts } from './support.ts';

const quiet = { warn: () => {} };

const cases: [number, ShuffleNetLikeOptions][] = [];
for (let seed = 1; seed <= 12; seed++) {
  cases.push([seed, { style: seed % 2 ? 'torchvision' : 'megvii', batch: 1 + (seed % 3), chunk: seed % 4 < 2 ? 'slice' : 'split' }]);
}

describe('passes on random ShuffleNet-like graphs', () => {
  for (const [seed, opts] of cases) {
    it(`seed ${seed}: ${opts.style} shuffles, batch ${opts.batch}, chunk as ${opts.chunk}`, () => {
      const graph = shuffleNetLike(seed, opts);
      const inputs = randomInput(graph, seed);
      for (const pass of DEFAULT_PASSES) expectSameFunction(graph, pass.run(graph, quiet), inputs, 1e-5, pass.name);
      const routed = runPipeline(graph, { log: () => {}, ...quiet });
      expectSameFunction(graph, routed, inputs, 1e-5, 'pipeline');
      expectRoutedShuffleNet(routed, `seed ${seed}`);
      expect(kindCounts(routed).channelShuffle ?? 0).to.be.greaterThan(0);
      expect(runPipeline(routed, { log: () => {}, ...quiet }), 'a second run changes nothing').to.equal(routed);
    });
  }
});
