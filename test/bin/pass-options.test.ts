// The compiler-pass flags on the command line: --disable-pass really skips a pass, --dump-after prints the IR
// to stderr (never into --json on stdout), --time-passes reports every pass, and a wrong name is one line.

import { expect } from 'chai';
import { oneLineFailure, snv2c } from '../support/cli.ts';

// BatchNormalization nodes are kept in this export, so skipping fold-batchnorm leaves them in the graph.
const MODEL = 'fixtures/tv_tiny_o13_bn/model.onnx';

const opsOf = (stdout: string): string[] => (JSON.parse(stdout).layers as { op: string }[]).map((l) => l.op);

describe('snv2c pass flags', function () {
  this.timeout(120_000);

  it('--disable-pass fold-batchnorm keeps the batchNorm layers that the full pipeline folds away', () => {
    const full = snv2c('analyze', MODEL, '--json');
    expect(full.code, full.stderr).to.equal(0);
    expect(opsOf(full.stdout)).to.not.include('batchNorm');
    const skipped = snv2c('analyze', MODEL, '--json', '--disable-pass', 'fold-batchnorm');
    expect(skipped.code, skipped.stderr).to.equal(0);
    expect(opsOf(skipped.stdout)).to.include('batchNorm');
  });

  it('--dump-after and --time-passes write to stderr and leave the JSON on stdout intact', () => {
    const r = snv2c('analyze', MODEL, '--json', '--dump-after', 'fold-batchnorm', '--time-passes');
    expect(r.code, r.stderr).to.equal(0);
    expect(() => JSON.parse(r.stdout)).to.not.throw();
    expect(r.stderr).to.include('// IR after fold-batchnorm');
    expect(r.stderr).to.match(/= conv2d \{/);
    expect(r.stderr).to.not.match(/= batchNorm/);
    for (const pass of ['fold-constants', 'recognise-channel-shuffle', 'route-channels']) expect(r.stderr).to.match(new RegExp(`time-passes: ${pass}\\s`));
  });

  it('an unknown pass name is a one-line error listing the valid names', () => {
    const line = oneLineFailure(snv2c('compile', MODEL, '--target', 'c', '-o', '/tmp/snv2c-never-written', '--disable-pass', 'fold-everything'));
    expect(line).to.include('fold-everything').and.include('fold-batchnorm');
  });
});
