// `snv2c bench` as users run it: one-line errors for bad counts and targets that cannot run here, the fixed
// --json schema, the qemu caveat for neon, and Ctrl-C leaving no process or temporary folder behind.

import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { oneLineFailure, ROOT, snv2c, snv2cWithEnv } from '../support/cli.ts';

const TINY = 'fixtures/tv_tiny_o17_folded/model.onnx';

describe('snv2c bench', function () {
  this.timeout(300000);

  it('rejects bad counts, unknown targets and missing tools in one line naming what to do', () => {
    expect(oneLineFailure(snv2c('bench', TINY, '--target', 'c', '--runs', '0'))).to.equal('snv2c: --runs must be a positive integer, got 0');
    expect(oneLineFailure(snv2c('bench', TINY, '--target', 'c', '--warmup', '-1'))).to.contain('--warmup must be a non-negative integer');
    expect(oneLineFailure(snv2c('bench', TINY, '--target', 'reference'))).to.contain('benchmarkable targets: c, neon, wasm, wgsl');
    expect(oneLineFailure(snv2cWithEnv({ CC: 'no-such-cc' }, 'bench', TINY, '--target', 'c'))).to.match(/target c cannot run on this machine: no C compiler .*install/);
    expect(oneLineFailure(snv2cWithEnv({ SNV2C_WASM_CC: 'no-such-clang' }, 'bench', TINY, '--target', 'wasm'))).to.match(/target wasm cannot run .*apt-get install clang lld/);
    expect(oneLineFailure(snv2c('bench', 'shufflenet_v2_x0_5', '--target', 'c', '--vs', 'onnxruntime'))).to.contain('--vs onnxruntime needs an .onnx model');
    expect(oneLineFailure(snv2c('bench', '--target', 'c'))).to.contain('give a model to bench');
    expect(oneLineFailure(snv2c('bench', TINY, '--target', 'c', '--guidelines'))).to.contain('--guidelines builds its own networks');
  });

  it('prints the fixed --json schema, with layers and byKind only under --profile', () => {
    const plain = snv2c('bench', TINY, '--target', 'c', '--runs', '3', '--warmup', '1', '--json');
    expect(plain.code, plain.stderr).to.equal(0);
    const doc = JSON.parse(plain.stdout);
    expect(Object.keys(doc)).to.deep.equal(['model', 'target', 'runs', 'minMs', 'medianMs', 'p90Ms', 'imagesPerSecond']);
    expect(doc).to.include({ model: TINY, target: 'c', runs: 3 });
    expect(doc.minMs).to.be.at.most(doc.medianMs).and.at.most(doc.p90Ms);
    const profiled = JSON.parse(snv2c('bench', TINY, '--target', 'c', '--runs', '2', '--warmup', '0', '--json', '--profile').stdout);
    expect(Object.keys(profiled)).to.deep.equal(['model', 'target', 'runs', 'minMs', 'medianMs', 'p90Ms', 'imagesPerSecond', 'layers', 'byKind']);
    expect(Object.keys(profiled.layers[0])).to.deep.equal(['name', 'op', 'ms', 'share', 'macs', 'gmacPerSecond', 'macBytes']);
    expect(profiled.byKind).to.have.property('data movement', 0);
  });

  it('analyze --html --profile --target c draws a measured time bar for every compute layer', () => {
    const dir = mkdtempSync(join(tmpdir(), 'snv2c-test-analyze-profile-'));
    try {
      const html = join(dir, 'report.html');
      const r = snv2c('analyze', TINY, '--html', html, '--profile', '--target', 'c', '--runs', '2');
      expect(r.code, r.stderr).to.equal(0);
      const page = readFileSync(html, 'utf8');
      const layers = JSON.parse(snv2c('analyze', TINY, '--json').stdout).layers.filter((l: { category: string }) => l.category !== 'view').length;
      // One bar per compute layer in the compiled-graph chart (the legend swatch is a <span>).
      expect(page.match(/<rect[^>]*fill="#2ca02c"/g)).to.have.length(layers);
      expect(page).to.contain('Time measured on target c: median of 2 runs');
      expect(oneLineFailure(snv2c('analyze', TINY, '--profile', '--target', 'c'))).to.contain('give --html FILE and --target T');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--threads 2 runs the C model on a thread pool and onnxruntime with two intra-op threads, outputs agreeing', () => {
    const r = snv2c('bench', TINY, '--target', 'c', '--runs', '2', '--warmup', '0', '--threads', '2', '--vs', 'onnxruntime');
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.contain('onnxruntime-node (2 threads)');
    expect(Number(/max \|diff\| of outputs (\S+)\)/.exec(r.stdout)![1])).to.be.below(1e-4);
    expect(snv2c('bench', TINY, '--target', 'wasm', '--runs', '1', '--warmup', '0', '--threads', '2').stdout).to.contain("snv2c's wasm build runs on one thread");
  });

  it('runs neon and says its times mean nothing under qemu, interleaved with onnxruntime', function () {
    if (process.arch === 'arm64') this.skip();
    const r = snv2c('bench', TINY, '--target', 'neon', '--runs', '2', '--warmup', '0', '--vs', 'onnxruntime');
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/note: neon runs under qemu-aarch64 .* not meaningful/);
    expect(r.stdout).to.match(/onnxruntime-node \(1 thread\).*max \|diff\| of outputs (\d\.\de-[0-9]+)/);
    const diff = Number(/max \|diff\| of outputs (\S+)\)/.exec(r.stdout)![1]);
    expect(diff).to.be.below(1e-4);
  });

  it('stops on Ctrl-C with exit code 130, leaving no harness process and no temporary folder', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'snv2c-test-sigint-'));
    const env = { ...process.env, TMPDIR: join(scratch, 'tmp'), SNV2C_CACHE_DIR: join(scratch, 'cache') };
    mkdirSync(env.TMPDIR, { recursive: true });
    const harnesses = () =>
      readdirSync('/proc')
        .filter((p) => /^\d+$/.test(p))
        .filter((p) => {
          try {
            return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(env.SNV2C_CACHE_DIR);
          } catch {
            return false;
          }
        });
    try {
      const child = spawn(process.execPath, [join(ROOT, 'bin/snv2c.mjs'), 'bench', TINY, '--target', 'c', '--runs', '100000000'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      // Wait until the harness runs (the benchmark is timing), then interrupt.
      for (let i = 0; i < 600 && harnesses().length === 0; i++) await new Promise((r) => setTimeout(r, 100));
      expect(harnesses(), 'the harness never started').to.not.be.empty;
      child.kill('SIGINT');
      expect(await exited, stderr).to.equal(130);
      expect(stderr).to.equal('snv2c: benchmark interrupted; nothing left running\n');
      for (let i = 0; i < 50 && harnesses().length; i++) await new Promise((r) => setTimeout(r, 100));
      expect(harnesses()).to.deep.equal([]);
      // (tsx keeps its own compile cache there: only our folders count.)
      expect(readdirSync(env.TMPDIR).filter((f) => f.startsWith('snv2c'))).to.deep.equal([]);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
