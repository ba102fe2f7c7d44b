// The plugin as users run it: a real esbuild build and a real Vite build of a page importing
// `./tiny.onnx?target=wasm` and `?target=wgsl`, served on 127.0.0.1 and run in headless Chromium (WebGPU on
// SwiftShader); every output within 1e-4 of PyTorch's. The artifacts must be separate, hashed files of the build.

import { expect } from 'chai';
import { copyFileSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { readNpy } from '../../runtime/npy.ts';
import { callInPage, launchChromium, serveFolder } from '../browser/chromium-page.ts';
import snv2c from '../../plugin/index.ts';
import { manifest, maxAbsDiff, REPO } from '../targets/c/support.ts';
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
    it(`${bundler}: wasm and wgsl models match PyTorch; .wasm, .weights.bin and .wgsl are hashed assets`, async () => {
      const dist = await build(project, { cacheDir });
      const emitted = files(dist);
      // The SIMD128 build and the relaxed-SIMD build (the page takes the latter: Chromium has relaxed SIMD).
      expect(emitted.filter((f) => /^tiny[-.][\w.-]{6,}\.wasm$/.test(f)), emitted.join(' ')).to.have.length(2);
      // One weights file per target, each under a content hash.
      expect(emitted.filter((f) => /^(tiny|model)\.weights[-.][\w-]{6,}\.bin$/.test(f)), emitted.join(' ')).to.have.length(2);
      // The shader is an asset of its own, not a string inside the JavaScript.
      expect(emitted.filter((f) => /^model[-.][\w-]{6,}\.wgsl$/.test(f)), emitted.join(' ')).to.have.length(1);
      for (const js of emitted.filter((f) => f.endsWith('.js'))) {
        const path = readdirSync(dist, { recursive: true }).map(String).find((p) => p.endsWith(js))!;
        expect(readFileSync(join(dist, path), 'utf8'), js).to.not.include('@compute');
      }
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

  it('Vite dev server: the page runs the model, and a changed model file recompiles and reaches the page', async () => {
    const dev = pageProject('dev');
    const log: string[] = [];
    const { createServer } = await import('vite'); // the ES module (see support.ts)
    const server = await createServer({
      root: join(dev, 'src'), configFile: false, logLevel: 'silent', server: { host: '127.0.0.1', port: 0 },
      plugins: [snv2c.vite({ root: dev, cacheDir: join(dev, 'cache'), log: (line) => log.push(line) })],
    });
    try {
      await server.listen();
      const url = server.resolvedUrls!.local[0];
      const run = (x: Float32Array) => callInPage<{ output: number[] }>(context!, url, 'snv2cRun', [Array.from(x), 'wgsl']);
      expect(maxAbsDiff((await run(input)).output, golden), 'dev: max |browser - PyTorch|').to.be.at.most(1e-4);
      // Another model (12 classes) in the same file: the watcher invalidates the module, the next load recompiles.
      const other = manifest.fixtures.find((f) => f.name === 'seed_tiny_o17_folded')!;
      copyFileSync(join(REPO, 'fixtures', other.files.model), join(dev, 'src', 'tiny.onnx'));
      const otherInput = readNpy(readFileSync(join(REPO, 'fixtures', other.files.input))).data;
      const otherGolden = readNpy(readFileSync(join(REPO, 'fixtures', other.files.output))).data;
      let output: number[] = [];
      for (let attempt = 0; attempt < 20 && output.length !== otherGolden.length; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        output = (await run(otherInput)).output;
      }
      expect(maxAbsDiff(output, otherGolden), 'dev after the change: max |browser - PyTorch|').to.be.at.most(1e-4);
      expect(log.filter((l) => l.startsWith('snv2c: src/tiny.onnx (wgsl) compiled in'))).to.have.length(2);
    } finally {
      await server.close();
      rmSync(dev, { recursive: true, force: true });
    }
  });
});
