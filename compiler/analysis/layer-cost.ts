// Cost of one node: multiply-adds, FLOPs, learned parameters, output size and memory access cost (MAC).
//
// MAC follows ShuffleNetV2 (Ma et al. 2018, section 2): every tensor a layer touches is counted once, as if
// caches held nothing between layers. A 1x1 conv costs hw(c1 + c2) + c1·c2 elements; in general a conv reads
// its input (N·Hin·Win·c1), writes its output (N·Hout·Wout·c2) and reads k²·c1·c2/g weights (+ bias); any
// other op reads all its inputs and writes its outputs. A view under the memory plan touches nothing.

import type { Graph, Node, OpKind, Value } from '../ir/types.ts';
import { ELEMENTWISE_OPS, MOVEMENT_OPS, UNARY_OPS, bytesOf, numel } from '../ir/types.ts';

export type LayerCategory = 'conv' | 'matmul' | 'pool' | 'elementwise' | 'movement' | 'view';

/** Geometry of a conv, kept for the guideline checks. */
export interface ConvShape {
  readonly batch: number;
  readonly c1: number;
  readonly c2: number;
  readonly kernel: readonly [number, number];
  readonly groups: number;
  /** Input and output plane sizes (H·W). */
  readonly inPlane: number;
  readonly outPlane: number;
}

/** The measures of a layer; a graph's totals are the same measures summed (intensity recomputed). */
export interface CostMeasures {
  /** Multiply-adds of conv / gemm / matMul / dense for the whole input (batch included). */
  readonly macs: number;
  /** 2·macs, plus one FLOP per element for element-wise work and per window tap for pooling. */
  readonly flops: number;
  /** Learned parameters this node introduces, counted as PyTorch does (see learnedInputs). */
  readonly params: number;
  readonly outputElements: number;
  /** Memory access cost in bytes. */
  readonly macBytes: number;
  /** Bytes copied by a data-movement op that is not a view (0 for views and compute ops). */
  readonly movedBytes: number;
  /** FLOPs per MAC byte (0 when the layer touches no memory). */
  readonly intensity: number;
}

export interface LayerCost extends CostMeasures {
  readonly nodeId: number;
  /** node.origin: from the model file, untrusted (escape before display). */
  readonly name: string;
  readonly op: OpKind;
  readonly category: LayerCategory;
  readonly conv?: ConvShape;
}

const elements = (graph: Graph, ids: readonly number[]) => ids.reduce((s, id) => s + numel(graph.values.get(id)!.type.shape), 0);
const bytes = (graph: Graph, ids: readonly number[]) => ids.reduce((s, id) => s + bytesOf(graph.values.get(id)!.type), 0);

/**
 * Input positions holding learned parameters. PyTorch counts conv/linear weights and biases and BatchNorm's
 * weight and bias, not its running mean/var. A constant f32 operand of an element-wise op with more than one
 * element is a learned per-channel scale/shift (a decomposed BatchNorm); a scalar there is a fixed constant.
 */
function learnedInputs(graph: Graph, node: Node): number[] {
  const isF32Const = (id: number | undefined): id is number => id !== undefined && graph.values.get(id)!.data instanceof Float32Array;
  switch (node.op.kind) {
    case 'conv2d':
    case 'batchNorm':
      return [node.inputs[1], node.inputs[2]].filter(isF32Const);
    case 'gemm':
    case 'matMul':
    case 'dense':
      return node.inputs.filter(isF32Const);
    case 'binary':
      return node.inputs.filter((id) => isF32Const(id) && numel(graph.values.get(id)!.type.shape) > 1);
    default:
      return [];
  }
}

function categoryOf(kind: OpKind): LayerCategory {
  if (kind === 'conv2d') return 'conv';
  if (kind === 'gemm' || kind === 'matMul' || kind === 'dense') return 'matmul';
  if (ELEMENTWISE_OPS.has(kind)) return 'elementwise';
  if (MOVEMENT_OPS.has(kind)) return 'movement';
  return 'pool';
}

function multiplyAdds(graph: Graph, node: Node): number {
  const type = (i: number) => graph.values.get(node.inputs[i])!.type.shape;
  const out = graph.values.get(node.outputs[0])!.type.shape;
  switch (node.op.kind) {
    case 'conv2d': {
      const [, cin, kh, kw] = type(1);
      return numel(out) * cin * kh * kw;
    }
    case 'gemm': {
      const a = type(0);
      return numel(out) * (node.op.transA ? a[0] : a[1]);
    }
    case 'matMul':
    case 'dense': {
      const a = type(0);
      return numel(out) * a[a.length - 1];
    }
    default:
      return 0;
  }
}

function otherFlops(graph: Graph, node: Node, outputElements: number): number {
  const op = node.op;
  if (UNARY_OPS.has(op.kind)) return outputElements;
  switch (op.kind) {
    case 'binary':
      return op.residual ? 2 * outputElements : outputElements;
    case 'batchNorm':
      return 2 * outputElements;
    case 'maxPool':
    case 'avgPool':
      return outputElements * op.kernel[0] * op.kernel[1];
    case 'globalAvgPool':
    case 'reduceMean':
      return numel(graph.values.get(node.inputs[0])!.type.shape);
    default:
      return 0;
  }
}

function convShape(graph: Graph, node: Node): ConvShape | undefined {
  if (node.op.kind !== 'conv2d') return undefined;
  const x = graph.values.get(node.inputs[0])!.type.shape;
  const y = graph.values.get(node.outputs[0])!.type.shape;
  return { batch: x[0], c1: x[1], c2: y[1], kernel: node.op.kernel, groups: node.op.groups, inPlane: x[2] * x[3], outPlane: y[2] * y[3] };
}

/**
 * Cost of each node. `counted` holds the constants already attributed to earlier nodes, so a shared weight is
 * counted once; `isView` says whether the memory plan makes the node pure bookkeeping.
 */
export function layerCost(graph: Graph, node: Node, isView: boolean, counted: Set<number>): LayerCost {
  const outputElements = elements(graph, node.outputs);
  const params = learnedInputs(graph, node).filter((id) => !counted.has(id));
  params.forEach((id) => counted.add(id));
  const macs = multiplyAdds(graph, node);
  const flops = 2 * macs + otherFlops(graph, node, outputElements);
  const category = isView ? 'view' : categoryOf(node.op.kind);
  const macBytes = isView ? 0 : bytes(graph, node.inputs) + bytes(graph, node.outputs);
  const movedBytes = category === 'movement' ? bytes(graph, node.outputs) : 0;
  return {
    nodeId: node.id,
    name: node.origin,
    op: node.op.kind,
    category,
    macs,
    flops,
    params: params.reduce((s, id) => s + numel((graph.values.get(id) as Value).type.shape), 0),
    outputElements,
    macBytes,
    movedBytes,
    intensity: macBytes > 0 ? flops / macBytes : 0,
    conv: convShape(graph, node),
  };
}
