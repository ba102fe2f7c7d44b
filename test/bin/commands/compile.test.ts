// `snv2c compile` and `snv2c run --target c|wasm` end to end, as a user runs them: the output folder is complete
// or absent, errors are one line, the compiled model's logits match PyTorch's, and models with several inputs
// and outputs run with one --input / --output per tensor.

import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Model } from '../../../runtime/model-api.ts';
import { readNpy, writeNpy } from '../../../runtime/npy.ts';
import { buildModel } from '../../compiler/frontend/onnx/model-builder.ts';
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

  it('run --target c and --target wasm write every logit within tolerance of PyTorch and the reference interpreter', () => {
    const golden = readNpy(readFileSync(join(REPO, 'fixtures', fixture.files.output))).data;
    const logits = (target: string) => {
      const out = join(root, `logits-${target}.npy`);
      const r = cli(['run', modelPath, '--target', target, '--input', inputPath, '--output', out], cacheEnv);
      expect(r.code, r.stderr).to.equal(0);
      return readNpy(readFileSync(out)).data;
    };
    const reference = logits('reference');
    expect(reference.length).to.equal(golden.length);
    for (const target of ['c', 'wasm']) {
      const ours = logits(target);
      expect(maxAbsDiff(ours, golden), `${target} vs PyTorch`).to.be.at.most(manifest.tolerance.abs);
      expect(maxAbsDiff(ours, reference), `${target} vs reference`).to.be.at.most(manifest.tolerance.abs);
    }
  });

  it('run takes --input and --output once per graph input and output (two of each)', () => {
    const model = join(root, 'two-io.onnx');
    writeFileSync(model, buildModel({
      inputs: [{ name: 'a', shape: [2, 3] }, { name: 'b', shape: [3] }],
      nodes: [
        { op: 'Add', inputs: ['a', 'b'], outputs: ['sum'] },
        { op: 'Transpose', inputs: ['a'], outputs: ['t'], attrs: { perm: { ints: [1, 0] } } },
      ],
      outputs: ['t', 'sum'],
    }));
    const [a, b] = [Float32Array.of(1, 2, 3, 4, 5, 6), Float32Array.of(10, 20, 30)];
    writeFileSync(join(root, 'a.npy'), writeNpy([2, 3], a));
    writeFileSync(join(root, 'b.npy'), writeNpy([3], b));
    for (const target of ['reference', 'c', 'wasm']) {
      const [t, sum] = [join(root, `t-${target}.npy`), join(root, `sum-${target}.npy`)];
      const r = cli(['run', model, '--target', target, '--input', join(root, 'a.npy'), '--input', join(root, 'b.npy'), '--output', t, '--output', sum], cacheEnv);
      expect(r.code, r.stderr).to.equal(0);
      expect(Array.from(readNpy(readFileSync(t)).data), target).to.deep.equal([1, 4, 2, 5, 3, 6]);
      expect(Array.from(readNpy(readFileSync(sum)).data), target).to.deep.equal([11, 22, 33, 14, 25, 36]);
    }
    const one = cli(['run', model, '--input', join(root, 'a.npy')]);
    expect(one.code).to.equal(1);
    expect(one.stderr.trim().split('\n')).to.have.length(1);
    expect(one.stderr).to.match(/takes 2 input\(s\); give --input once per input \(got 1\)/);
  });
});
