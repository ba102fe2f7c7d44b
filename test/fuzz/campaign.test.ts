// A short seeded fuzz campaign over every input format (the full 10,000-case campaigns are `npm run fuzz`), and
// the judge that decides what counts as a finding.

import { expect } from 'chai';
import { runCampaign } from '../../fuzz/campaign.ts';
import { FORMATS } from '../../fuzz/formats/index.ts';
import { judgeError } from '../../fuzz/run-case.ts';
import { CompileError } from '../../compiler/ir/errors.ts';

describe('fuzz: seeded campaigns end in success or a one-line error naming the file', function () {
  this.timeout(600_000);
  for (const format of Object.keys(FORMATS)) {
    const iterations = format === 'graph' ? 3 : 60;
    it(`${format}: ${iterations} cases, no crash, hang or out-of-memory`, async () => {
      const result = await runCampaign(format, 20261129, iterations);
      expect(result.problems.map((p) => `${p.kind} #${p.iteration} (${p.mutation}): ${p.message}`)).to.deep.equal([]);
      expect(result.counts.ok + result.counts.refused).to.equal(iterations);
      // A campaign where everything is refused tests only the first check of each reader.
      if (format !== 'graph') expect(result.counts.ok, 'some mutated inputs are still valid').to.be.above(0);
    });
  }

  it('judges: clean refusals pass; crashes, internal errors, multi-line and anonymous errors are findings', () => {
    expect(judgeError(new CompileError('bad dims', { file: 'fuzz.onnx' }), 'onnx').verdict).to.equal('refused');
    expect(judgeError(new TypeError('x is undefined'), 'onnx').verdict).to.equal('finding');
    expect(judgeError(new CompileError('oops', { file: 'fuzz.onnx', kind: 'internal' }), 'onnx').verdict).to.equal('finding');
    expect(judgeError(new CompileError('bad dims'), 'onnx').verdict).to.equal('finding');
    const twoLines = new CompileError('x', { file: 'fuzz.onnx' });
    Object.defineProperty(twoLines, 'message', { value: 'fuzz.onnx: a\nb' });
    expect(judgeError(twoLines, 'onnx').verdict).to.equal('finding');
    expect(judgeError(new CompileError('refused', { file: 'fuzz.onnx' }), 'graph').verdict, 'valid graphs must compile').to.equal('finding');
  });
});
