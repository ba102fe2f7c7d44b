// Executes one IR op on concrete tensors: the reference semantics every pass and target is checked against.
// Output types always come from shape inference, so the interpreter and the compiler cannot disagree on shapes.
// Outputs may share their buffer with an input (reshape, identity): treat every tensor as immutable.

import { CompileError } from '../ir/errors.ts';
import { inferOutputTypes } from '../ir/shape-inference.ts';
import type { Op, OpKind, Value } from '../ir/types.ts';
import { numel } from '../ir/types.ts';
import { conv2d } from './conv.ts';
import { unary } from './activation.ts';
import { batchNorm, binary } from './elementwise.ts';
import { dense, gemm, matMul } from './matmul.ts';
import { channelShuffle, concat, gather, pad, slice, split, transpose } from './movement.ts';
import { avgPool, maxPool } from './pool.ts';
import { globalAvgPool, reduceMean } from './reduce.ts';
import type { Tensor } from './tensor.ts';

export type { Tensor } from './tensor.ts';

/** [min, max] number of inputs per op kind. */
const ARITY: Record<OpKind, readonly [number, number]> = {
  conv2d: [2, 4],
  batchNorm: [5, 5],
  relu: [1, 1],
  sigmoid: [1, 1],
  hardSigmoid: [1, 1],
  hardSwish: [1, 1],
  clip: [1, 1],
  maxPool: [1, 1],
  avgPool: [1, 1],
  globalAvgPool: [1, 1],
  reduceMean: [1, 1],
  gemm: [2, 3],
  matMul: [2, 2],
  dense: [2, 3],
  binary: [2, 3],
  reshape: [1, 1],
  transpose: [1, 1],
  split: [1, 1],
  slice: [1, 1],
  concat: [1, Infinity],
  gather: [2, 2],
  pad: [1, 1],
  identity: [1, 1],
  channelShuffle: [1, 1],
};

function checkInputs(op: Op, inputs: readonly Tensor[]): void {
  const [min, max] = ARITY[op.kind];
  if (inputs.length < min || inputs.length > max) throw new CompileError(`${op.kind} takes ${min === max ? min : `${min} to ${max}`} inputs, got ${inputs.length}`);
  inputs.forEach((t, i) => {
    if (t.data.length !== numel(t.type.shape)) throw new CompileError(`${op.kind} input ${i} holds ${t.data.length} elements, shape [${t.type.shape.join(',')}] needs ${numel(t.type.shape)}`);
    if ((t.type.dtype === 'f32') !== t.data instanceof Float32Array) throw new CompileError(`${op.kind} input ${i} data does not match dtype ${t.type.dtype}`);
  });
}

export function evalOp(op: Op, inputs: readonly Tensor[]): Tensor[] {
  checkInputs(op, inputs);
  const asValues: Value[] = inputs.map((t, i) => ({ id: i, name: `input ${i}`, type: t.type, data: t.data }));
  const types = inferOutputTypes(op, asValues);
  const [x] = inputs;
  switch (op.kind) {
    case 'conv2d':
      return [conv2d(op, x, inputs[1], inputs[2], inputs[3], types[0])];
    case 'batchNorm':
      return [batchNorm(op, inputs)];
    case 'relu':
    case 'sigmoid':
    case 'hardSigmoid':
    case 'hardSwish':
    case 'clip':
      return [unary(op, x)];
    case 'maxPool':
      return [maxPool(op, x, types[0])];
    case 'avgPool':
      return [avgPool(op, x, types[0])];
    case 'globalAvgPool':
      return [globalAvgPool(x, types[0])];
    case 'reduceMean':
      return [reduceMean(op, x, types[0])];
    case 'gemm':
      return [gemm(op, x, inputs[1], inputs[2], types[0])];
    case 'matMul':
      return [matMul(x, inputs[1], types[0])];
    case 'dense':
      return [dense(x, inputs[1], inputs[2], types[0])];
    case 'binary':
      return [binary(op, x, inputs[1], inputs[2], types[0])];
    case 'reshape':
    case 'identity':
      return [{ type: types[0], data: x.data }];
    case 'transpose':
      return [transpose(op, x, types[0])];
    case 'split':
      return split(op, x, types);
    case 'slice':
      return [slice(op, x, types[0])];
    case 'concat':
      return [concat(op, inputs, types[0])];
    case 'pad':
      return [pad(op, x, types[0])];
    case 'gather':
      return [gather(op, x, inputs[1], types[0])];
    case 'channelShuffle':
      return [channelShuffle(op, x)];
  }
}
