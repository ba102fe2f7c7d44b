// Matrix products without a dense form for the classifier kernel (compiler/ir/dense-form.ts): batched and
// broadcast MatMul, rank-1 operands, gemm with transA, two runtime operands, a matrix C. One invocation per
// output element walks K; operands of any rank are addressed like the per-element kernels' (strided-operand.ts).

import type { Operand } from '../operand-address.ts';
import { WeightBlock } from '../weight-block.ts';
import { u32 } from '../wgsl-text.ts';
import { domainGrid, domainStart } from './elementwise.ts';
import type { Kernel, KernelContext } from './kernel.ts';
import { kernelHead } from './kernel.ts';
import type { Source } from './strided-operand.ts';
import { broadcastCoords, elementLoad } from './strided-operand.ts';

export interface MatMulParams {
  readonly a: Source;
  readonly b: Source;
  /** gemm's C, broadcast to the output, scaled by `beta`. */
  readonly c?: Source;
  readonly transA: boolean;
  readonly transB: boolean;
  /** Finite f32 WGSL literals. */
  readonly alpha: string;
  readonly beta: string;
  readonly y: Operand;
  readonly outShape: readonly number[];
  readonly inner: number;
}

/** Coordinates of a (possibly batched) matrix operand: batch axes broadcast from the output's, then its row and column. */
function matrixCoords(shape: readonly number[], batch: readonly string[], row: string, column: string): string[] {
  if (shape.length === 1) return [shape[0] === 1 ? '0u' : 'k'];
  const lead = broadcastCoords(shape.slice(0, -2), batch);
  const [rows, columns] = shape.slice(-2);
  return [...lead, rows === 1 ? '0u' : row, columns === 1 ? '0u' : column];
}

export function matMulKernel(ctx: KernelContext, k: MatMulParams): Kernel {
  const block = new WeightBlock();
  const e = ctx.entry;
  const activations: Record<string, Operand> = { y: k.y };
  for (const [name, s] of [['a', k.a], ['b', k.b], ['c', k.c]] as const) if (s?.kind === 'activation') activations[name] = s.operand;
  const head = kernelHead(ctx, block, activations);
  const { text, coords } = domainStart(k.outShape);
  // Output axes: batch..., then M unless A is rank 1, then N unless B is rank 1.
  const hasRow = k.a.shape.length > 1;
  const hasColumn = k.b.shape.length > 1;
  const batch = coords.slice(0, coords.length - Number(hasRow) - Number(hasColumn));
  const m = hasRow ? coords[batch.length] : '0u';
  const n = hasColumn ? coords[coords.length - 1] : '0u';
  const a = elementLoad(k.a, `${e}_a`, k.transA ? matrixCoords(k.a.shape, batch, 'k', m) : matrixCoords(k.a.shape, batch, m, 'k'), block);
  const b = elementLoad(k.b, `${e}_b`, k.transB ? matrixCoords(k.b.shape, batch, n, 'k') : matrixCoords(k.b.shape, batch, 'k', n), block);
  const c = k.c ? ` + ${k.beta} * ${elementLoad(k.c, `${e}_c`, broadcastCoords(k.c.shape, coords), block)}` : '';
  const y = elementLoad({ kind: 'activation', operand: k.y, shape: k.outShape }, `${e}_y`, coords, block);
  const code = `${head}${text}  var acc = 0.0;
  for (var k = 0u; k < ${u32(k.inner)}; k++) { acc += ${a} * ${b}; }
  ${y} = ${k.alpha} * acc${c};
}
`;
  return { kind: 'matMul', code, block, workgroups: domainGrid(k.outShape).workgroups };
}
