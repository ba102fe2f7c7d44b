// The emitted `<name>.js` + `.d.ts` as users consume them: imported by plain Node ESM (no TypeScript loader in
// the process), and bundled for a browser without dragging in Node-only modules.

import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { compile } from '../../../api/index.ts';
import { fixtureTensors, manifest, maxAbsDiff, REPO, scratchDir, writeArtifacts } from '../c/support.ts';

const fixture = manifest.fixtures.find((f) => f.name === 'tv_tiny_o13_bn')!;
const modelPath = join(REPO, 'fixtures', fixture.files.model);

/** Runs `script` with bare Node: no tsx import, no inherited NODE_OPTIONS. */
function plainNode(dir: string, script: string): { code: number | null; stdout: string; stderr: string } {
  writeFileSync(join(dir, 'main.mjs'), script);
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const r = spawnSync(process.execPath, ['main.mjs'], { cwd: dir, encoding: 'utf8', env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('emitted modules: plain JavaScript', function () {
  this.timeout(300_000);
  const root = scratchDir('emitted-module');
  after(() => rmSync(root, { recursive: true, force: true }));

  it('every target writes <name>.js + <name>.d.ts and its runtime as .js + .d.ts, no .ts sources', async () => {
    for (const target of ['c', 'wgsl']) {
      const { artifacts } = await compile(modelPath, { target, name: 'net', warn: () => undefined });
      const paths = artifacts.map((a) => a.path);
      expect(paths, target).to.include.members(['net.js', 'net.d.ts', 'snv2c-runtime/model-api.js', 'snv2c-runtime/model-api.d.ts']);
      expect(paths.filter((p) => /\.ts$/.test(p) && !p.endsWith('.d.ts')), target).to.deep.equal([]);
      for (const p of paths.filter((p) => p.startsWith('snv2c-runtime/') && p.endsWith('.js'))) {
        expect(paths, `${target}: declarations of ${p}`).to.include(p.replace(/\.js$/, '.d.ts'));
      }
    }
  });

  it('wasm: `import { createModel } from "./out/net.js"` runs in bare Node and matches PyTorch', async () => {
    const { artifacts } = await compile(modelPath, { target: 'wasm', name: 'net', warn: () => undefined });
    const dir = join(root, 'wasm');
    writeArtifacts(join(dir, 'out'), artifacts);
    const { input, golden } = fixtureTensors(fixture);
    writeFileSync(join(dir, 'input.f32'), new Uint8Array(input.buffer, input.byteOffset, input.byteLength));
    const r = plainNode(dir, [
      "import { readFileSync } from 'node:fs';",
      "import { createModel, inputShape, outputShape } from './out/net.js';",
      'const model = await createModel();',
      "const bytes = readFileSync('input.f32');",
      'const output = await model.run(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4));',
      'model.dispose();',
      'console.log(JSON.stringify({ inputShape, outputShape, modelShape: model.outputShape, output: Array.from(output) }));',
      '',
    ].join('\n'));
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stderr, 'no warnings').to.equal('');
    const result = JSON.parse(r.stdout) as { inputShape: number[]; outputShape: number[]; modelShape: number[]; output: number[] };
    expect(result.inputShape).to.deep.equal(fixture.input_shape);
    expect(result.outputShape).to.deep.equal(fixture.output_shape);
    expect(result.modelShape).to.deep.equal(fixture.output_shape);
    expect(maxAbsDiff(result.output, golden), 'max |plain Node - PyTorch|').to.be.at.most(manifest.tolerance.abs);
  });

  for (const target of ['wasm', 'wgsl']) {
    it(`${target}: the module bundles for the browser with no Node-only import left in the bundle's static graph`, async () => {
      const { artifacts } = await compile(modelPath, { target, name: 'net', warn: () => undefined });
      const dir = join(root, `bundle-${target}`);
      writeArtifacts(dir, artifacts);
      writeFileSync(join(dir, 'page.js'), "import { createModel } from './net.js';\nglobalThis.model = createModel;\n");
      const result = await build({ entryPoints: [join(dir, 'page.js')], bundle: true, format: 'esm', platform: 'browser', write: false, logLevel: 'silent', metafile: true });
      expect(result.errors).to.deep.equal([]);
      const imported = Object.values(result.metafile.inputs).flatMap((i) => i.imports.map((x) => x.path));
      expect(imported.filter((p) => p.startsWith('node:') || ['fs', 'child_process', 'webgpu'].includes(p))).to.deep.equal([]);
      expect(result.outputFiles[0].text).to.include('createModel');
    });
  }
});
