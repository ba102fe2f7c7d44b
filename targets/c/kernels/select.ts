// Which kernel emitter handles a node. View nodes never get here: the memory plan already made them free.

import { convClassOf } from '../../../compiler/ir/conv-class.ts';
import { denseForm } from '../../../compiler/ir/dense-form.ts';
import { CompileError } from '../../../compiler/ir/errors.ts';
import type { Node } from '../../../compiler/ir/types.ts';
import { isViewNode } from '../../../compiler/plan/views.ts';
import { emitClassifier } from './classifier.ts';
import type { Kernel, KernelContext } from './context.ts';
import { shapeOf } from './context.ts';
import { emitConv1x1 } from './conv1x1.ts';
import { emitMovementCopy } from './copy.ts';
import { emitDepthwise, isDepthwise3x3 } from './depthwise.ts';
import { emitBatchNorm, emitBinary } from './elementwise.ts';
import { emitGenericConv } from './generic-conv.ts';
import { emitGroupedConv1x1, isGroupedConv1x1 } from './grouped-conv1x1.ts';
import { emitMatMul } from './matmul.ts';
import { emitReduceMean } from './reduce.ts';
import { emitStemConv, isStemConv } from './stem.ts';
import { emitGlobalAvgPool, emitPool } from './pool.ts';
import { emitStridedCopy } from './strided-copy.ts';
import { emitUnary } from './unary.ts';

/** One kernel per output for most nodes; `fnFor(i)` names the function for output i. */
export function kernelsFor(ctx: KernelContext, node: Node, fnFor: (outputIndex: number) => string): Kernel[] {
  const op = node.op;
  const fn = fnFor(0);
  switch (op.kind) {
    case 'conv2d': {
      const inChannels = shapeOf(ctx, node.inputs[0])[1];
      const outChannels = shapeOf(ctx, node.outputs[0])[1];
      // The class comes from the IR (classify-convs); only the kernels' own window limits are checked here.
      const convClass = convClassOf(op, inChannels, outChannels);
      if (convClass === 'pointwise') return [emitConv1x1(ctx, node, fn)];
      if (convClass === 'grouped' && isGroupedConv1x1(op, inChannels, outChannels)) return [emitGroupedConv1x1(ctx, node, fn)];
      if (convClass === 'depthwise' && isDepthwise3x3(op)) return [emitDepthwise(ctx, node, fn)];
      if (convClass === 'general' && isStemConv(op, inChannels, shapeOf(ctx, node.outputs[0])[3])) return [emitStemConv(ctx, node, fn)];
      return [emitGenericConv(ctx, node, fn)];
    }
    case 'maxPool':
    case 'avgPool':
      return [emitPool(ctx, node, fn)];
    case 'globalAvgPool':
      return [emitGlobalAvgPool(ctx, node, fn)];
    case 'dense':
      return [emitClassifier(ctx, node, fn)];
    case 'gemm':
    case 'matMul':
      // The classifier takes what has a dense form (constant weights); the rest is batched dot products.
      return [typeof denseForm(ctx.graph, node) === 'string' ? emitMatMul(ctx, node, fn) : emitClassifier(ctx, node, fn)];
    case 'relu':
    case 'sigmoid':
    case 'hardSigmoid':
    case 'hardSwish':
    case 'clip':
      return [emitUnary(ctx, node, fn)];
    case 'binary':
      return [emitBinary(ctx, node, fn)];
    case 'batchNorm':
      return [emitBatchNorm(ctx, node, fn)];
    case 'reduceMean':
      return [emitReduceMean(ctx, node, fn)];
    case 'transpose':
    case 'slice':
    case 'gather':
    case 'pad':
      return [emitStridedCopy(ctx, node, fn)];
    default:
      if (['split', 'concat', 'reshape', 'identity'].includes(op.kind)) return node.outputs.map((_, i) => emitStridedCopy(ctx, node, fnFor(i), i));
      if (isViewNode(ctx.graph, node)) return node.outputs.map((_, i) => emitMovementCopy(ctx, node, fnFor(i), i));
      throw new CompileError(`C target: no kernel for ${op.kind} (run the compiler pipeline first: it folds batchNorm, fuses relu and turns channel moves into views)`, {
        node: node.origin,
        kind: 'unsupported',
      });
  }
}
