// The plugin as users run it: a real esbuild build and a real Vite build of a page importing
// `./tiny.onnx?target=wasm` and `?target=wgsl`, served on 127.0.0.1 and run in headless Chromium (WebGPU on
// SwiftShader); every output within 1e-4 of PyTorch's. The artifacts must be separate, hashed files of the build.

import { expect } from 'chai';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { readNpy } from '../../runtime/npy.ts';
import { callInPage, launchChromium, serveFolder } from '../browser/chromium-page.ts';
import { maxAbsDiff, REPO } from '../targets/c/support.ts';
import { buildWithEsbuild, buildWithVite, fixture, pageProject } from './support.ts';

const files = (dir: string): string[] => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name);

describe('plugin: esbuild and Vite builds run in headless Chromium', function () {
  this.timeout(600_000);
  const project = pageProject('browser');
  const cacheDir = join(project, 'cache');
  const input = readNpy(readFileSync(join(REPO, 'fixtures', fixture.files.input))).data;
  const golden = readNpy(readFileSync(join(REPO, 'fixtures', fixture.files.output))).data;
  let context: BrowserContext | undefined;
  before(async () => {
    context = await launchChromium(join(REPO, 'tmp', 'chromium'));
  });
  after(async () => {
    await context?.close();
    rmSync(project, { recursive: true, force: true });
  });

  for (const [bundler, build] of [['esbuild', buildWithEsbuild], ['Vite', buildWithVite]] as const) {
    it(`${bundler}: wasm and wgsl models match PyTorch; .wasm and .weights.bin are hashed assets`, async () => {
      const dist = await build(project, { cacheDir });
      const emitted = files(dist);
      // The SIMD128 build and the relaxed-SIMD build (the page takes the latter: Chromium has relaxed SIMD).
      expect(emitted.filter((f) => /^tiny[-.][\w.-]{6,}\.wasm$/.test(f)), emitted.join(' ')).to.have.length(2);
      expect(emitted.filter((f) => /\.bin$/.test(f) && !/^(tiny|model)\.weights\.bin$/.test(f)), emitted.join(' ')).to.have.length.at.least(1);
      const served = await serveFolder(dist);
      try {
        for (const target of ['wasm', 'wgsl']) {
          const result = await callInPage<{ output: number[]; inputShape: number[] }>(context!, served.url, 'snv2cRun', [Array.from(input), target]);
          expect(result.inputShape).to.deep.equal(fixture.input_shape);
          expect(maxAbsDiff(result.output, golden), `${bundler} ${target}: max |browser - PyTorch|`).to.be.at.most(1e-4);
        }
      } finally {
        await served.close();
      }
    });
  }
});
