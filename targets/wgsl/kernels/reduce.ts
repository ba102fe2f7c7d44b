// reduceMean over any axes (the global-pool kernel takes the spatial ones): one invocation per output element
// sums its reduced elements in a loop, the reduced coordinates unpacked from one counter.

import type { Operand } from '../operand-address.ts';
import { WeightBlock } from '../weight-block.ts';
import { u32 } from '../wgsl-text.ts';
import { domainGrid, domainStart } from './elementwise.ts';
import type { Kernel, KernelContext } from './kernel.ts';
import { kernelHead } from './kernel.ts';
import { elementAddress } from './strided-operand.ts';
import { stridesOf } from '../../../compiler/interpreter/tensor.ts';

export interface ReduceMeanParams {
  readonly x: Operand;
  readonly y: Operand;
  readonly inShape: readonly number[];
  readonly outShape: readonly number[];
  /** Reduced input axes, normalised. */
  readonly axes: readonly number[];
  readonly keepDims: boolean;
}

export function reduceMeanKernel(ctx: KernelContext, k: ReduceMeanParams): Kernel {
  const block = new WeightBlock();
  const e = ctx.entry;
  const head = kernelHead(ctx, block, { x: k.x, y: k.y });
  const { text, coords } = domainStart(k.outShape);
  const reduced = k.inShape.map((_, axis) => k.axes.includes(axis));
  const reducedDims = k.inShape.filter((_, axis) => reduced[axis]);
  const count = reducedDims.reduce((a, b) => a * b, 1);
  const strides = stridesOf(reducedDims);
  // Input coordinates: kept axes from the output (in order, at the same axis when keepDims), reduced ones from r.
  let kept = 0;
  let next = 0;
  const inCoords = k.inShape.map((d, axis) => {
    if (!reduced[axis]) return d === 1 ? '0u' : coords[k.keepDims ? axis : kept++];
    const j = next++;
    const quotient = strides[j] === 1 ? 'r' : `(r / ${u32(strides[j])})`;
    return d === 1 ? '0u' : j === 0 ? quotient : `${quotient} % ${u32(d)}`;
  });
  const x = elementAddress({ kind: 'activation', operand: k.x, shape: k.inShape }, `${e}_x`, inCoords, block);
  const y = elementAddress({ kind: 'activation', operand: k.y, shape: k.outShape }, `${e}_y`, coords, block);
  const code = `${head}${text}  var acc = 0.0;
  for (var r = 0u; r < ${u32(count)}; r++) { acc += act[${x}]; }
  act[${y}] = acc / ${count}.0;
}
`;
  return { kind: 'reduceMean', code, block, workgroups: domainGrid(k.outShape).workgroups };
}
