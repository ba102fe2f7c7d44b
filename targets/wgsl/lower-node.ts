// Picks the kernel(s) for one compute node and gathers their compile-time parameters from the graph.

import { convClassOf } from '../../compiler/ir/conv-class.ts';
import { denseForm } from '../../compiler/ir/dense-form.ts';
import { CompileError } from '../../compiler/ir/errors.ts';
import type { Graph, Node, OpOf, Value } from '../../compiler/ir/types.ts';
import type { Placement } from '../../compiler/plan/types.ts';
import type { ClassifierParams } from './kernels/classifier.ts';
import { classifierKernel } from './kernels/classifier.ts';
import type { Conv1x1Params } from './kernels/conv1x1.ts';
import { conv1x1Kernel } from './kernels/conv1x1.ts';
import { directConvKernel } from './kernels/conv-direct.ts';
import { depthwiseKernel } from './kernels/depthwise.ts';
import type { Kernel } from './kernels/kernel.ts';
import { globalAvgPoolKernel, poolKernel } from './kernels/pool.ts';
import { reduceMeanKernel } from './kernels/reduce.ts';
import type { SpatialConvParams } from './kernels/spatial-conv-params.ts';
import { f32Literal, lowerElementwise, source } from './lower-elementwise.ts';
import type { MatMulParams } from './kernels/matmul.ts';
import { matMulKernel } from './kernels/matmul.ts';
import { lowerMovement } from './lower-movement.ts';
import type { Operand } from './operand-address.ts';
import { isSpatialMean, rendersEpilogue } from './op-kinds.ts';

export interface LoweringContext {
  readonly graph: Graph;
  readonly placementOf: (valueId: number) => Placement;
  readonly operandOf: (placement: Placement) => Operand;
  /** Next entry point name ("k0", "k1", ...). */
  readonly nextEntry: () => string;
}

export const planeOf = (shape: readonly number[]): number => shape.slice(2).reduce((a, b) => a * b, 1);

/** Typed access to one node's operands, failing with a one-line CompileError that names the node. */
export interface NodeOperands {
  readonly graph: Graph;
  readonly node: Node;
  readonly fail: (reason: string) => never;
  readonly shape: (id: number) => readonly number[];
  /** A computed operand (never a constant) and where it lives. */
  readonly activation: (id: number) => Operand;
  /** A constant f32 operand, or undefined when the optional operand is absent. */
  readonly constant: (id: number | undefined, what: string) => Float32Array | undefined;
}

export function nodeOperands(cx: LoweringContext, node: Node): NodeOperands {
  const fail = (reason: string): never => {
    throw new CompileError(`wgsl target: ${reason}`, { node: node.origin, kind: 'unsupported' });
  };
  const value = (id: number): Value => cx.graph.values.get(id) ?? fail(`unknown value ${id}`);
  return {
    graph: cx.graph,
    node,
    fail,
    shape: (id) => value(id).type.shape,
    activation: (id) => {
      if (value(id).data) fail(`${node.op.kind} needs a computed operand here, found a constant`);
      return cx.operandOf(cx.placementOf(id));
    },
    constant: (id, what) => {
      if (id === undefined) return undefined;
      const data = value(id).data;
      if (!(data instanceof Float32Array)) return fail(`${node.op.kind} ${what} must be a constant f32 tensor`);
      return data;
    },
  };
}

/** The conv's op once its epilogue is one the kernels render (any activation; a residual on pointwise convs). */
function convOp(o: NodeOperands): OpOf<'conv2d'> {
  const op = o.node.op as OpOf<'conv2d'>;
  const channels = (id: number) => o.shape(id)[1];
  if (!rendersEpilogue(op, convClassOf(op, channels(o.node.inputs[0]), channels(o.node.outputs[0])))) {
    o.fail(`conv epilogue ${op.activation} + residual is only rendered on pointwise convs`);
  }
  return op;
}

/** A 1x1 conv's parameters (the conv is pointwise). */
export function conv1x1Params(o: NodeOperands): Conv1x1Params {
  const { node } = o;
  const op = convOp(o);
  const [batch, inChannels] = o.shape(node.inputs[0]);
  const yShape = o.shape(node.outputs[0]);
  return {
    x: o.activation(node.inputs[0]), y: o.activation(node.outputs[0]), inChannels, outChannels: yShape[1], plane: planeOf(yShape), batch,
    weight: o.constant(node.inputs[1], 'weight')!, bias: o.constant(node.inputs[2], 'bias'), activation: op.activation,
    residual: op.residual ? o.activation(node.inputs[3]) : undefined,
  };
}

/** A sliding-window conv's parameters (depthwise or direct). */
export function spatialConvParams(o: NodeOperands): SpatialConvParams {
  const { node } = o;
  const op = convOp(o);
  const xShape = o.shape(node.inputs[0]);
  const yShape = o.shape(node.outputs[0]);
  return {
    x: o.activation(node.inputs[0]), y: o.activation(node.outputs[0]), inChannels: xShape[1], outChannels: yShape[1], groups: op.groups,
    outPlane: planeOf(yShape), batch: xShape[0], weight: o.constant(node.inputs[1], 'weight')!, bias: o.constant(node.inputs[2], 'bias'),
    activation: op.activation,
    window: { inH: xShape[2], inW: xShape[3], outW: yShape[3], kernel: op.kernel, stride: op.stride, pads: op.pads, dilations: op.dilations },
  };
}

/** A dense / gemm / matMul layer's parameters: the weight [M,K] and bias with alpha/beta folded (dense-form.ts). */
export function classifierParams(o: NodeOperands): ClassifierParams {
  const form = denseForm(o.graph, o.node);
  if (typeof form === 'string') return o.fail(form);
  const { batch, inFeatures, outFeatures, weight, bias } = form;
  return { a: o.activation(o.node.inputs[0]), y: o.activation(o.node.outputs[0]), inFeatures, outFeatures, batch, weight, bias };
}

/** A gemm / matMul without a dense form (batched, transA, runtime B, matrix C): the generic matMul kernel. */
function matMulParams(o: NodeOperands): MatMulParams {
  const op = o.node.op as OpOf<'gemm' | 'matMul'>;
  const [a, b, c] = o.node.inputs.map((id) => source(o, id));
  for (const id of [...o.node.inputs, o.node.outputs[0]]) if (o.graph.values.get(id)!.type.dtype !== 'f32') o.fail(`${op.kind} on i64 tensors has no kernel (f32 only)`);
  const gemm = op.kind === 'gemm' ? op : undefined;
  const aShape = a.shape;
  const inner = gemm?.transA ? aShape[0] : aShape[aShape.length - 1];
  return {
    a, b, c: gemm ? c : undefined, transA: gemm?.transA ?? false, transB: gemm?.transB ?? false,
    alpha: f32Literal(o, gemm?.alpha ?? 1), beta: f32Literal(o, gemm?.beta ?? 1), y: o.activation(o.node.outputs[0]), outShape: o.shape(o.node.outputs[0]), inner,
  };
}

export function lowerNode(cx: LoweringContext, node: Node): Kernel[] {
  const operands = nodeOperands(cx, node);
  const { fail, shape, activation } = operands;
  const entry = () => ({ entry: cx.nextEntry() });
  const op = node.op;
  const xShape = shape(node.inputs[0]);
  const yShape = shape(node.outputs[0]);
  const [batch, channels] = xShape;

  switch (op.kind) {
    case 'conv2d': {
      if (xShape.length !== 4) fail('only 2-D convolutions are supported');
      // The class comes from the IR (classify-convs).
      const convClass = convClassOf(op, channels, yShape[1]);
      if (convClass === 'pointwise') return [conv1x1Kernel(entry(), conv1x1Params(operands))];
      const params = spatialConvParams(operands);
      return [convClass === 'depthwise' ? depthwiseKernel(entry(), params) : directConvKernel(entry(), params)];
    }
    case 'maxPool':
    case 'avgPool': {
      if (xShape.length !== 4) fail('only 2-D pooling is supported');
      const window = { inH: xShape[2], inW: xShape[3], outW: yShape[3], kernel: op.kernel, stride: op.stride, pads: op.pads, dilations: [1, 1] as const };
      const mode = op.kind === 'maxPool' ? ('max' as const) : { countIncludePad: op.countIncludePad };
      return [poolKernel(entry(), { x: activation(node.inputs[0]), y: activation(node.outputs[0]), channels, outPlane: planeOf(yShape), batch, window, mode })];
    }
    case 'reduceMean':
    case 'globalAvgPool': {
      if (op.kind === 'reduceMean' && !isSpatialMean(op, xShape.length)) {
        const axes = op.axes.map((a) => (a < 0 ? a + xShape.length : a));
        return [reduceMeanKernel(entry(), { x: activation(node.inputs[0]), y: activation(node.outputs[0]), inShape: xShape, outShape: yShape, axes, keepDims: op.keepDims })];
      }
      return [globalAvgPoolKernel(entry(), { x: activation(node.inputs[0]), y: activation(node.outputs[0]), channels, plane: planeOf(xShape), batch })];
    }
    case 'dense':
    case 'gemm':
    case 'matMul':
      return [typeof denseForm(cx.graph, node) === 'string' ? matMulKernel(entry(), matMulParams(operands)) : classifierKernel(entry(), classifierParams(operands))];
    default:
      return lowerMovement(cx, entry, operands) ?? [lowerElementwise(entry(), operands) ?? fail(`no kernel for ${op.kind} (the passes should have removed or fused it)`)];
  }
}
