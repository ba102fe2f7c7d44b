// The graph the spec frontend builds: torchvision's parameter counts, the op structure of ShuffleNetV2 counted by
// hand from the paper/torchvision code, the shuffle pattern the passes look for, and weight-key diagnostics.

import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { importSpec, resolveSpec } from '../../../../compiler/frontend/spec/import-spec.ts';
import { learnedParamCount, validateSpec } from '../../../../compiler/frontend/spec/validate-spec.ts';
import { loadWeights } from '../../../../compiler/frontend/weights/load-weights.ts';
import { CompileError } from '../../../../compiler/ir/errors.ts';
import type { Graph, Node, OpKind } from '../../../../compiler/ir/types.ts';
import { numel } from '../../../../compiler/ir/types.ts';

/** Learned parameters as torch counts them: conv/fc weights and biases, BN weight and bias (not running stats). */
function learnedParams(g: Graph): number {
  const learned = (n: Node): number[] => (n.op.kind === 'conv2d' || n.op.kind === 'gemm' ? n.inputs.slice(1) : n.op.kind === 'batchNorm' ? n.inputs.slice(1, 3) : []);
  const ids = new Set(g.nodes.flatMap(learned));
  let total = 0;
  for (const id of ids) total += numel(g.values.get(id)!.type.shape);
  return total;
}

function countOps(g: Graph): Partial<Record<OpKind, number>> {
  const counts: Partial<Record<OpKind, number>> = {};
  for (const n of g.nodes) counts[n.op.kind] = (counts[n.op.kind] ?? 0) + 1;
  return counts;
}

const TINY_SPEC = JSON.parse(readFileSync('fixtures/weights/tiny/spec.json', 'utf8')) as unknown;

describe('spec import', () => {
  // torchvision 0.14 ShuffleNet_V2_*_Weights meta["num_params"].
  const TORCHVISION_PARAMS: [string, number][] = [['shufflenet_v2_x0_5', 1366792], ['shufflenet_v2_x1_0', 2278604], ['shufflenet_v2_x1_5', 3503624], ['shufflenet_v2_x2_0', 7393996]];
  for (const [name, params] of TORCHVISION_PARAMS) {
    it(`${name} without weights has torchvision's ${params} learned parameters`, () => {
      expect(learnedParams(importSpec(name, { file: name }))).to.equal(params);
    });
  }

  it('learnedParamCount (the size check before building) agrees with the built graph, variants included', () => {
    for (const [name] of TORCHVISION_PARAMS) expect(learnedParamCount(validateSpec(resolveSpec(name), name))).to.equal(learnedParams(importSpec(name, { file: name })));
    const variant = { ...(TINY_SPEC as object), se: true, residual: true, extra_dw: true };
    expect(learnedParamCount(validateSpec(variant, 'v'))).to.equal(learnedParams(importSpec(variant, { file: 'v' })));
  });

  it('variant options add SE blocks, residual adds, v2* depthwise convs and h-swish (counted by hand)', () => {
    // TINY: repeats 2, 3, 2 -> 3 stride-2 units and 4 stride-1 units. Plain: 29 convs each with a BN, 19 ReLUs
    // (conv1, conv5, 3 per stride-2 unit, 2 per stride-1 unit). SE: per unit pool, 2 biased convs, ReLU, gate,
    // mul. Residual: one add per stride-1 unit. v2*: one depthwise conv + BN per unit.
    const g = importSpec({ ...(TINY_SPEC as object), se: true, residual: true, extra_dw: true, activation: 'hswish' }, { file: 'v' });
    const counts = countOps(g);
    expect(counts).to.deep.include({ conv2d: 29 + 14 + 7, batchNorm: 29 + 7, hardSwish: 19, relu: 7, hardSigmoid: 7, globalAvgPool: 7, binary: 7 + 4 });
    expect(counts.sigmoid).to.equal(undefined);
    const se = g.nodes.find((n) => n.origin === 'stage3.1.branch2.10.fc1')!;
    // With extra_dw the SE block is branch2.10; its convs carry the state_dict's weight and bias keys.
    expect(se.inputs.slice(1).map((id) => g.values.get(id)!.name)).to.deep.equal(['stage3.1.branch2.10.fc1.weight', 'stage3.1.branch2.10.fc1.bias']);
    expect(g.nodes.find((n) => n.origin === 'stage3.1.branch2.0')!.op).to.deep.include({ kind: 'conv2d', groups: 10, kernel: [3, 3] });
    expect(countOps(importSpec({ ...(TINY_SPEC as object), se: true }, { file: 'v' })).sigmoid).to.equal(7);
  });

  it('builds the torchvision op structure for x0.5 (repeats 4, 8, 4)', () => {
    const g = importSpec('shufflenet_v2_x0_5', { file: 'x0.5' });
    // 16 units: 3 stride-2 units (5 convs, 5 BN, 3 relu) + 13 stride-1 units (3 convs, 3 BN, 2 relu, 1 split);
    // plus conv1 and conv5 (conv + BN + relu each); every unit ends in concat + reshape/transpose/reshape.
    expect(countOps(g)).to.deep.equal({ conv2d: 56, batchNorm: 56, relu: 37, maxPool: 1, split: 13, concat: 16, reshape: 32, transpose: 16, reduceMean: 1, gemm: 1 });
    expect(g.values.get(g.inputs[0])!.type.shape).to.deep.equal([1, 3, 224, 224]);
    expect(g.values.get(g.outputs[0])!.type.shape).to.deep.equal([1, 1000]);
  });

  it('uses torchvision module names as origins and attributes as torchvision sets them', () => {
    const g = importSpec(TINY_SPEC, { file: 'tiny' });
    const byOrigin = new Map(g.nodes.map((n) => [n.origin, n]));
    const dw = byOrigin.get('stage2.0.branch2.3')!;
    expect(dw.op).to.deep.equal({ kind: 'conv2d', kernel: [3, 3], stride: [2, 2], pads: [1, 1, 1, 1], dilations: [1, 1], groups: 6, activation: 'none' });
    expect(g.values.get(dw.inputs[1])!.name).to.equal('stage2.0.branch2.3.weight');
    expect(byOrigin.get('stage3.1.branch2.3')!.op).to.deep.include({ stride: [1, 1], groups: 10 });
    expect(byOrigin.get('stage2.0.branch1.0')!.op).to.deep.include({ stride: [2, 2], groups: 8 });
    expect(byOrigin.get('conv1.0')!.op).to.deep.include({ kernel: [3, 3], stride: [2, 2], pads: [1, 1, 1, 1], groups: 1 });
    expect(byOrigin.get('conv1.1')!.op).to.deep.equal({ kind: 'batchNorm', epsilon: 1e-5 });
    expect(byOrigin.get('maxpool')!.op).to.deep.equal({ kind: 'maxPool', kernel: [3, 3], stride: [2, 2], pads: [1, 1, 1, 1], ceilMode: false });
    expect(byOrigin.get('mean')!.op).to.deep.equal({ kind: 'reduceMean', axes: [2, 3], keepDims: false });
    expect(byOrigin.get('fc')!.op).to.deep.equal({ kind: 'gemm', transA: false, transB: true, alpha: 1, beta: 1 });
    expect(byOrigin.get('stage4.1.chunk')!.op).to.deep.equal({ kind: 'split', axis: 1, sizes: [18, 18] });
  });

  it('spells each channel shuffle as reshape [N,2,C/2,H,W], transpose [0,2,1,3,4], reshape [N,C,H,W] after the concat', () => {
    const g = importSpec(TINY_SPEC, { file: 'tiny', inputShape: [2, 3, 64, 64] });
    const kinds = g.nodes.map((n) => n.op.kind);
    const first = kinds.indexOf('concat');
    const [cat, view, swap, flat] = g.nodes.slice(first, first + 4);
    const shape = (id: number) => g.values.get(id)!.type.shape;
    expect(shape(cat.outputs[0])).to.deep.equal([2, 12, 8, 8]); // 64 -> conv1 32 -> maxpool 16 -> stage2 8
    expect(view.op).to.deep.equal({ kind: 'reshape', shape: [2, 2, 6, 8, 8] });
    expect(swap.op).to.deep.equal({ kind: 'transpose', perm: [0, 2, 1, 3, 4] });
    expect(flat.op).to.deep.equal({ kind: 'reshape', shape: [2, 12, 8, 8] });
    expect([view.inputs[0], swap.inputs[0], flat.inputs[0]]).to.deep.equal([cat.outputs[0], view.outputs[0], swap.outputs[0]]);
    expect(cat.origin).to.equal('stage2.0.cat');
  });

  it('initialises deterministically from the seed when no weights are given', () => {
    const weightOf = (g: Graph) => [...g.values.values()].find((v) => v.name === 'stage3.0.branch2.5.weight')!.data!;
    const a = weightOf(importSpec(TINY_SPEC, { file: 't', seed: 7 }));
    expect(weightOf(importSpec(TINY_SPEC, { file: 't', seed: 7 }))).to.deep.equal(a);
    expect(weightOf(importSpec(TINY_SPEC, { file: 't', seed: 8 }))).to.not.deep.equal(a);
  });

  it('lists every missing, unexpected and wrongly shaped key in one line (fixtures/bad/mismatched_keys.pth)', () => {
    const file = 'fixtures/bad/mismatched_keys.pth';
    const weights = loadWeights(readFileSync(file), file);
    let message = '';
    try {
      importSpec(TINY_SPEC, { file: 'spec.json', weights, weightsFile: file });
    } catch (e) {
      expect(e).to.be.instanceOf(CompileError);
      message = (e as Error).message;
    }
    expect(message).to.match(/^fixtures\/bad\/mismatched_keys\.pth: weights do not match the spec/).and.not.contain('\n');
    expect(message).to.contain('missing 1 key(s): "fc.weight"');
    expect(message).to.contain('"conv5.0.weight" expected [64,36,1,1] found [64,37,1,1]');
    expect(message).to.contain('unexpected 1 key(s): "extra_head.weight"');
  });

  it('points at the nn.DataParallel prefix when every key carries it', () => {
    const file = 'fixtures/weights/tiny/state_dict.pth';
    const prefixed = new Map([...loadWeights(readFileSync(file), file)].map(([k, t]) => [`module.${k}`, t]));
    expect(() => importSpec(TINY_SPEC, { file: 'spec.json', weights: prefixed })).to.throw(CompileError, "'module.' prefix");
  });

  it('refuses x0.5 weights for a x1.0 spec, summarising the many shape mismatches', () => {
    const file = 'fixtures/weights/x0_5/state_dict.pth';
    const weights = loadWeights(readFileSync(file), file);
    expect(() => importSpec('shufflenet_v2_x1_0', { file: 'x1.0', weights, weightsFile: file })).to.throw(CompileError, /wrong shape for \d+ key\(s\): .*\(\d+ more\)$/);
  });
});
