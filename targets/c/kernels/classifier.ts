// The classifier: Gemm (alpha·A·op(B) + beta·C) or MatMul with a constant right operand, A being the pooled
// features [N, K]. alpha and beta are folded into the packed constants; the weights are stored [K][M] so the
// inner loop runs over output units with unit stride (it vectorises without reassociating the sum over K).

import { CompileError } from '../../../compiler/ir/errors.ts';
import type { Node } from '../../../compiler/ir/types.ts';
import { commentText } from '../names.ts';
import { placementAddressing } from '../operands.ts';
import type { Kernel, KernelContext } from './context.ts';
import { constData, indent, originComment, placementOf, shapeOf, WEIGHTS } from './context.ts';

export function emitClassifier(ctx: KernelContext, node: Node, fn: string): Kernel {
  const op = node.op;
  const fail = (why: string): never => {
    throw new CompileError(`C target: ${op.kind} ${why}`, { node: commentText(node.origin), kind: 'unsupported' });
  };
  if (op.kind !== 'gemm' && op.kind !== 'matMul') fail('is not a classifier');
  const aShape = shapeOf(ctx, node.inputs[0]);
  const bShape = shapeOf(ctx, node.inputs[1]);
  if (aShape.length !== 2 || bShape.length !== 2) fail('needs 2-D operands');
  const transA = op.kind === 'gemm' && op.transA;
  const transB = op.kind === 'gemm' && op.transB;
  if (transA) fail('with transA is not supported');
  const [batch, k] = aShape;
  const m = transB ? bShape[0] : bShape[1];
  const alpha = op.kind === 'gemm' ? op.alpha : 1;
  const beta = op.kind === 'gemm' ? op.beta : 1;
  const b = constData(ctx, node.inputs[1], node, 'weight')!;
  const packed = new Float32Array(k * m);
  for (let kk = 0; kk < k; kk++) for (let mm = 0; mm < m; mm++) packed[kk * m + mm] = alpha * (transB ? b[mm * k + kk] : b[kk * m + mm]);
  const bias = new Float32Array(m);
  const c = op.kind === 'gemm' ? constData(ctx, node.inputs[2], node, 'bias C') : undefined;
  if (c) {
    if (c.length === 1) bias.fill(beta * c[0]);
    else if (c.length === m) for (let i = 0; i < m; i++) bias[i] = beta * c[i];
    else fail(`bias C with ${c.length} entries (only per-output or scalar bias is supported)`);
  }
  const input = placementAddressing(placementOf(ctx, node.inputs[0], node), ctx.tables);
  const output = placementAddressing(placementOf(ctx, node.outputs[0], node), ctx.tables);
  const wOff = ctx.weights.add(packed);
  const bOff = ctx.weights.add(bias);
  const body = [
    `const float *wt = ${WEIGHTS(ctx.prefix)} + ${wOff};`,
    `const float *bias = ${WEIGHTS(ctx.prefix)} + ${bOff};`,
    `float acc[${m}];`,
    `int n, k, m;`,
    `for (n = 0; n < ${batch}; n++) {`,
    `  for (m = 0; m < ${m}; m++) acc[m] = bias[m];`,
    `  for (k = 0; k < ${k}; k++) {`,
    `    const float xk = x[n * ${input.batchStride} + ${input.at('k')}];`,
    `    const float *wk = wt + k * ${m};`,
    `    for (m = 0; m < ${m}; m++) acc[m] += xk * wk[m];`,
    `  }`,
    `  for (m = 0; m < ${m}; m++) y[n * ${output.batchStride} + ${output.at('m')}] = acc[m];`,
    `}`,
  ];
  return { definition: [originComment(node, `${op.kind} ${k} to ${m}`), `static void ${fn}(const float *x, float *y) {`, indent(body.join('\n'), 1), `}`].join('\n') };
}
