// The emitted WGSL model in a real browser: headless Debian Chromium (WebGPU on SwiftShader), page served from
// 127.0.0.1, model bundled from the generated `<name>.js`; logits checked against PyTorch's.

import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { importOnnx } from '../../compiler/frontend/onnx/import-onnx.ts';
import { runPipeline } from '../../compiler/pipeline.ts';
import { planForTarget } from '../../compiler/plan/plan-memory.ts';
import { readNpy } from '../../runtime/npy.ts';
import { wgslTarget } from '../../targets/wgsl/wgsl-target.ts';
import { argmax, expectedDispatches, maxAbsDiff, REPO, writeArtifacts } from '../targets/wgsl/support.ts';
import { launchChromium, runInPage, serveModel } from './chromium-page.ts';

describe('wgsl target in headless Chromium (WebGPU on SwiftShader)', () => {
  let context: BrowserContext | undefined;
  after(async () => context?.close());

  it('runs the tiny torchvision fixture from the bundled <name>.js and matches PyTorch', async () => {
    const fixture = join(REPO, 'fixtures', 'tv_tiny_o13_bn');
    const input = readNpy(readFileSync(join(fixture, 'input.npy')), 'input.npy');
    const golden = readNpy(readFileSync(join(fixture, 'output.npy')), 'output.npy');
    const graph = runPipeline(importOnnx(readFileSync(join(fixture, 'model.onnx')), { file: 'model.onnx' }));
    const dir = writeArtifacts(wgslTarget.emit(graph, planForTarget(graph, wgslTarget), { name: 'tiny' }), 'browser');

    const served = await serveModel(dir, 'tiny');
    try {
      context = await launchChromium(join(REPO, 'tmp', 'chromium'));
      const result = await runInPage(context, served.url, input.data);
      expect(result.output).to.have.length(golden.data.length);
      expect(maxAbsDiff(result.output, golden.data), 'max |browser - PyTorch|').to.be.at.most(1e-4);
      expect(argmax(result.output)).to.equal(argmax(golden.data));
      expect(result.dispatches).to.equal(expectedDispatches(graph));
      // SwiftShader has timestamp queries: per-dispatch GPU times, one per step.
      expect(result.profileClock).to.equal('timestamp-query');
      expect(result.stepTimes).to.have.length(result.dispatches);
      for (const t of result.stepTimes) expect(t).to.be.at.least(0);
      // runTimed(): the same output, with the GPU time of the one pass that run() submits.
      expect(result.timed.output).to.deep.equal(result.output);
      expect(result.timed.gpuMs).to.be.a('number').and.above(0);
    } finally {
      await served.close();
    }
  });
});
