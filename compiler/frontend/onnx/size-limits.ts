// Sizes beyond these are either corrupt files or models no target could hold; refuse them before allocating.

import { CompileError } from '../../ir/errors.ts';

export const MAX_DIM = 2 ** 31;
export const MAX_ELEMENTS = 2 ** 31;

/** Checks a shape read from (or computed for) a model; `what` names the tensor in the message. */
export function checkShape(shape: readonly number[], what: string): void {
  let total = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new CompileError(`${what} has an invalid dimension ${d} in shape [${shape.join(',')}]`);
    if (d > MAX_DIM) throw new CompileError(`${what} has an absurd dimension ${d} (limit 2^31) in shape [${shape.join(',')}]`);
    total *= d;
  }
  if (total > MAX_ELEMENTS) throw new CompileError(`${what} has ${total} elements (limit 2^31), shape [${shape.join(',')}]`);
}
