// `compile --golden`: the self-tests users run in their CI must pass on the model they were made for and FAIL
// when run against another model's code of the same shape (tv_tiny_o13_bn and megvii_tiny_o13_bn: both
// 1x3x64x64 -> 10 classes, different architecture and weights). C under gcc and clang, NEON under qemu-aarch64,
// wasm and wgsl through the emitted `<name>.test.js` (node:test), and `snv2c verify`.

import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { compile, writeArtifacts } from '../../../api/index.ts';
import { goldenCount } from '../../../api/golden/golden-artifacts.ts';
import { CompileError } from '../../../compiler/ir/errors.ts';
import { oneLineFailure, ROOT, snv2c } from '../../support/cli.ts';

const MODEL = join(ROOT, 'fixtures/tv_tiny_o13_bn/model.onnx');
const OTHER = join(ROOT, 'fixtures/megvii_tiny_o13_bn/model.onnx');

function run(command: string, args: readonly string[], cwd: string): { code: number; out: string } {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

/** Compiles `model` for `target` into `dir` with 2 golden cases (library API, as the CLI does). */
async function compileInto(dir: string, model: string, target: string): Promise<void> {
  const result = await compile(model, { target, golden: 2, warn: () => undefined });
  await writeArtifacts(dir, result.artifacts);
}

/** MODEL and OTHER compiled for `target` into `<scratch>/<target>-own` and `-other`. */
async function compiledPair(scratch: string, target: string): Promise<{ own: string; other: string }> {
  const pair = { own: join(scratch, `${target}-own`), other: join(scratch, `${target}-other`) };
  await compileInto(pair.own, MODEL, target);
  await compileInto(pair.other, OTHER, target);
  return pair;
}

/**
 * A folder holding `other`'s code (already compiled there) with `own`'s self-test and golden files: the
 * self-test must fail. For C the selftest source is swapped; for JS targets golden/ and the test file.
 */
function mismatched(scratch: string, own: string, other: string, files: readonly string[]): string {
  const dir = join(scratch, `mismatch-${files.join('-').replace(/[^a-z]/gi, '')}`);
  cpSync(other, dir, { recursive: true });
  for (const f of files) {
    rmSync(join(dir, f), { recursive: true, force: true });
    cpSync(join(own, f), join(dir, f), { recursive: true });
  }
  return dir;
}

describe('golden self-tests (compile --golden)', function () {
  this.timeout(300000);
  // Inside the repository, so the emitted modules resolve `webgpu` from its node_modules.
  let scratch: string;
  before(() => {
    mkdirSync(join(ROOT, 'tmp'), { recursive: true });
    scratch = mkdtempSync(join(ROOT, 'tmp', 'golden-'));
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('golden counts: true means 3, a bad count is a one-line invalid-input error', () => {
    expect(goldenCount(true)).to.equal(3);
    expect(goldenCount(undefined)).to.equal(0);
    expect(goldenCount(5)).to.equal(5);
    for (const bad of [0, -1, 2.5, NaN, 101]) expect(() => goldenCount(bad)).to.throw(CompileError, /whole number of cases/);
  });

  describe('C (gcc and clang) and snv2c verify', () => {
    let own: string;
    let other: string;
    before(async () => ({ own, other } = await compiledPair(scratch, 'c')));

    it('writes golden/ (2 cases, manifest with tolerance) and model_selftest.c, byte-identical on recompilation', async () => {
      expect(readdirSync(join(own, 'golden')).sort()).to.deep.equal(['input_0.npy', 'input_1.npy', 'manifest.json', 'output_0.npy', 'output_1.npy']);
      const manifest = JSON.parse(readFileSync(join(own, 'golden/manifest.json'), 'utf8'));
      expect(manifest).to.include({ model: 'model', target: 'c' });
      expect(manifest.input_shape).to.deep.equal([1, 3, 64, 64]);
      expect(manifest.tolerance.abs).to.be.within(1e-6, 1e-3);
      const again = join(scratch, 'c-again');
      await compileInto(again, MODEL, 'c');
      for (const f of ['model_selftest.c', 'golden/manifest.json', 'golden/input_1.npy', 'golden/output_1.npy']) {
        expect(readFileSync(join(again, f)).equals(readFileSync(join(own, f))), f).to.equal(true);
      }
    });

    for (const cc of ['gcc', 'clang']) {
      it(`${cc}: "cc -O2 *.c -o selftest" passes (warning-free under -std=c99 -Wall -Wextra -Werror -pedantic)`, () => {
        const build = run('sh', ['-c', `${cc} -std=c99 -Wall -Wextra -Werror -pedantic -O2 *.c -o selftest-${cc}`], own);
        expect(build.code, build.out).to.equal(0);
        const r = run(`./selftest-${cc}`, [], own);
        expect(r.code, r.out).to.equal(0);
        expect(r.out).to.match(/^case 0: max abs diff .*\ncase 1: max abs diff .*\nmodel: PASS, max abs diff \S+ over 2 golden cases/);
      });

      it(`${cc}: the self-test linked against another model's code of the same shape FAILS`, () => {
        const dir = mismatched(scratch, own, other, ['model_selftest.c']);
        const build = run('sh', ['-c', `${cc} -O2 *.c -o selftest`], dir);
        expect(build.code, build.out).to.equal(0);
        const r = run('./selftest', [], dir);
        expect(r.code, r.out).to.equal(1);
        expect(r.out).to.match(/model: FAIL, max abs diff/);
      });
    }

    it('snv2c verify passes on the folder and fails (one line, exit 1) with another model\'s golden files', () => {
      const ok = snv2c('verify', own);
      expect(ok.code, ok.stderr).to.equal(0);
      expect(ok.stdout).to.match(/model \(c\): PASS, max abs diff \S+ over 2 golden cases/);
      const bad = snv2c('verify', mismatched(scratch, own, other, ['golden']));
      expect(bad.code).to.equal(1);
      expect(bad.stdout).to.match(/^input_0\.npy: max abs diff \S+\ninput_1\.npy: max abs diff \S+\n$/);
      expect(bad.stderr).to.match(/^snv2c: .*: model \(c\) does not reproduce its golden outputs: max abs diff \S+ over 2 golden cases \(tolerance \S+\)\n$/);
      expect(oneLineFailure(snv2c('verify', scratch))).to.match(/golden\/manifest.json: cannot read file: no such file/);
    });
  });

  describe('NEON under qemu-aarch64', () => {
    let own: string;
    let other: string;
    before(async () => ({ own, other } = await compiledPair(scratch, 'neon')));

    const crossRun = (dir: string) => {
      const build = run('sh', ['-c', 'aarch64-linux-gnu-gcc -std=c99 -Wall -Wextra -Werror -O2 *.c -o selftest'], dir);
      expect(build.code, build.out).to.equal(0);
      return run('qemu-aarch64', ['-L', '/usr/aarch64-linux-gnu', './selftest'], dir);
    };

    it('passes on its own code', () => {
      const r = crossRun(own);
      expect(r.code, r.out).to.equal(0);
      expect(r.out).to.match(/model: PASS/);
    });

    it("fails against another model's code", () => {
      const r = crossRun(mismatched(scratch, own, other, ['model_selftest.c']));
      expect(r.code, r.out).to.equal(1);
      expect(r.out).to.match(/model: FAIL/);
    });
  });

  for (const target of ['wasm', 'wgsl']) {
    describe(`${target}: model.test.js (node --test)`, () => {
      let own: string;
      let other: string;
      before(async () => ({ own, other } = await compiledPair(scratch, target)));

      it('imports ./model.js and passes', () => {
        expect(readFileSync(join(own, 'model.test.js'), 'utf8')).to.contain("from './model.js'");
        const r = run(process.execPath, ['--test'], own);
        expect(r.code, r.out).to.equal(0);
        expect(r.out).to.match(/input_1\.npy: max abs diff \S+ \(tolerance/);
        expect(r.out).to.match(/# pass 1/);
      });

      it("fails against another model's code", () => {
        const dir = mismatched(scratch, own, other, ['golden', 'model.test.js']);
        const r = run(process.execPath, ['--test'], dir);
        expect(r.code, r.out).to.equal(1);
        expect(r.out).to.match(/exceeds/);
      });
    });
  }

  it('the CLI writes them with a bare --golden (3 cases)', () => {
    const dir = join(scratch, 'cli');
    const r = snv2c('compile', MODEL, '--target', 'c', '-o', dir, '--golden');
    expect(r.code, r.stderr).to.equal(0);
    expect(readdirSync(join(dir, 'golden')).filter((f) => f.startsWith('output_'))).to.have.length(3);
    expect(readdirSync(dir)).to.include('model_selftest.c');
  });
});
