// Unary activations, standalone (relu, sigmoid, hardSigmoid, hardSwish, clip) and as conv epilogues: one scalar
// definition of each, shared by both so a fused conv and the unfused pair cannot disagree. Evaluated in double
// precision and rounded to f32 once. Comparisons are written so that NaN passes through, as in onnxruntime.

import type { Activation, UnaryOp } from '../ir/types.ts';
import type { Tensor } from './tensor.ts';
import { allocate } from './tensor.ts';

type Scalar = (v: number) => number;

/** ONNX Clip: min(max(v, lo), hi), so lo > hi gives hi everywhere; Math.max/min keep NaN. */
const clamp = (v: number, lo: number, hi: number): number => Math.min(Math.max(v, lo), hi);
const relu: Scalar = (v) => (v < 0 ? 0 : v);
const sigmoid: Scalar = (v) => 1 / (1 + Math.exp(-v));
const hardSigmoidOf = (alpha: number, beta: number): Scalar => (v) => clamp(alpha * v + beta, 0, 1);
const torchHardSigmoid = hardSigmoidOf(1 / 6, 0.5);
const hardSwish: Scalar = (v) => v * torchHardSigmoid(v);

export function unaryScalar(op: UnaryOp): Scalar {
  switch (op.kind) {
    case 'relu':
      return relu;
    case 'sigmoid':
      return sigmoid;
    case 'hardSigmoid':
      return hardSigmoidOf(op.alpha, op.beta);
    case 'hardSwish':
      return hardSwish;
    case 'clip':
      return (v) => clamp(v, op.min, op.max);
  }
}

/** The scalar function of a conv epilogue; undefined for 'none'. */
export function activationScalar(activation: Activation): Scalar | undefined {
  switch (activation) {
    case 'none':
      return undefined;
    case 'relu':
      return relu;
    case 'relu6':
      return (v) => clamp(v, 0, 6);
    case 'sigmoid':
      return sigmoid;
    case 'hardSigmoid':
      return torchHardSigmoid;
    case 'hardSwish':
      return hardSwish;
  }
}

export function unary(op: UnaryOp, x: Tensor): Tensor {
  const f = unaryScalar(op);
  const out = allocate(x.type);
  const xd = x.data;
  const yd = out.data;
  for (let i = 0; i < xd.length; i++) yd[i] = f(xd[i]);
  return out;
}
