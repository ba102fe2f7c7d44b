// `snv2c compile` and `snv2c run --target c|wasm` end to end, as a user runs them: the output folder is complete
// or absent, errors are one line, and the compiled model's answers match PyTorch's top classes.

import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Model } from '../../../runtime/model-api.ts';
import { readNpy } from '../../../runtime/npy.ts';
import { snv2cWithEnv } from '../../support/cli.ts';
import { manifest, maxAbsDiff, REPO, scratchDir } from '../../targets/c/support.ts';

const fixture = manifest.fixtures.find((f) => f.name.startsWith('tv_odd')) ?? manifest.fixtures[0];
const modelPath = join(REPO, 'fixtures', fixture.files.model);
const inputPath = join(REPO, 'fixtures', fixture.files.input);

const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => snv2cWithEnv(env, ...args);

describe('snv2c compile', function () {
  this.timeout(300_000);
  const root = scratchDir('compile-cli');
  const cacheEnv = { SNV2C_CACHE_DIR: join(root, 'cache') };
  after(() => rmSync(root, { recursive: true, force: true }));

  it('--target c writes the C, the header, the weights and a runnable <name>.js', async () => {
    const out = join(root, 'c');
    const r = cli(['compile', modelPath, '--target', 'c', '-o', out, '--name', 'odd']);
    expect(r.code, r.stderr).to.equal(0);
    expect(readdirSync(out).sort()).to.deep.equal(['odd.c', 'odd.d.ts', 'odd.h', 'odd.js', 'odd_weights.c', 'snv2c-runtime']);
    expect(readFileSync(join(out, 'odd.h'), 'utf8')).to.include('int odd_run(const float *input, float *output);');
    const emitted = (await import(pathToFileURL(join(out, 'odd.js')).href)) as { createModel(o: { cacheDir: string }): Promise<Model> };
    const model = await emitted.createModel({ cacheDir: cacheEnv.SNV2C_CACHE_DIR });
    try {
      const golden = readNpy(readFileSync(join(REPO, 'fixtures', fixture.files.output))).data;
      const logits = await model.run(readNpy(readFileSync(inputPath)).data as Float32Array);
      expect(maxAbsDiff(logits, golden)).to.be.at.most(manifest.tolerance.abs);
    } finally {
      model.dispose();
    }
  });

  it('leaves no output folder behind when the name is not a C identifier or the model is bad', () => {
    const out = join(root, 'bad');
    for (const args of [
      ['compile', modelPath, '--target', 'c', '-o', out, '--name', 'x*/y'],
      ['compile', join(REPO, 'fixtures', 'no-such.onnx'), '--target', 'c', '-o', out],
      ['compile', modelPath, '--target', 'fortran', '-o', out],
    ]) {
      const r = cli(args);
      expect(r.code, args.join(' ')).not.to.equal(0);
      expect(r.stderr.trim().split('\n'), r.stderr).to.have.length(1);
      expect(existsSync(out)).to.equal(false);
    }
  });

  it('run --target c and --target wasm print the same top classes as the reference interpreter', () => {
    const reference = cli(['run', modelPath, '--target', 'reference', '--input', inputPath]);
    expect(reference.code, reference.stderr).to.equal(0);
    for (const target of ['c', 'wasm']) {
      const r = cli(['run', modelPath, '--target', target, '--input', inputPath], cacheEnv);
      expect(r.code, r.stderr).to.equal(0);
      // Top-5 lines print 4 decimals: equal up to the last digit of float noise.
      const classes = (s: string) => [...s.matchAll(/(\d+) \(/g)].map((m) => m[1]);
      expect(classes(r.stdout), target).to.deep.equal(classes(reference.stdout));
    }
  });
});
