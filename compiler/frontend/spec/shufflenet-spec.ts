// The ShuffleNetV2 architecture as data: what torchvision's ShuffleNetV2(stages_repeats, stages_out_channels,
// num_classes) takes, plus the fixed input shape the compiler specialises for. Built-in names expand to the widths of
// torchvision's shufflenet_v2_x0_5 ... x2_0.

import { CompileError, quoteName } from '../../ir/errors.ts';

export interface ShuffleNetSpec {
  readonly arch: 'shufflenet_v2';
  /** Units per stage (stage2, stage3, stage4); the first unit of each has stride 2. */
  readonly stages_repeats: readonly [number, number, number];
  /** conv1, stage2, stage3, stage4, conv5 output channels. */
  readonly stages_out_channels: readonly [number, number, number, number, number];
  readonly num_classes: number;
  /** [N, 3, H, W]. */
  readonly input_shape: readonly [number, number, number, number];
  // The paper's variants and ShuffleNetV2+ (all off / relu in torchvision's network); README "Spec variants".
  /** A squeeze-and-excitation block at the end of every branch2. */
  readonly se: boolean;
  /** Stride-1 units add branch2's input to its output (after the SE block). */
  readonly residual: boolean;
  /** ShuffleNet v2*: an extra 3x3 depthwise conv + BN at the start of every branch2. */
  readonly extra_dw: boolean;
  /** Where torchvision has a ReLU; 'hswish' also makes the SE gate a hard sigmoid (ShuffleNetV2+). */
  readonly activation: SpecActivation;
}

export type SpecActivation = 'relu' | 'hswish';

/** The variant fields of torchvision's own network. */
export const PLAIN_VARIANT = { se: false, residual: false, extra_dw: false, activation: 'relu' } as const;

const TORCHVISION_REPEATS = [4, 8, 4] as const;
const DEFAULT_INPUT = [1, 3, 224, 224] as const;

function builtin(widths: ShuffleNetSpec['stages_out_channels']): ShuffleNetSpec {
  return { arch: 'shufflenet_v2', stages_repeats: TORCHVISION_REPEATS, stages_out_channels: widths, num_classes: 1000, input_shape: DEFAULT_INPUT, ...PLAIN_VARIANT };
}

export const BUILTIN_SPECS: Readonly<Record<string, ShuffleNetSpec>> = {
  shufflenet_v2_x0_5: builtin([24, 48, 96, 192, 1024]),
  shufflenet_v2_x1_0: builtin([24, 116, 232, 464, 1024]),
  shufflenet_v2_x1_5: builtin([24, 176, 352, 704, 1024]),
  shufflenet_v2_x2_0: builtin([24, 244, 488, 976, 2048]),
};

export function isBuiltinSpecName(name: string): boolean {
  return Object.hasOwn(BUILTIN_SPECS, name);
}

/**
 * A built-in name, or the text of a JSON spec file, to the (not yet validated) spec object.
 * `file` names the source in error messages.
 */
export function resolveSpec(nameOrJson: string, file = 'spec'): unknown {
  const trimmed = nameOrJson.trim();
  if (isBuiltinSpecName(trimmed)) return structuredClone(BUILTIN_SPECS[trimmed]);
  if (!trimmed.startsWith('{')) {
    throw new CompileError(`unknown model ${quoteName(trimmed)}: expected a spec JSON object or one of ${Object.keys(BUILTIN_SPECS).join(', ')}`, { file });
  }
  try {
    return JSON.parse(trimmed) as unknown;
  } catch (e) {
    throw new CompileError(`spec is not valid JSON (${e instanceof Error ? e.message : String(e)})`, { file });
  }
}
