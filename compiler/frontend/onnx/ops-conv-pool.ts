// Convolution, pooling and batch normalisation: ONNX attributes -> fully resolved IR window ops.

import { CompileError } from '../../ir/errors.ts';
import type { NodeView } from './node-view.ts';
import { pair, resolvePads } from './auto-pad.ts';

function expect4d(n: NodeView, i: number, what: string): readonly number[] {
  const shape = n.shape(i);
  if (shape.length !== 4) throw new CompileError(`${what} must be 4-D (N,C,H,W); got shape [${shape.join(',')}] (only 2-D windows are supported)`);
  return shape;
}

export function importConv(n: NodeView): number[] {
  const x = expect4d(n, 0, 'Conv input');
  const w = expect4d(n, 1, 'Conv weight');
  // kernel_shape is optional in ONNX: the weight's spatial dims define it.
  const kernel = pair(n.attrs.ints('kernel_shape', w.slice(2)), 'kernel_shape');
  const stride = pair(n.attrs.ints('strides', [1, 1]), 'strides');
  const dilations = pair(n.attrs.ints('dilations', [1, 1]), 'dilations');
  const pads = resolvePads(n.attrs, x, { kernel, stride, dilations });
  const groups = n.attrs.int('group', 1);
  const bias = n.optionalInput(2);
  const inputs = [n.input(0), n.input(1), ...(bias === undefined ? [] : [bias])];
  return n.emit({ kind: 'conv2d', kernel, stride, pads, dilations, groups, activation: 'none' }, inputs);
}

function poolWindow(n: NodeView) {
  const x = expect4d(n, 0, `${n.opType} input`);
  const kernel = pair(n.attrs.ints('kernel_shape'), 'kernel_shape');
  const stride = pair(n.attrs.ints('strides', [1, 1]), 'strides');
  const dilations = pair(n.attrs.ints('dilations', [1, 1]), 'dilations');
  if (dilations[0] !== 1 || dilations[1] !== 1) throw new CompileError(`dilated pooling (dilations [${dilations.join(',')}]) is not supported`, { kind: 'unsupported' });
  const pads = resolvePads(n.attrs, x, { kernel, stride, dilations });
  return { kernel, stride, pads, ceilMode: n.attrs.int('ceil_mode', 0) !== 0 };
}

export function importMaxPool(n: NodeView): number[] {
  if (n.outputUsed(1)) throw new CompileError('the Indices output of MaxPool is not supported', { kind: 'unsupported' });
  return n.emit({ kind: 'maxPool', ...poolWindow(n) }, [n.input(0)]);
}

export function importAveragePool(n: NodeView): number[] {
  const countIncludePad = n.attrs.int('count_include_pad', 0) !== 0;
  return n.emit({ kind: 'avgPool', ...poolWindow(n), countIncludePad }, [n.input(0)]);
}

export function importGlobalAveragePool(n: NodeView): number[] {
  expect4d(n, 0, 'GlobalAveragePool input');
  return n.emit({ kind: 'globalAvgPool' }, [n.input(0)]);
}

export function importBatchNormalization(n: NodeView): number[] {
  if (n.attrs.int('training_mode', 0) !== 0) throw new CompileError('BatchNormalization in training mode is not supported (export the model in eval mode)', { kind: 'unsupported' });
  // Running-statistics outputs only exist in training graphs; inference needs output 0 alone.
  for (let i = 1; i < n.outputNames.length; i++) {
    if (n.outputUsed(i)) throw new CompileError('BatchNormalization training outputs (running mean/var) are not supported', { kind: 'unsupported' });
  }
  const epsilon = n.attrs.float('epsilon', 1e-5);
  return n.emit({ kind: 'batchNorm', epsilon }, [0, 1, 2, 3, 4].map((i) => n.input(i)));
}
