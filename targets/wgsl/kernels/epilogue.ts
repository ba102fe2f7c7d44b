// Conv epilogues in WGSL: each activation a conv can apply to its result (compiler/ir/types.ts Activation),
// written once for scalars and vec4s so every conv kernel and the standalone per-element kernel render the same
// formula (the interpreter's, compiler/interpreter/activation.ts, in f32). A residual add after the activation
// is the pointwise kernels' part (the only convs fuse-residual-add gives one).

import type { Activation } from '../../../compiler/ir/types.ts';

export type FloatType = 'f32' | 'vec4<f32>';

/** `v` (an identifier: it may be read twice) after `activation`, as WGSL of `type`. */
export function activate(activation: Activation, v: string, type: FloatType): string {
  const splat = (x: string) => (type === 'f32' ? x : `vec4<f32>(${x})`);
  switch (activation) {
    case 'none':
      return v;
    case 'relu':
      return `max(${v}, ${splat('0.0')})`;
    case 'relu6':
      return `min(max(${v}, ${splat('0.0')}), ${splat('6.0')})`;
    case 'sigmoid':
      return `1.0 / (1.0 + exp(-${v}))`;
    case 'hardSigmoid':
      return `min(max(${v} / 6.0 + 0.5, ${splat('0.0')}), ${splat('1.0')})`;
    case 'hardSwish':
      return `${v} * min(max(${v} / 6.0 + 0.5, ${splat('0.0')}), ${splat('1.0')})`;
  }
}
