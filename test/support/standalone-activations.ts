// The standalone unary op each conv-epilogue activation stands for (the inverse of compiler/ir/conv-epilogue.ts
// epilogueActivation): tests build the unfused form of a fused conv from it.

import type { Activation, UnaryOp } from '../../compiler/ir/types.ts';

export const STANDALONE_ACTIVATIONS: Readonly<Record<Exclude<Activation, 'none'>, UnaryOp>> = {
  relu: { kind: 'relu' },
  relu6: { kind: 'clip', min: 0, max: 6 },
  sigmoid: { kind: 'sigmoid' },
  hardSigmoid: { kind: 'hardSigmoid', alpha: 1 / 6, beta: 0.5 },
  hardSwish: { kind: 'hardSwish' },
};
