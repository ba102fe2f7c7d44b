// What a conv can apply in its epilogue (see Activation and conv2d's `residual` in types.ts), which standalone
// unary op each epilogue activation stands for, and what a target declares it renders.

import type { Activation, Op } from './types.ts';

/** The epilogues a target renders; fusion passes only create these. */
export interface EpilogueSupport {
  readonly activations: readonly Activation[];
  /** A residual add after the activation (pointwise convs). */
  readonly residual: boolean;
  /** A residual add fused into an element-wise mul (an SE block's x * gate followed by the shortcut add). */
  readonly scaleResidual?: boolean;
  /**
   * Whether a fused residual may be a graph input or output, a view of one, or a constant (default true). The
   * C kernels reach a residual only through the arena, so the C targets fuse just residuals the plan puts there.
   */
  readonly residualInCallerBuffers?: boolean;
}

export const ALL_EPILOGUES: EpilogueSupport = { activations: ['relu', 'relu6', 'sigmoid', 'hardSigmoid', 'hardSwish'], residual: true, scaleResidual: true };
/** What the C targets (c, neon, wasm) render: every activation, and a residual add when it lives in the arena. */
export const C_EPILOGUES: EpilogueSupport = { activations: ALL_EPILOGUES.activations, residual: true, residualInCallerBuffers: false };
/** What every target rendered before the paper's variants: a fused ReLU. */
export const RELU_EPILOGUE: EpilogueSupport = { activations: ['relu'], residual: false };

/** float32 parameters from a model file: 1/6 arrives as 0.16666667. */
const sameF32 = (a: number, b: number): boolean => Math.fround(a) === Math.fround(b);

/** The epilogue activation a standalone unary op equals exactly, if any (clip 0..6 is relu6, clip 0..inf relu). */
export function epilogueActivation(op: Op): Activation | undefined {
  switch (op.kind) {
    case 'relu':
      return 'relu';
    case 'sigmoid':
      return 'sigmoid';
    case 'hardSwish':
      return 'hardSwish';
    case 'hardSigmoid':
      return sameF32(op.alpha, 1 / 6) && sameF32(op.beta, 0.5) ? 'hardSigmoid' : undefined;
    case 'clip':
      if (op.min !== 0) return undefined;
      return op.max === 6 ? 'relu6' : op.max === Infinity ? 'relu' : undefined;
    default:
      return undefined;
  }
}
