// Checks an untrusted spec object the way torchvision's ShuffleNetV2 constructor does (3 repeats, 5 widths), plus
// what its code assumes without checking (positive integers, even stage widths so a unit's two branches are equal
// and chunk(2) splits evenly) and size limits that keep a typo from asking for terabytes. One line per problem.

import { CompileError, printable, quoteName } from '../../ir/errors.ts';
import type { ShuffleNetSpec, SpecActivation } from './shufflenet-spec.ts';
import { PLAIN_VARIANT } from './shufflenet-spec.ts';
import { stateDictLayout } from './state-dict-layout.ts';

export const SPEC_LIMITS = {
  maxRepeats: 64,
  maxChannels: 16384,
  maxClasses: 100_000,
  maxBatch: 1024,
  maxSide: 8192,
  /** Elements of the largest activation (conv1's output) and of all parameters together. */
  maxElements: 1 << 28,
} as const;

const FIELDS = ['arch', 'stages_repeats', 'stages_out_channels', 'num_classes', 'input_shape', 'se', 'residual', 'extra_dw', 'activation'];
const ACTIVATIONS: readonly SpecActivation[] = ['relu', 'hswish'];

export function validateSpec(raw: unknown, file: string, inputShapeOverride?: readonly number[]): ShuffleNetSpec {
  const fail: (reason: string) => never = (reason) => {
    throw new CompileError(reason, { file });
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail('spec must be a JSON object');
  const spec = raw as Record<string, unknown>;
  for (const key of Object.keys(spec)) {
    if (!FIELDS.includes(key)) fail(`unknown spec field ${quoteName(key)} (expected ${FIELDS.join(', ')})`);
  }
  if (spec.arch !== undefined && spec.arch !== 'shufflenet_v2') fail(`arch must be "shufflenet_v2", got ${show(spec.arch)}`);

  const intList = (field: string, value: unknown, length: number, max: number, what: string): number[] => {
    if (!Array.isArray(value) || value.length !== length) fail(`${field} must be a list of ${length} ${what}, got ${show(value)}`);
    (value as unknown[]).forEach((v, i) => {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > max) fail(`${field}[${i}] must be an integer in 1..${max}, got ${show(v)}`);
    });
    return value as number[];
  };
  const int = (field: string, value: unknown, max: number): number => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) fail(`${field} must be an integer in 1..${max}, got ${show(value)}`);
    return value as number;
  };

  if (spec.stages_repeats === undefined) fail('spec lacks stages_repeats (a list of 3 positive integers)');
  if (spec.stages_out_channels === undefined) fail('spec lacks stages_out_channels (a list of 5 positive integers)');
  const repeats = intList('stages_repeats', spec.stages_repeats, 3, SPEC_LIMITS.maxRepeats, 'positive integers');
  const widths = intList('stages_out_channels', spec.stages_out_channels, 5, SPEC_LIMITS.maxChannels, 'positive integers');
  for (let i = 1; i <= 3; i++) {
    if (widths[i] % 2) fail(`stages_out_channels[${i}] = ${widths[i]} must be even: each unit of stage${i + 1} concatenates two branches of ${widths[i]}/2 channels`);
  }
  const flag = (field: 'se' | 'residual' | 'extra_dw'): boolean => {
    const value = spec[field] ?? PLAIN_VARIANT[field];
    if (typeof value !== 'boolean') fail(`${field} must be true or false, got ${show(value)}`);
    return value as boolean;
  };
  const activation = spec.activation ?? PLAIN_VARIANT.activation;
  if (!ACTIVATIONS.includes(activation as SpecActivation)) fail(`activation must be one of ${ACTIVATIONS.map((a) => `"${a}"`).join(', ')}, got ${show(activation)}`);
  const numClasses = spec.num_classes === undefined ? 1000 : int('num_classes', spec.num_classes, SPEC_LIMITS.maxClasses);

  const shapeSource = inputShapeOverride ? 'input shape' : 'input_shape';
  const shape = intList(shapeSource, inputShapeOverride ?? spec.input_shape ?? [1, 3, 224, 224], 4, SPEC_LIMITS.maxSide, 'positive integers [N, 3, H, W]');
  if (shape[1] !== 3) fail(`${shapeSource} must have 3 channels ([N, 3, H, W]), got [${shape.join(', ')}]`);
  if (shape[0] > SPEC_LIMITS.maxBatch) fail(`${shapeSource} batch ${shape[0]} is above the limit of ${SPEC_LIMITS.maxBatch}`);
  const conv1Elements = shape[0] * widths[0] * Math.ceil(shape[2] / 2) * Math.ceil(shape[3] / 2);
  if (conv1Elements > SPEC_LIMITS.maxElements) fail(`${shapeSource} [${shape.join(', ')}] with ${widths[0]} conv1 channels needs ${conv1Elements} elements for one activation, above the limit of ${SPEC_LIMITS.maxElements}`);

  const result: ShuffleNetSpec = {
    arch: 'shufflenet_v2',
    stages_repeats: [repeats[0], repeats[1], repeats[2]],
    stages_out_channels: [widths[0], widths[1], widths[2], widths[3], widths[4]],
    num_classes: numClasses,
    input_shape: [shape[0], shape[1], shape[2], shape[3]],
    se: flag('se'),
    residual: flag('residual'),
    extra_dw: flag('extra_dw'),
    activation: activation as SpecActivation,
  };
  const params = learnedParamCount(result);
  if (params > SPEC_LIMITS.maxElements) fail(`spec needs ${params} parameters, above the limit of ${SPEC_LIMITS.maxElements}`);
  return result;
}

/** Trainable parameters (conv and fc weights and biases, BN scale and shift), as torchvision's num_params counts. */
export function learnedParamCount(spec: ShuffleNetSpec): number {
  const statistics = new Set(['bnMean', 'bnVar']);
  return stateDictLayout(spec).reduce((total, slot) => (statistics.has(slot.role) ? total : total + slot.shape.reduce((a, b) => a * b, 1)), 0);
}

function show(v: unknown): string {
  return printable(JSON.stringify(v) ?? String(v));
}
