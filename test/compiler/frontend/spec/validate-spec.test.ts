// Spec validation: the checks torchvision's ShuffleNetV2 makes (3 repeats, 5 widths) and the ones its code relies on.

import { expect } from 'chai';
import { CompileError } from '../../../../compiler/ir/errors.ts';
import { resolveSpec } from '../../../../compiler/frontend/spec/shufflenet-spec.ts';
import { validateSpec } from '../../../../compiler/frontend/spec/validate-spec.ts';

const GOOD = { arch: 'shufflenet_v2', stages_repeats: [2, 3, 2], stages_out_channels: [8, 12, 20, 36, 64], num_classes: 10, input_shape: [1, 3, 64, 64] };

function errorOf(raw: unknown, inputShape?: number[]): string {
  try {
    validateSpec(raw, 'my-spec.json', inputShape);
  } catch (e) {
    expect(e).to.be.instanceOf(CompileError);
    const message = (e as Error).message;
    expect(message).to.match(/^my-spec\.json: /).and.not.contain('\n');
    return message;
  }
  return expect.fail('expected a CompileError');
}

describe('spec validation', () => {
  it('accepts a full spec and fills num_classes, input_shape and variant defaults', () => {
    const plain = { se: false, residual: false, extra_dw: false, activation: 'relu' };
    expect(validateSpec(GOOD, 'f')).to.deep.equal({ ...GOOD, ...plain });
    const variant = { se: true, residual: true, extra_dw: true, activation: 'hswish' };
    expect(validateSpec({ ...GOOD, ...variant }, 'f')).to.deep.equal({ ...GOOD, ...variant });
    const { num_classes: _n, input_shape: _s, arch: _a, ...bare } = GOOD;
    expect(validateSpec(bare, 'f')).to.deep.include({ num_classes: 1000, input_shape: [1, 3, 224, 224], arch: 'shufflenet_v2' });
    expect(validateSpec(GOOD, 'f', [2, 3, 32, 48]).input_shape).to.deep.equal([2, 3, 32, 48]);
  });

  const cases: [string, unknown, string][] = [
    ['not an object', [1, 2], 'spec must be a JSON object'],
    ['wrong arch', { ...GOOD, arch: 'resnet50' }, 'arch must be "shufflenet_v2"'],
    ['unknown field (typo)', { ...GOOD, stage_repeats: [1, 1, 1] }, 'unknown spec field "stage_repeats"'],
    ['missing repeats', { stages_out_channels: GOOD.stages_out_channels }, 'lacks stages_repeats'],
    ['2 repeats', { ...GOOD, stages_repeats: [4, 8] }, 'stages_repeats must be a list of 3'],
    ['4 widths', { ...GOOD, stages_out_channels: [24, 48, 96, 192] }, 'stages_out_channels must be a list of 5'],
    ['zero repeat', { ...GOOD, stages_repeats: [4, 0, 4] }, 'stages_repeats[1] must be an integer in 1..64, got 0'],
    ['fractional width', { ...GOOD, stages_out_channels: [24, 48.5, 96, 192, 1024] }, 'stages_out_channels[1] must be an integer'],
    ['string width', { ...GOOD, stages_out_channels: [24, '48', 96, 192, 1024] }, 'stages_out_channels[1] must be an integer'],
    ['odd stage width', { ...GOOD, stages_out_channels: [24, 48, 97, 192, 1024] }, 'stages_out_channels[2] = 97 must be even'],
    ['absurd width', { ...GOOD, stages_out_channels: [24, 48, 96, 1e9, 1024] }, 'stages_out_channels[3] must be an integer in 1..16384'],
    ['absurd repeats', { ...GOOD, stages_repeats: [4, 1e6, 4] }, 'stages_repeats[1] must be an integer in 1..64'],
    ['zero classes', { ...GOOD, num_classes: 0 }, 'num_classes must be an integer in 1..100000'],
    ['grey input', { ...GOOD, input_shape: [1, 1, 224, 224] }, 'input_shape must have 3 channels'],
    ['3-d input', { ...GOOD, input_shape: [3, 224, 224] }, 'input_shape must be a list of 4'],
    ['zero side', { ...GOOD, input_shape: [1, 3, 0, 224] }, 'input_shape[2] must be an integer in 1..8192'],
    ['huge batch', { ...GOOD, input_shape: [100000, 3, 224, 224] }, 'input_shape[0] must be an integer in 1..8192'],
    ['huge activation', { ...GOOD, input_shape: [1000, 3, 4096, 4096] }, 'elements for one activation'],
    ['non-boolean se', { ...GOOD, se: 'yes' }, 'se must be true or false, got "yes"'],
    ['non-boolean extra_dw', { ...GOOD, extra_dw: 1 }, 'extra_dw must be true or false, got 1'],
    ['unknown activation', { ...GOOD, activation: 'gelu' }, 'activation must be one of "relu", "hswish", got "gelu"'],
    ['too many parameters', { ...GOOD, stages_out_channels: [24, 16384, 16384, 16384, 16384], stages_repeats: [64, 64, 64] }, 'parameters, above the limit'],
  ];
  for (const [what, raw, message] of cases) {
    it(`refuses ${what}`, () => expect(errorOf(raw)).to.contain(message));
  }

  it('checks an input shape given on the command line too', () => {
    expect(errorOf(GOOD, [1, 4, 64, 64])).to.contain('input shape must have 3 channels');
  });

  it('escapes hostile field names in messages', () => {
    expect(errorOf({ ...GOOD, 'evil\nname\u0007': 1 })).to.contain('unknown spec field "evil\\nname\\u0007"');
  });

  it('resolves built-in names and JSON text; refuses anything else clearly', () => {
    expect(resolveSpec('shufflenet_v2_x1_5')).to.deep.include({ stages_out_channels: [24, 176, 352, 704, 1024], stages_repeats: [4, 8, 4] });
    expect(resolveSpec(JSON.stringify(GOOD), 'g.json')).to.deep.equal(GOOD);
    expect(() => resolveSpec('shufflenet_v2_x3_0')).to.throw(CompileError, 'unknown model "shufflenet_v2_x3_0"');
    expect(() => resolveSpec('{"arch": ', 'g.json')).to.throw(CompileError, /^g\.json: spec is not valid JSON/);
  });
});
