// The snv2c command line as users run it: `node bin/snv2c.mjs ...` in a child process. Good runs are checked
// against PyTorch's outputs from the fixtures; bad input must give exit code 1, exactly one stderr line,
// and no output file.

import { expect } from 'chai';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readNpy } from '../../runtime/npy.ts';
import { oneLineFailure, ROOT, snv2c, snv2cWithEnv } from '../support/cli.ts';

const FIXTURES = join(ROOT, 'fixtures');
const fixture = (p: string) => join(FIXTURES, p);


function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).to.equal(b.length);
  return a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i])), 0);
}

describe('snv2c CLI', function () {
  this.timeout(60000);
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'snv2c-cli-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('run --target reference writes an .npy matching PyTorch', async () => {
    const out = join(dir, 'out.npy');
    const r = await snv2c('run', fixture('tv_tiny_o13_bn/model.onnx'), '--target', 'reference', '--input', fixture('tv_tiny_o13_bn/input.npy'), '--output', out);
    expect(r.code, r.stderr).to.equal(0);
    const ours = readNpy(readFileSync(out));
    const golden = readNpy(readFileSync(fixture('tv_tiny_o13_bn/output.npy')));
    expect(ours.shape).to.deep.equal(golden.shape);
    expect(maxAbsDiff(ours.data, golden.data)).to.be.at.most(1e-4);
    expect(readdirSync(dir)).to.deep.equal(['out.npy']); // no temp file left behind
  });

  it('run reads raw .f32 with --input-shape (fixing a dynamic batch) and writes .f32', async () => {
    const input = readNpy(readFileSync(fixture('tv_tiny_o11_folded_dyn/input.npy')));
    const golden = readNpy(readFileSync(fixture('tv_tiny_o11_folded_dyn/output.npy')));
    const raw = join(dir, 'in.f32');
    writeFileSync(raw, Buffer.from(input.data.buffer, input.data.byteOffset, input.data.byteLength));
    const out = join(dir, 'out.f32');
    const r = await snv2c('run', fixture('tv_tiny_o11_folded_dyn/model.onnx'), '--input', raw, '--input-shape', input.shape.join('x'), '--output', out);
    expect(r.code, r.stderr).to.equal(0);
    const bytes = readFileSync(out);
    expect(maxAbsDiff(new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)), golden.data)).to.be.at.most(1e-4);
  });

  it('run without --output prints the top classes of each batch row', async () => {
    const manifest = JSON.parse(readFileSync(fixture('manifest.json'), 'utf8')) as { fixtures: { name: string; top1: number[] }[] };
    const seed = manifest.fixtures.find((f) => f.name === 'seed_tiny_o15_bn_dyn')!;
    const r = await snv2c('run', fixture('seed_tiny_o15_bn_dyn/model.onnx'), '--input', fixture('seed_tiny_o15_bn_dyn/input.npy'));
    expect(r.code, r.stderr).to.equal(0);
    const rows = r.stdout.trim().split('\n');
    expect(rows).to.have.length(seed.top1.length);
    rows.forEach((row, i) => {
      expect(row).to.match(new RegExp(`^row ${i}: ${seed.top1[i]} \\(-?\\d+\\.\\d{4}\\)(, \\d+ \\(-?\\d+\\.\\d{4}\\)){4}$`));
    });
  });

  it('run accepts a float64 .npy input by converting it', async () => {
    // The fixture input widened to '<f8' (exactly representable), with a hand-written v1 header.
    const input = readNpy(readFileSync(fixture('tv_tiny_o13_bn/input.npy')));
    const header = `{'descr': '<f8', 'fortran_order': False, 'shape': (${input.shape.join(', ')}), }`.padEnd(117, ' ') + '\n';
    const bytes = Buffer.alloc(10 + header.length + input.data.length * 8);
    bytes.write('\x93NUMPY\x01\x00', 'latin1');
    bytes.writeUInt16LE(header.length, 8);
    bytes.write(header, 10, 'latin1');
    input.data.forEach((x, i) => bytes.writeDoubleLE(x, 10 + header.length + 8 * i));
    const f64 = join(dir, 'in64.npy');
    writeFileSync(f64, bytes);
    const out = join(dir, 'f64.npy');
    const r = await snv2c('run', fixture('tv_tiny_o13_bn/model.onnx'), '--input', f64, '--output', out);
    expect(r.code, r.stderr).to.equal(0);
    expect(maxAbsDiff(readNpy(readFileSync(out)).data, readNpy(readFileSync(fixture('tv_tiny_o13_bn/output.npy'))).data)).to.be.at.most(1e-4);
  });

  it('run and inspect a spec model with PyTorch weights', async () => {
    const out = join(dir, 'spec.npy');
    const r = await snv2c('run', fixture('weights/tiny/spec.json'), '--weights', fixture('weights/tiny/state_dict.pth'), '--input', fixture('weights/tiny/input.npy'), '--output', out);
    expect(r.code, r.stderr).to.equal(0);
    expect(maxAbsDiff(readNpy(readFileSync(out)).data, readNpy(readFileSync(fixture('weights/tiny/output.npy'))).data)).to.be.at.most(1e-4);
  });

  it('inspect prints the IR', async () => {
    const r = await snv2c('inspect', fixture('tv_tiny_o11_folded_dyn/model.onnx'), '--input-shape', '4x3x48x40', '--no-constants');
    expect(r.code, r.stderr).to.equal(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).to.equal('input %0: f32[4x3x48x40] "input"');
    expect(lines[1]).to.match(/^%1: f32\[4x\d+x24x20\] = conv2d \{kernel=\[3,3\] stride=\[2,2\]/);
    expect(lines.at(-1)).to.match(/^output %\d+$/);
    expect(r.stdout).not.to.match(/^const /m);
  });

  const bad: [string, string[], RegExp][] = [
    ['a truncated model', ['bad/truncated.onnx'], /^snv2c: \S*bad\/truncated\.onnx: not a valid ONNX model/],
    ['unsupported ops', ['bad/unsupported_ops.onnx'], /"\/conv1\/conv1\.2\/Relu" \(Celu\), "\/stage2\/stage2\.0\/branch1\/branch1\.4\/Relu" \(LRN\)$/],
    ['a wrong-sized input', ['tv_tiny_o13_bn/model.onnx', '--input', 'bad/wrong_size_input.npy'], /bad\/wrong_size_input\.npy: holds shape \[1,3,60,60\] but the model expects \[1,3,64,64\]$/],
    ['a truncated input', ['tv_tiny_o13_bn/model.onnx', '--input', 'bad/truncated_input.npy'], /bad\/truncated_input\.npy: holds 24512 data bytes/],
    ['an unknown target', ['tv_tiny_o13_bn/model.onnx', '--target', 'fpga'], /^snv2c: unknown target "fpga"; available: reference \(/],
    ['a missing input', ['tv_tiny_o13_bn/model.onnx', '--input', 'tv_tiny_o13_bn/none.f32'], /none\.f32: cannot read file: no such file$/],
    ['a missing model', ['nothing.onnx'], /nothing\.onnx: cannot read file: no such file$/],
    ['an unknown model format', ['model.tflite'], /model\.tflite: cannot tell the model format/],
    ['a bad --input-shape', ['tv_tiny_o13_bn/model.onnx', '--input-shape', '1x3x-4'], /--input-shape must look like 1x3x224x224/],
  ];
  for (const [what, args, pattern] of bad) {
    it(`run with ${what}: exit 1, one line, no output file`, async () => {
      const out = join(dir, `bad-${what.replace(/\W+/g, '-')}.npy`);
      const [model, ...rest] = args;
      const withInput = rest.includes('--input') ? rest : [...rest, '--input', 'tv_tiny_o13_bn/input.npy'];
      const resolved = withInput.map((a, i) => (withInput[i - 1] === '--input' ? fixture(a) : a));
      const modelPath = model.includes('/') ? fixture(model) : model;
      const line = oneLineFailure(await snv2c('run', modelPath, ...resolved, '--output', out));
      expect(line).to.match(pattern);
      expect(existsSync(out)).to.equal(false);
    });
  }

  it('a raw .f32 input needs --input-shape', async () => {
    const raw = join(dir, 'x.f32');
    writeFileSync(raw, new Uint8Array(16));
    expect(oneLineFailure(await snv2c('run', fixture('tv_tiny_o13_bn/model.onnx'), '--input', raw))).to.match(/x\.f32: a raw \.f32 file has no shape: give --input-shape NxCxHxW$/);
  });

  it('an unwritable output location fails cleanly', async () => {
    const out = join(dir, 'missing-dir', 'out.npy');
    const line = oneLineFailure(await snv2c('run', fixture('tv_tiny_o13_bn/model.onnx'), '--input', fixture('tv_tiny_o13_bn/input.npy'), '--output', out));
    expect(line).to.match(/out\.npy: cannot write output: ENOENT$/);
  });

  it('run on a target this machine cannot start says what to install, as the user\'s setup and not a bug', async () => {
    const line = oneLineFailure(await snv2cWithEnv({ CC: 'no-such-cc' }, 'run', fixture('tv_tiny_o13_bn/model.onnx'), '--input', fixture('tv_tiny_o13_bn/input.npy'), '--target', 'c'));
    expect(line).to.match(/^snv2c: target c cannot run on this machine: cannot run C compiler "no-such-cc" .*install it: apt-get install gcc/);
    expect(line).not.to.contain('internal error');
  });

  it('run --target wgsl lets nothing from Dawn reach stderr, on success or failure', async () => {
    const ok = await snv2c('run', fixture('tv_tiny_o13_bn/model.onnx'), '--input', fixture('tv_tiny_o13_bn/input.npy'), '--target', 'wgsl');
    expect(ok.code, ok.stderr).to.equal(0);
    expect(ok.stderr).to.equal('');
    expect(ok.stdout).to.match(/^row 0: /);
    const bad = await snv2c('run', fixture('tv_tiny_o13_bn/model.onnx'), '--input', fixture('tv_tiny_o13_bn/input.npy'), '--target=wgsl', '--input-shape', '1x3x2x2');
    expect(oneLineFailure(bad)).to.match(/^snv2c: /);
  });

  it('usage mistakes are one line too', async () => {
    expect(oneLineFailure(await snv2c('run', fixture('tv_tiny_o13_bn/model.onnx')))).to.equal('snv2c: Missing required argument: input (see snv2c --help)');
    expect(oneLineFailure(await snv2c('frobnicate'))).to.equal('snv2c: Unknown argument: frobnicate (see snv2c --help)');
  });
});
