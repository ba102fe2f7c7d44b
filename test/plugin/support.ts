// Shared by the plugin tests: a tiny page project (the tv_tiny fixture imported with ?target=wasm and
// ?target=wgsl) in a scratch folder, and esbuild / Vite builds of it with the plugin.

import { build as esbuild } from 'esbuild';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import snv2c, { type Snv2cPluginOptions } from '../../plugin/index.ts';
import { manifest, REPO } from '../targets/c/support.ts';

export const fixture = manifest.fixtures.find((f) => f.name === 'tv_tiny_o13_bn')!;

/** The page: `window.snv2cRun(input, target)` runs the model compiled for that target and returns its output. */
const PAGE = `import * as wasm from './tiny.onnx?target=wasm&name=tiny';
import * as wgsl from './tiny.onnx?target=wgsl';
const targets = { wasm, wgsl };
window.snv2cRun = async (input, target) => {
  const model = await targets[target].createModel();
  try {
    return { output: Array.from(await model.run(Float32Array.from(input))), inputShape: targets[target].inputShape };
  } finally {
    model.dispose();
  }
};
`;

/** A fresh project folder under the repo's tmp/ holding src/{index.html,page.js,tiny.onnx}. */
export function pageProject(tag: string): string {
  const base = join(REPO, 'tmp', 'plugin-tests');
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, `${tag}-`));
  mkdirSync(join(dir, 'src'));
  copyFileSync(join(REPO, 'fixtures', fixture.files.model), join(dir, 'src', 'tiny.onnx'));
  writeFileSync(join(dir, 'src', 'page.js'), PAGE);
  writeFileSync(join(dir, 'src', 'index.html'), '<!doctype html><meta charset="utf-8"><script type="module" src="./page.js"></script>\n');
  return dir;
}

/** esbuild: bundles src/page.js into dist/ (with index.html copied), returns dist/. */
export async function buildWithEsbuild(project: string, options: Snv2cPluginOptions): Promise<string> {
  const outdir = join(project, 'dist-esbuild');
  await esbuild({
    entryPoints: [join(project, 'src', 'page.js')], bundle: true, format: 'esm', platform: 'browser', outdir, logLevel: 'silent',
    plugins: [snv2c.esbuild({ root: project, ...options })],
  });
  writeFileSync(join(outdir, 'index.html'), '<!doctype html><meta charset="utf-8"><script type="module" src="./page.js"></script>\n');
  return outdir;
}

/** Vite: builds src/index.html into dist-vite/, returns it. */
export async function buildWithVite(project: string, options: Snv2cPluginOptions): Promise<string> {
  const outDir = join(project, 'dist-vite');
  // Imported dynamically: mocha loads tests through tsx's CommonJS hook, and Vite's CommonJS entry cannot resolve
  // its own client modules (vite/modulepreload-polyfill); a dynamic import gets the ES module.
  const { build: viteBuild } = await import('vite');
  await viteBuild({
    root: join(project, 'src'), configFile: false, logLevel: 'silent',
    build: { outDir, emptyOutDir: true },
    plugins: [snv2c.vite({ root: project, ...options })],
  });
  return outDir;
}
