// The plugin in Node builds (esbuild, no browser): spec files, the content-hash cache (a second build does not
// compile), recompiling in watch mode when the model changes, bundler errors that name the file, the node and
// the valid choices, and the typings for model imports.

import { expect } from 'chai';
import { build, context, type BuildResult, type Plugin } from 'esbuild';
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import snv2c from '../../plugin/index.ts';
import { readNpy } from '../../runtime/npy.ts';
import { maxAbsDiff, REPO } from '../targets/c/support.ts';
import { buildWithVite, fixture, pageProject } from './support.ts';

const TINY_WEIGHTS = join(REPO, 'fixtures', 'weights', 'tiny');

/** Bundles `entry` for Node with the plugin; returns the log lines and the bundle path. */
async function nodeBundle(project: string, entry: string, cacheDir: string): Promise<{ log: string[]; bundle: string }> {
  const log: string[] = [];
  const outdir = join(project, 'dist-node');
  await build({
    entryPoints: [join(project, 'src', entry)], bundle: true, format: 'esm', platform: 'node', outdir, logLevel: 'silent',
    plugins: [snv2c.esbuild({ root: project, cacheDir, log: (l) => log.push(l) })],
  });
  return { log, bundle: join(outdir, entry.replace(/\.\w+$/, '.js')) };
}

/** The first error esbuild reports for a build of `entry`, as one line. */
async function esbuildError(project: string, entry: string): Promise<string> {
  try {
    await nodeBundle(project, entry, join(project, 'cache'));
  } catch (e) {
    const errors = (e as { errors?: { text: string }[] }).errors ?? [];
    expect(errors, String(e)).to.have.length.at.least(1);
    return errors[0].text;
  }
  throw new Error('the build succeeded');
}

describe('plugin: spec files, cache, watch mode, errors, typings', function () {
  this.timeout(600_000);
  const project = pageProject('node');
  after(() => rmSync(project, { recursive: true, force: true }));

  it('a *.snv2c.json spec file (spec + safetensors weights) compiles and matches PyTorch', async () => {
    copyFileSync(join(TINY_WEIGHTS, 'spec.json'), join(project, 'src', 'arch.json'));
    copyFileSync(join(TINY_WEIGHTS, 'state_dict.safetensors'), join(project, 'src', 'tiny.safetensors'));
    writeFileSync(join(project, 'src', 'classifier.snv2c.json'), JSON.stringify({ model: './arch.json', weights: './tiny.safetensors', target: 'wasm', name: 'classifier' }));
    writeFileSync(join(project, 'src', 'spec-main.js'), "export { createModel, inputShape } from './classifier.snv2c.json';\n");
    const { bundle } = await nodeBundle(project, 'spec-main.js', join(project, 'cache'));
    const emitted = (await import(pathToFileURL(bundle).href)) as { createModel(): Promise<{ run(x: Float32Array): Promise<Float32Array> | Float32Array; dispose(): void }>; inputShape: number[] };
    const model = await emitted.createModel();
    try {
      const output = await model.run(readNpy(readFileSync(join(TINY_WEIGHTS, 'input.npy'))).data);
      expect(maxAbsDiff(output, readNpy(readFileSync(join(TINY_WEIGHTS, 'output.npy'))).data), 'max |spec file - PyTorch|').to.be.at.most(1e-4);
    } finally {
      model.dispose();
    }
  });

  it('caches by content: a second build (a fresh plugin) compiles nothing, a changed model compiles again', async () => {
    const cacheDir = join(project, 'cache-hits');
    writeFileSync(join(project, 'src', 'gpu-main.js'), "export { createModel } from './tiny.onnx?target=wgsl';\n");
    const cold = await nodeBundle(project, 'gpu-main.js', cacheDir);
    expect(cold.log).to.deep.equal([cold.log[0]]);
    expect(cold.log[0]).to.match(/^snv2c: src\/tiny\.onnx \(wgsl\) compiled in \d+ ms$/);
    const first = readFileSync(cold.bundle, 'utf8');
    const warm = await nodeBundle(project, 'gpu-main.js', cacheDir);
    expect(warm.log).to.deep.equal(['snv2c: src/tiny.onnx (wgsl) from cache']);
    expect(readFileSync(warm.bundle, 'utf8')).to.equal(first);
    // Same file name, other bytes: compiled again.
    copyFileSync(join(REPO, 'fixtures', 'tv_tiny_o17_folded', 'model.onnx'), join(project, 'src', 'other.onnx'));
    writeFileSync(join(project, 'src', 'gpu-main.js'), "export { createModel } from './other.onnx?target=wgsl';\n");
    const changed = await nodeBundle(project, 'gpu-main.js', cacheDir);
    expect(changed.log[0]).to.match(/\(wgsl\) compiled in/);
  });

  it('watch mode: changing the model file rebuilds and recompiles', async () => {
    const model = join(project, 'src', 'watched.onnx');
    copyFileSync(join(REPO, 'fixtures', fixture.files.model), model);
    writeFileSync(join(project, 'src', 'watch-main.js'), "export { outputShape } from './watched.onnx?target=wgsl';\n");
    const log: string[] = [];
    const builds: BuildResult[] = [];
    let notify = () => undefined as void;
    const done: Plugin = { name: 'count-builds', setup: (b) => b.onEnd((r) => { builds.push(r); notify(); }) };
    const ctx = await context({
      entryPoints: [join(project, 'src', 'watch-main.js')], bundle: true, format: 'esm', platform: 'node', outdir: join(project, 'dist-watch'), logLevel: 'silent',
      plugins: [snv2c.esbuild({ root: project, cacheDir: join(project, 'cache-watch'), log: (l) => log.push(l) }), done],
    });
    try {
      const next = () => new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no rebuild within 60 s (log: ${log.join(' | ')})`)), 60_000);
        notify = () => { clearTimeout(timer); resolve(); };
      });
      let rebuilt = next();
      await ctx.watch();
      await rebuilt;
      expect(readFileSync(join(project, 'dist-watch', 'watch-main.js'), 'utf8')).to.include('[1, 10]');
      rebuilt = next();
      copyFileSync(join(REPO, 'fixtures', 'seed_tiny_o17_folded', 'model.onnx'), model); // 12 classes instead of 10
      await rebuilt;
      expect(log.filter((l) => l.includes('compiled in'))).to.have.length(2);
      expect(readFileSync(join(project, 'dist-watch', 'watch-main.js'), 'utf8')).to.include('[1, 12]');
    } finally {
      await ctx.dispose();
    }
  });

  describe('errors name the file, the node and the valid choices', () => {
    it('an unknown ?target=', async () => {
      writeFileSync(join(project, 'src', 'bad-target.js'), "export * from './tiny.onnx?target=cuda';\n");
      expect(await esbuildError(project, 'bad-target.js')).to.equal('snv2c: src/tiny.onnx: unknown target "cuda" in ?target= (valid: wasm, wgsl)');
      writeFileSync(join(project, 'src', 'native-target.js'), "export * from './tiny.onnx?target=c';\n");
      expect(await esbuildError(project, 'native-target.js')).to.equal('snv2c: src/tiny.onnx: target "c" in ?target= builds native code at run time, which a bundle cannot (valid: wasm, wgsl)');
    });

    it('a spec file whose weights file is missing', async () => {
      writeFileSync(join(project, 'src', 'lost.snv2c.json'), JSON.stringify({ model: 'shufflenet_v2_x0_5', weights: './gone.safetensors' }));
      writeFileSync(join(project, 'src', 'lost.js'), "export * from './lost.snv2c.json';\n");
      const message = await esbuildError(project, 'lost.js');
      expect(message).to.match(/^snv2c: src\/lost\.snv2c\.json: weights file \.\/gone\.safetensors does not exist \(looked for \/.*gone\.safetensors\)$/);
    });

    it('a model that does not compile: the file, the node and the reason, in esbuild and in Vite', async () => {
      copyFileSync(join(REPO, 'fixtures', 'bad', 'unsupported_ops.onnx'), join(project, 'src', 'odd.onnx'));
      writeFileSync(join(project, 'src', 'odd.js'), "export * from './odd.onnx?target=wasm';\n");
      const message = await esbuildError(project, 'odd.js');
      const expected = /^snv2c: src\/odd\.onnx: unsupported ONNX ops \(Celu, LRN\) in 2 node\(s\): "[^"]+" \(Celu\), "[^"]+" \(LRN\) \(unsupported\)$/;
      expect(message).to.match(expected);
      writeFileSync(join(project, 'src', 'page.js'), "import { createModel } from './odd.onnx?target=wgsl';\nwindow.m = createModel;\n");
      let viteMessage = '';
      await buildWithVite(project, { cacheDir: join(project, 'cache') }).catch((e: Error) => (viteMessage = e.message));
      expect(viteMessage).to.include(message);
    });
  });

  it('typings: `*target=wasm`, `*target=wgsl` and `*.snv2c.json` imports type-check, misuse does not', () => {
    const consumer = join(project, 'src', 'typed.ts');
    const check = (code: string): string[] => {
      writeFileSync(consumer, `/// <reference path="${join(REPO, 'plugin', 'client.d.ts')}" />\n${code}`);
      const program = ts.createProgram([consumer], {
        strict: true, noEmit: true, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, target: ts.ScriptTarget.ES2022,
        // With resolveJsonModule TypeScript types a .snv2c.json import as the JSON itself (see plugin/client.d.ts).
        resolveJsonModule: false,
        types: ['types'], typeRoots: [join(REPO, 'node_modules/@webgpu')],
      });
      return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' '));
    };
    expect(check([
      "import { createModel, inputShape } from './tiny.onnx?name=net&target=wasm';",
      "import * as gpu from './tiny.onnx?target=wgsl';",
      "import * as spec from './classifier.snv2c.json';",
      'export async function f(x: Float32Array): Promise<number> {',
      '  const m = await createModel();',
      '  const g = await gpu.createModel({ weights: new Uint8Array(4) });',
      '  const s = await spec.createModel();',
      '  const device: GPUDevice = g.device;',
      '  return (await m.run(x)).length + (await g.run(x)).length + (await s.run(x)).length + inputShape[0] + gpu.dispatchesPerInference + (device ? 0 : 1);',
      '}',
    ].join('\n'))).to.deep.equal([]);
    expect(check("import { createModel } from './tiny.onnx?target=wgsl';\nexport const n: number = createModel();\n").join(' ')).to.match(/Promise<WebGpuModel>/);
  });
});
