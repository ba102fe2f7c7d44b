// examples/web as a visitor uses it: built with Vite and the plugin, served on 127.0.0.1, opened in headless
// Chromium. A picture picked with the file input runs on WebGPU (SwiftShader's adapter); the same picture dropped
// on the page with ?backend=wasm runs on WebAssembly. Both give PyTorch's logits for it (1e-4) and torchvision's
// top-5 ImageNet names (fixtures/images/manifest.json, ShuffleNetV2 x0.5 with torchvision's weights).

import { expect } from 'chai';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import snv2c from '../../plugin/index.ts';
import { readNpy } from '../../runtime/npy.ts';
import { launchChromium, serveFolder } from '../browser/chromium-page.ts';
import { maxAbsDiff, REPO } from '../targets/c/support.ts';

interface ImageEntry {
  file: string;
  output: string;
  top5_names: string[];
}

interface PageResult {
  backend: string;
  top5: { index: number; label?: string }[];
  logits: number[];
  inferenceMs: number;
}

const images = JSON.parse(readFileSync(join(REPO, 'fixtures', 'images', 'manifest.json'), 'utf8')) as { images: ImageEntry[] };
const photo = images.images.find((i) => i.file === 'images/photo_rgb.png')!;

/** examples/web/vite.config.ts, with the repository's sources in place of the installed package. */
const viteConfig = () => ({
  root: join(REPO, 'examples', 'web'), configFile: false as const, logLevel: 'silent' as const,
  resolve: { alias: { 'snv2c/runtime': join(REPO, 'runtime', 'index.ts') } },
  // A cache that outlives the test run: the model is compiled once per change of snv2c, not on every run.
  plugins: [snv2c.vite({ root: REPO, cacheDir: join(REPO, 'tmp', 'plugin-cache') })],
});

async function buildExample(outDir: string): Promise<void> {
  const { build } = await import('vite'); // the ES module (see test/plugin/support.ts)
  await build({ ...viteConfig(), build: { outDir, emptyOutDir: true } });
}

async function resultOf(page: Page): Promise<PageResult> {
  await page.waitForSelector('#status[data-state="done"], #status[data-state="error"]', { timeout: 300_000 });
  const state = await page.getAttribute('#status', 'data-state');
  expect(state, await page.textContent('#status') ?? '').to.equal('done');
  return page.evaluate(() => (window as unknown as { snv2cResult: PageResult }).snv2cResult);
}

describe('examples/web: classify a picture in headless Chromium', function () {
  this.timeout(900_000);
  const outDir = join(REPO, 'tmp', 'examples-web');
  const golden = readNpy(readFileSync(join(REPO, 'fixtures', photo.output))).data;
  const picture = readFileSync(join(REPO, 'fixtures', photo.file));
  let context: BrowserContext | undefined;
  let served: Awaited<ReturnType<typeof serveFolder>> | undefined;
  before(async () => {
    mkdirSync(outDir, { recursive: true });
    await buildExample(outDir);
    served = await serveFolder(outDir);
    context = await launchChromium(join(REPO, 'tmp', 'chromium'));
  });
  after(async () => {
    await context?.close();
    await served?.close();
    rmSync(outDir, { recursive: true, force: true });
  });

  const check = (result: PageResult, backend: string) => {
    expect(result.backend).to.equal(backend);
    expect(maxAbsDiff(result.logits, golden), `${backend}: max |page - PyTorch|`).to.be.at.most(1e-4);
    expect(result.top5.map((c) => c.label)).to.deep.equal(photo.top5_names);
    expect(result.inferenceMs).to.be.above(0);
  };

  it('a picked picture runs on WebGPU when the browser has an adapter', async () => {
    const page = await context!.newPage();
    try {
      await page.goto(served!.url);
      await page.setInputFiles('#file', { name: 'photo.png', mimeType: 'image/png', buffer: picture });
      check(await resultOf(page), 'wgsl');
      expect(await page.locator('#top5 li').allTextContents()).to.have.length(5);
      expect(await page.textContent('#status')).to.match(/^WebGPU \(WGSL\): [\d.]+ ms$/);
    } finally {
      await page.close();
    }
  });

  it('a dropped picture runs on WebAssembly with ?backend=wasm', async () => {
    const page = await context!.newPage();
    try {
      await page.goto(`${served!.url}?backend=wasm`);
      const dataTransfer = await page.evaluateHandle((bytes) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([new Uint8Array(bytes)], 'photo.png', { type: 'image/png' }));
        return transfer;
      }, Array.from(picture));
      await page.dispatchEvent('#drop', 'drop', { dataTransfer });
      check(await resultOf(page), 'wasm');
      expect(await page.textContent('#backend')).to.equal('Running on WebAssembly.');
    } finally {
      await page.close();
    }
  });

  it('runs from the Vite dev server too (`npx vite examples/web`)', async () => {
    const { createServer } = await import('vite');
    const server = await createServer({ ...viteConfig(), server: { host: '127.0.0.1', port: 0 } });
    const page = await context!.newPage();
    try {
      await server.listen();
      await page.goto(`${server.resolvedUrls!.local[0]}?backend=wasm`);
      await page.setInputFiles('#file', { name: 'photo.png', mimeType: 'image/png', buffer: picture });
      check(await resultOf(page), 'wasm');
    } finally {
      await page.close();
      await server.close();
    }
  });
});
