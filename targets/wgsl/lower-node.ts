// Picks the kernel(s) for one compute node and gathers their compile-time parameters from the graph.

import { convClassOf } from '../../compiler/ir/conv-class.ts';
import { denseForm } from '../../compiler/ir/dense-form.ts';
import { CompileError } from '../../compiler/ir/errors.ts';
import type { Graph, Node, Value } from '../../compiler/ir/types.ts';
import { numel } from '../../compiler/ir/types.ts';
import type { Placement } from '../../compiler/plan/types.ts';
import { isViewNode, viewPlacements } from '../../compiler/plan/views.ts';
import { classifierKernel } from './kernels/classifier.ts';
import { conv1x1Kernel } from './kernels/conv1x1.ts';
import { directConvKernel } from './kernels/conv-direct.ts';
import { depthwiseKernel } from './kernels/depthwise.ts';
import type { Kernel } from './kernels/kernel.ts';
import { pointwiseKernel } from './kernels/pointwise.ts';
import { globalAvgPoolKernel, poolKernel } from './kernels/pool.ts';
import type { SpatialConvParams } from './kernels/spatial-conv-params.ts';
import type { Operand } from './operand-address.ts';

export interface LoweringContext {
  readonly graph: Graph;
  readonly placementOf: (valueId: number) => Placement;
  readonly operandOf: (placement: Placement) => Operand;
  /** Next entry point name ("k0", "k1", ...). */
  readonly nextEntry: () => string;
}

const planeOf = (shape: readonly number[]): number => shape.slice(2).reduce((a, b) => a * b, 1);

export function lowerNode(cx: LoweringContext, node: Node): Kernel[] {
  const fail = (reason: string): never => {
    throw new CompileError(`wgsl target: ${reason}`, { node: node.origin, kind: 'unsupported' });
  };
  const value = (id: number): Value => cx.graph.values.get(id) ?? fail(`unknown value ${id}`);
  const activation = (id: number): Operand => {
    if (value(id).data) fail(`${node.op.kind} needs a computed operand here, found a constant`);
    return cx.operandOf(cx.placementOf(id));
  };
  const constant = (id: number | undefined, what: string): Float32Array | undefined => {
    if (id === undefined) return undefined;
    const data = value(id).data;
    if (!(data instanceof Float32Array)) return fail(`${node.op.kind} ${what} must be a constant f32 tensor`);
    return data;
  };
  const entry = () => ({ entry: cx.nextEntry() });
  const op = node.op;
  const xShape = value(node.inputs[0]).type.shape;
  const yShape = value(node.outputs[0]).type.shape;
  const [batch, channels] = xShape;

  switch (op.kind) {
    case 'conv2d': {
      if (xShape.length !== 4) fail('only 2-D convolutions are supported');
      const weight = constant(node.inputs[1], 'weight')!;
      const bias = constant(node.inputs[2], 'bias');
      const x = activation(node.inputs[0]);
      const y = activation(node.outputs[0]);
      const outChannels = yShape[1];
      if (op.residual || (op.activation !== 'none' && op.activation !== 'relu')) fail(`conv epilogue ${op.activation}${op.residual ? ' + residual' : ''} is not supported`);
      const relu = op.activation === 'relu';
      // The class comes from the IR (classify-convs).
      const convClass = convClassOf(op, channels, outChannels);
      if (convClass === 'pointwise') return [conv1x1Kernel(entry(), { x, y, inChannels: channels, outChannels, plane: planeOf(yShape), batch, weight, bias, relu })];
      const params: SpatialConvParams = {
        x, y, inChannels: channels, outChannels, groups: op.groups, outPlane: planeOf(yShape), batch, weight, bias, relu,
        window: { inH: xShape[2], inW: xShape[3], outW: yShape[3], kernel: op.kernel, stride: op.stride, pads: op.pads, dilations: op.dilations },
      };
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
      if (op.kind === 'reduceMean') {
        const axes = op.axes.map((a) => (a < 0 ? a + xShape.length : a)).sort();
        if (axes.join() !== Array.from({ length: xShape.length - 2 }, (_, i) => i + 2).join()) fail('reduceMean is supported over the spatial axes only');
      }
      return [globalAvgPoolKernel(entry(), { x: activation(node.inputs[0]), y: activation(node.outputs[0]), channels, plane: planeOf(xShape), batch })];
    }
    case 'dense':
    case 'gemm':
    case 'matMul':
      return [lowerClassifier(cx, node, activation, fail, entry)];
    case 'relu':
      return [pointwiseKernel(entry(), { x: activation(node.inputs[0]), y: activation(node.outputs[0]), channels, plane: planeOf(xShape) , batch, relu: true })];
    default:
      if (op.kind === 'concat' && isViewNode(cx.graph, node)) {
        // A concat the plan had to materialise (graph output, or parts in different buffers): one copy per part.
        const out = cx.placementOf(node.outputs[0]);
        let first = 0;
        return node.inputs.map((id) => {
          const shape = value(id).type.shape;
          const slice: Placement = { ...out, channelOffsets: out.channelOffsets.slice(first, (first += shape[1])) };
          return pointwiseKernel(entry(), { x: activation(id), y: cx.operandOf(slice), channels: shape[1], plane: planeOf(shape), batch: shape[0], relu: false });
        });
      }
      if (isViewNode(cx.graph, node)) {
        // A view the plan had to materialise (it is a graph output): copy each output whose planes moved.
        const virtual = viewPlacements(cx.graph, node, node.inputs.map(cx.placementOf));
        return node.outputs.map((id, i) => {
          const shape = value(id).type.shape;
          return pointwiseKernel(entry(), { x: cx.operandOf(virtual[i]), y: activation(id), channels: shape[1], plane: planeOf(shape), batch: shape[0], relu: false });
        });
      }
      return fail(`no kernel for ${op.kind} (the passes should have removed or fused it)`);
  }
}

function lowerClassifier(
  cx: LoweringContext,
  node: Node,
  activation: (id: number) => Operand,
  fail: (reason: string) => never,
  entry: () => { entry: string },
): Kernel {
  // The layer's weight [M,K] and bias with alpha/beta folded, whatever form (dense, gemm, matMul) it has.
  const form = denseForm(cx.graph, node);
  if (typeof form === 'string') return fail(form);
  const { batch, inFeatures, outFeatures, weight, bias } = form;
  return classifierKernel(entry(), { a: activation(node.inputs[0]), y: activation(node.outputs[0]), inFeatures, outFeatures, batch, weight, bias });
}
