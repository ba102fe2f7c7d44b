// The classifier: a dense layer (canonicalise-dense's form of Gemm / MatMul, read through compiler/ir/dense-form.ts),
// A being the pooled features [N, K]. The weights are stored [K][M] per task panel so the inner loop runs over
// output units with unit stride (it vectorises without reassociating the sum over K).

import { denseForm } from '../../../compiler/ir/dense-form.ts';
import { CompileError } from '../../../compiler/ir/errors.ts';
import type { Node } from '../../../compiler/ir/types.ts';
import { placementAddressing } from '../operands.ts';
import type { Kernel, KernelContext } from './context.ts';
import { placementOf, taskCount, taskKernel, WEIGHTS } from './context.ts';

export function emitClassifier(ctx: KernelContext, node: Node, fn: string): Kernel {
  const op = node.op;
  // The layer's weight [M,K] and bias with alpha/beta folded, whatever form (dense, gemm, matMul) it has.
  const form = denseForm(ctx.graph, node);
  if (typeof form === 'string') throw new CompileError(`C target: ${form}`, { node: node.origin, kind: 'unsupported' });
  const { batch, inFeatures: k, outFeatures: m } = form;
  // Tasks take contiguous ranges of output units (so each sum is built in the same order whatever the split),
  // and the weights are stored as one panel per task, [K][its units], so that every task streams one contiguous
  // block. With a single [K][M] matrix a task read a ~330-byte strip of every 4000-byte row: each strip started in
  // a new page, the prefetchers lost the stream, and x1.0's classifier ran slower on 2 threads than on 1.
  const tasks = taskCount(m, batch * k * m);
  const unitsOf = (t: number) => [Math.floor((t * m) / tasks), Math.floor(((t + 1) * m) / tasks)] as const;
  const packed = new Float32Array(k * m);
  for (let t = 0; t < tasks; t++) {
    const [lo, hi] = unitsOf(t);
    // Panel t starts at lo * K: the panels before it hold lo units of K weights each.
    for (let kk = 0; kk < k; kk++) for (let mm = lo; mm < hi; mm++) packed[lo * k + kk * (hi - lo) + mm - lo] = form.weight[mm * k + kk];
  }
  const bias = form.bias ?? new Float32Array(m);
  const input = placementAddressing(placementOf(ctx, node.inputs[0], node), ctx.tables);
  const output = placementAddressing(placementOf(ctx, node.outputs[0], node), ctx.tables);
  const wOff = ctx.weights.add(packed);
  const bOff = ctx.weights.add(bias);
  // The running sums live in the arena's scratch (not on the stack: 4 KB for 1000 classes). Task t's sums sit t
  // cache lines (16 floats) further on, so no line holds two tasks' sums: every sum is rewritten once per input
  // feature, and a shared line bounced between cores made x0.5's classifier slower on 2 threads than on 1
  // (184 -> 337 us).
  const LINE_FLOATS = 16;
  ctx.scratch(m + (tasks > 1 ? tasks * LINE_FLOATS : 0));
  const n = batch > 1;
  const perItem = [
    `for (j = lo; j < hi; j++) acc[j] = bias[j];`,
    `for (k = 0; k < ${k}; k++) {`,
    `  const float xk = x[${n ? `n * ${input.batchStride} + ` : ''}${input.at('k')}];`,
    `  const float *wk = panel + k * (hi - lo) - lo;`,
    `  for (j = lo; j < hi; j++) acc[j] += xk * wk[j];`,
    `}`,
    `for (j = lo; j < hi; j++) y[${n ? `n * ${output.batchStride} + ` : ''}${output.at('j')}] = acc[j];`,
  ];
  const perTask = [
    ...(tasks > 1 ? [`const int lo = t * ${m} / ${tasks}, hi = (t + 1) * ${m} / ${tasks};`] : [`const int lo = 0, hi = ${m};`]),
    `const float *panel = wt + lo * ${k};`,
    `float *acc = scratch${tasks > 1 ? ` + t * ${LINE_FLOATS}` : ''};`,
    ...(n ? [`for (n = 0; n < ${batch}; n++) {`, ...perItem.map((l) => '  ' + l), `}`] : perItem),
  ];
  const body = [
    `const float *wt = ${WEIGHTS(ctx.prefix)} + ${wOff}, *bias = ${WEIGHTS(ctx.prefix)} + ${bOff};`,
    `int ${tasks > 1 ? 't, ' : ''}${n ? 'n, ' : ''}k, j;`,
    // A serial call (task -1) runs every task's panel in turn: the same sums in the same order.
    ...(tasks > 1 ? [`for (t = task < 0 ? 0 : task; t < (task < 0 ? ${tasks} : task + 1); t++) {`, ...perTask.map((l) => '  ' + l), `}`] : perTask),
  ];
  return taskKernel(node, fn, `${op.kind} ${k} to ${m}`, tasks, body);
}
