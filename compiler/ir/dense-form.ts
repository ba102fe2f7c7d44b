// The one place that knows how gemm and matMul become a dense layer (weight [M,K] in PyTorch Linear layout,
// gemm's alpha folded into it, beta into a per-output bias). The canonicalise-dense pass rewrites the graph with
// it; targets read a dense node's operands through it too, so none of them re-derives transposes or scaling.

import type { Graph, Node } from './types.ts';

export interface DenseForm {
  readonly batch: number;
  readonly inFeatures: number;
  readonly outFeatures: number;
  /** [outFeatures, inFeatures] row-major, alpha applied (each product rounded to f32 once). */
  readonly weight: Float32Array;
  /** [outFeatures], beta applied; absent when the layer has no bias. */
  readonly bias?: Float32Array;
}

/**
 * The dense form of a dense, gemm or matMul node, or a reason it has none: A must be a rank-2 f32 operand
 * (not transposed), B a rank-2 constant, and C (gemm) absent or a constant that is per output or a scalar.
 */
export function denseForm(graph: Graph, node: Node): DenseForm | string {
  const op = node.op;
  if (op.kind !== 'dense' && op.kind !== 'gemm' && op.kind !== 'matMul') return `${op.kind} is not a matrix product`;
  const [a, b] = node.inputs.map((id) => graph.values.get(id)!);
  const c = op.kind === 'matMul' ? undefined : node.inputs[2] === undefined ? undefined : graph.values.get(node.inputs[2]);
  if (a.type.shape.length !== 2 || b.type.shape.length !== 2) return `${op.kind} needs 2-D operands`;
  if (a.type.dtype !== 'f32') return `${op.kind} needs f32 operands`;
  if (op.kind === 'gemm' && op.transA) return 'gemm with transA is not supported';
  if (!(b.data instanceof Float32Array)) return `${op.kind} needs a constant f32 weight`;
  const [batch, inFeatures] = a.type.shape;
  // Weight stored [M,K] when already transposed (dense, gemm transB), [K,M] otherwise.
  const rowsAreOutputs = op.kind === 'dense' || (op.kind === 'gemm' && op.transB);
  const outFeatures = rowsAreOutputs ? b.type.shape[0] : b.type.shape[1];
  const alpha = op.kind === 'gemm' ? op.alpha : 1;
  const beta = op.kind === 'gemm' ? op.beta : 1;
  const source = b.data;
  const weight = new Float32Array(outFeatures * inFeatures);
  for (let m = 0; m < outFeatures; m++) {
    for (let k = 0; k < inFeatures; k++) weight[m * inFeatures + k] = alpha * (rowsAreOutputs ? source[m * inFeatures + k] : source[k * outFeatures + m]);
  }
  if (!c) return { batch, inFeatures, outFeatures, weight };
  if (!(c.data instanceof Float32Array)) return `${op.kind} bias must be a constant f32 tensor`;
  const cData = c.data;
  // Per output means C broadcasts along the batch rows: shape [M] or [1, M] (a column [N, 1] is per row).
  const perOutput = cData.length === outFeatures && c.type.shape[c.type.shape.length - 1] === outFeatures;
  if (cData.length !== 1 && !perOutput) return `${op.kind} bias C with ${cData.length} entries (only per-output or scalar bias is supported)`;
  const bias = Float32Array.from({ length: outFeatures }, (_, m) => beta * cData[cData.length === 1 ? 0 : m]);
  return { batch, inFeatures, outFeatures, weight, bias };
}
