import { expect } from 'chai';
import { CompileError } from '../../compiler/ir/errors.ts';
import { GraphBuilder } from '../../compiler/ir/graph-builder.ts';
import type { Graph } from '../../compiler/ir/types.ts';
import type { Pass } from '../../compiler/passes/pass.ts';
import { PASS_NAMES, runPipeline } from '../../compiler/pipeline.ts';
import { randomInput, shuffleNetLike } from './passes/shufflenet-like.ts';
import { expectSameFunction, kindCounts, snapshot } from './passes/support.ts';

const quiet = { log: () => {}, warn: () => {} };

function captured(opts: Parameters<typeof runPipeline>[1] = {}, graph = shuffleNetLike(11)): { lines: string[]; result: Graph } {
  const lines: string[] = [];
  const result = runPipeline(graph, { ...quiet, ...opts, log: (l) => lines.push(l) });
  return { lines, result };
}

/** A pass that claims the first conv's output has another shape: the verifier must stop it. */
const breakConvType: Pass = {
  name: 'break-conv-type',
  run(graph) {
    const conv = graph.nodes.find((n) => n.op.kind === 'conv2d')!;
    const v = graph.values.get(conv.outputs[0])!;
    const values = new Map(graph.values);
    values.set(v.id, { ...v, type: { dtype: 'f32', shape: [...v.type.shape.slice(0, 3), v.type.shape[3] + 1] } });
    return { ...graph, values };
  },
};

/** A pass that forgets a node whose result is still read. */
const dropFirstNode: Pass = { name: 'drop-first-node', run: (graph) => ({ ...graph, nodes: graph.nodes.slice(1) }) };

describe('runPipeline', () => {
  it('exposes the pass names the CLI accepts, in order', () => {
    expect(PASS_NAMES).to.deep.equal([
      'fold-constants',
      'remove-identities',
      'recognise-channel-shuffle',
      'fold-batchnorm',
      'recognise-hard-activations',
      'fuse-activations',
      'fuse-residual-add',
      'fuse-scale-add',
      'route-channels',
      'canonicalise-dense',
      'classify-convs',
      'eliminate-dead-code',
    ]);
  });

  it('preserves the function, leaves its input alone, and leaves no BN, relu or non-view movement', () => {
    const graph = shuffleNetLike(5);
    const shot = snapshot(graph);
    const { result } = captured({}, graph);
    expect(snapshot(graph)).to.equal(shot);
    expectSameFunction(graph, result, randomInput(graph, 5));
    const counts = kindCounts(result);
    expect(counts).to.not.have.any.keys('batchNorm', 'relu', 'transpose', 'gather', 'slice', 'identity');
  });

  it('skips disabled passes', () => {
    const graph = shuffleNetLike(5);
    const { result } = captured({ disable: ['fold-batchnorm'] }, graph);
    expect(kindCounts(result).batchNorm).to.be.greaterThan(0);
    expectSameFunction(graph, result, randomInput(graph, 5));
  });

  it('rejects unknown pass names with the list of valid ones', () => {
    for (const opts of [{ disable: ['fold-bn'] }, { dumpAfter: ['nope'] }]) {
      expect(() => runPipeline(shuffleNetLike(1), { ...quiet, ...opts }))
        .to.throw(CompileError)
        .with.property('message')
        .that.matches(/unknown pass .*valid passes: fold-constants, remove-identities, .*eliminate-dead-code$/);
    }
  });

  it('dumps the IR after the named passes, or after all', () => {
    const one = captured({ dumpAfter: ['fold-batchnorm'] });
    expect(one.lines).to.have.length(1);
    expect(one.lines[0]).to.match(/^\/\/ IR after fold-batchnorm\ninput %0: f32\[/);
    expect(one.lines[0]).to.not.match(/= batchNorm/);
    expect(one.lines[0]).to.match(/= relu/);
    const all = captured({ dumpAfter: 'all' });
    expect(all.lines).to.have.length(PASS_NAMES.length);
    all.lines.forEach((l, i) => expect(l.split('\n')[0]).to.match(new RegExp(`^// IR after ${PASS_NAMES[i]}( \\(unchanged\\))?$`)));
    // The BN-preserving random graph has no constant expression to fold.
    expect(all.lines[0].split('\n')[0]).to.equal('// IR after fold-constants (unchanged)');
  });

  it('times every pass and the total', () => {
    const { lines } = captured({ timePasses: true });
    expect(lines).to.have.length(PASS_NAMES.length + 1);
    PASS_NAMES.forEach((name, i) => expect(lines[i]).to.match(new RegExp(`^time-passes: ${name} +\\d+\\.\\d\\d ms`)));
    expect(lines[PASS_NAMES.length]).to.match(/^time-passes: total +\d+\.\d\d ms$/);
  });

  it('runs extra passes last, accepts their names, and verifies after them', () => {
    const seen: string[] = [];
    const spy: Pass = { name: 'spy', run: (g) => (seen.push('spy'), g) };
    captured({ extraPasses: [spy] });
    expect(seen).to.deep.equal(['spy']);
    captured({ extraPasses: [spy], disable: ['spy'] });
    expect(seen).to.deep.equal(['spy']);
    expect(() => captured({ extraPasses: [breakConvType] })).to.throw(CompileError, /IR verification failed after break-conv-type: output .* typed f32\[/);
    expect(() => captured({ extraPasses: [dropFirstNode] })).to.throw(CompileError, /IR verification failed after drop-first-node: input .* is used before it is defined/);
  });
});
