// Warnings never break the one-line contract: a failing command prints only its error; a succeeding one prints
// its warnings afterwards; --verbose prints them as they happen (so before an error too).

import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildModel } from '../compiler/frontend/onnx/model-builder.ts';
import { oneLineFailure, snv2c } from '../support/cli.ts';

describe('snv2c warnings', function () {
  this.timeout(60000);
  let dir: string;
  let model: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'snv2c-warn-'));
    model = join(dir, 'pad.onnx');
    // A pad cannot become a view (route-channels warns that it copies), and the wgsl target cannot spell its
    // infinite value in WGSL (the command fails in one line).
    writeFileSync(model, buildModel({
      inputs: [{ name: 'x', shape: [1, 2, 3, 4] }],
      initializers: { pads: { dtype: 'i64', shape: [8], values: [0, 0, 0, 1, 0, 0, 0, 1] }, value: { dtype: 'f32', shape: [], values: [Infinity] } },
      nodes: [{ op: 'Pad', inputs: ['x', 'pads', 'value'], outputs: ['t'], name: '/stages/stages.1/Pad_1' }, { op: 'Relu', inputs: ['t'], outputs: ['y'] }],
      outputs: ['y'],
    }));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a failing compile prints the error alone, not the warning before it; the target names the node unmangled', () => {
    const line = oneLineFailure(snv2c('compile', model, '--target', 'wgsl', '-o', join(dir, 'out')));
    expect(line).to.not.contain('warning');
    expect(line).to.contain('node "/stages/stages.1/Pad_1" (Pad): wgsl target: pad parameter Infinity is not a finite number');
  });

  it('--verbose prints the warning as it happens, then the error', () => {
    const r = snv2c('compile', model, '--target', 'wgsl', '-o', join(dir, 'out'), '--verbose');
    expect(r.code).to.equal(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).to.have.length(2);
    expect(lines[0]).to.equal('warning: route-channels: 1 movement node(s) still copy data, e.g. node "/stages/stages.1/Pad_1" (Pad)');
    expect(lines[1]).to.match(/^snv2c: /);
  });

  it('a succeeding command prints its warnings after its work', () => {
    const r = snv2c('analyze', model);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.contain('compiled graph');
    expect(r.stderr).to.match(/^warning: route-channels: 1 movement node\(s\) still copy data.*\n$/);
  });
});
