// Compile-time evaluation: a node whose inputs are all known constants becomes a constant itself.
// This is what resolves the int64 shape arithmetic PyTorch exports (Shape -> Gather -> Div -> ... -> Slice)
// with the very semantics the reference interpreter gives the op.

import type { Op, Value } from '../../ir/types.ts';
import { evalOp } from '../../interpreter/eval-op.ts';
import type { Tensor } from '../../interpreter/tensor.ts';

export function allConstant(inputs: readonly Value[]): boolean {
  return inputs.length > 0 && inputs.every((v) => v.data !== undefined);
}

export function evaluateConstant(op: Op, inputs: readonly Value[]): Tensor[] {
  return evalOp(op, inputs.map((v) => ({ type: v.type, data: v.data! })));
}
