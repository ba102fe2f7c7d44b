// `snv2c analyze` end to end through the real command line.

import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { snv2c } from '../support/cli.ts';

describe('snv2c analyze', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'snv2c-analyze-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('--json on the x1.0 built-in: torchvision figures, zero copies, arena within 1.05x of its bound; --html writes the page', () => {
    const html = join(dir, 'report.html');
    const r = snv2c('analyze', 'shufflenet_v2_x1_0', '--json', '--html', html);
    expect(r.code, r.stderr).to.equal(0);
    const report = JSON.parse(r.stdout);
    const t = report.totals;
    expect(Math.abs(t.macs / 144.9e6 - 1)).to.be.below(0.005);
    expect(t.params).to.equal(2_278_604);
    expect(t.movedBytes).to.equal(0);
    expect(report.before.totals.movedBytes).to.be.above(0);
    expect(t.arenaBytes).to.be.at.most(1.05 * t.arenaLowerBoundBytes);
    expect(t.arenaBytes).to.be.below(t.activationBytes);
    expect(t.macBytes).to.be.below(report.before.totals.macBytes);
    for (const layer of report.layers) expect(layer).to.include.keys('name', 'op', 'macs', 'params', 'macBytes', 'guidelines');
    expect(report.after.guidelines.map((g: { id: string }) => g.id)).to.deep.equal(['G1', 'G2', 'G3', 'G4']);
    const page = readFileSync(html, 'utf8');
    expect(page).to.match(/^<!DOCTYPE html>/);
    expect(page).to.include('<svg');
  });

  it('--json on the BN-preserved x0.5 ONNX export counts parameters as PyTorch does', () => {
    const r = snv2c('analyze', 'fixtures/tv_x0_5_224_o13_bn/model.onnx', '--json');
    expect(r.code, r.stderr).to.equal(0);
    const t = JSON.parse(r.stdout).totals;
    expect(t.params).to.equal(1_366_792);
    expect(Math.abs(t.macs / 40.5e6 - 1)).to.be.below(0.005);
    expect(t.movedBytes).to.equal(0);
  });

  it('--target c reports the arena compile prints and the header declares, kernel scratch on its own line', () => {
    const r = snv2c('analyze', 'shufflenet_v2_x0_5', '--target', 'c');
    expect(r.code, r.stderr).to.equal(0);
    const arena = Number(/arena .* \((\d+) B\): activations \+ kernel scratch/.exec(r.stdout)?.[1]);
    const [planned, scratch] = [/activations [^(]*\((\d+) B\)/, /kernel scratch [^(]*\((\d+) B\)/].map((re) => Number(re.exec(r.stdout)?.[1]));
    expect(scratch).to.be.greaterThan(0);
    expect(arena).to.equal(planned + scratch);
    const out = join(dir, 'x05c');
    const c = snv2c('compile', 'shufflenet_v2_x0_5', '--target', 'c', '--name', 'net', '-o', out);
    expect(c.code, c.stderr).to.equal(0);
    expect(c.stdout + c.stderr).to.include(`arena ${arena} bytes`);
    expect(readFileSync(join(out, 'net.h'), 'utf8')).to.include(`#define NET_ARENA_BYTES ${arena}\n`);
    // Without a target the scratch is not known, and the report says so instead of a number.
    const plain = snv2c('analyze', 'shufflenet_v2_x0_5');
    expect(plain.stdout).to.include('kernel scratch not counted');
  });

  it('prints a table with the findings by default, and one error line for a bad model', () => {
    const r = snv2c('analyze', 'shufflenet_v2_x0_5', '--input-shape', '2x3x96x96');
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.include('input 2x3x96x96');
    for (const word of ['G1', 'G2', 'G3', 'G4', 'arena', 'conv5']) expect(r.stdout).to.include(word);
    const bad = snv2c('analyze', join(dir, 'missing.onnx'));
    expect(bad.code).to.equal(1);
    expect(bad.stderr.trim().split('\n')).to.have.length(1);
  });
});
