// Dense canonicalisation: every gemm / matMul that is a fully connected layer (rank-2 input, constant weight,
// per-output or scalar bias) becomes one `dense` node with its weight packed [M,K] and alpha/beta folded in
// (compiler/ir/dense-form.ts), so targets implement one layer instead of re-deriving transposes and scaling.
// Products that are not dense layers (two runtime operands, batched matMul, a full-matrix C) stay as they are.

import { denseForm } from '../ir/dense-form.ts';
import type { Graph } from '../ir/types.ts';
import type { Pass } from './pass.ts';
import { replaceNodesInPlace } from './rewriter.ts';

export function canonicaliseDense(graph: Graph): Graph {
  return replaceNodesInPlace(graph, (node, addConst) => {
    const form = node.op.kind === 'gemm' || node.op.kind === 'matMul' ? denseForm(graph, node) : undefined;
    if (form === undefined || typeof form === 'string') return undefined;
    const w = addConst(graph.values.get(node.inputs[1])!.name, [form.outFeatures, form.inFeatures], form.weight);
    const b = form.bias ? [addConst(graph.values.get(node.inputs[2])!.name, [form.outFeatures], form.bias)] : [];
    return { op: { kind: 'dense' }, inputs: [node.inputs[0], w, ...b] };
  });
}

export const canonicaliseDensePass: Pass = { name: 'canonicalise-dense', run: canonicaliseDense };
