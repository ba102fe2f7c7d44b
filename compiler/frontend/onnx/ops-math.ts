// Elementwise arithmetic, matrix products and reductions (activations are in ops-activation.ts).

import { CompileError } from '../../ir/errors.ts';
import type { BinaryFn } from '../../ir/types.ts';
import { normaliseAxis } from '../../ir/shape-inference.ts';
import type { NodeView } from './node-view.ts';

export const importBinary = (fn: BinaryFn) => (n: NodeView): number[] => n.emit({ kind: 'binary', fn }, [n.input(0), n.input(1)]);

export function importIdentity(n: NodeView): number[] {
  return n.emit({ kind: 'identity' }, [n.input(0)]);
}

/** Dropout at inference is the identity; its optional mask output has no inference meaning. */
export function importDropout(n: NodeView): number[] {
  const training = n.optionalInput(2);
  if (training !== undefined && n.constant(2, 'training_mode').data[0] !== 0) throw new CompileError('Dropout in training mode is not supported', { kind: 'unsupported' });
  if (n.outputUsed(1)) throw new CompileError('the mask output of Dropout is not supported', { kind: 'unsupported' });
  return n.emit({ kind: 'identity' }, [n.input(0)]);
}

export function importGemm(n: NodeView): number[] {
  const c = n.optionalInput(2);
  const op = {
    kind: 'gemm',
    transA: n.attrs.int('transA', 0) !== 0,
    transB: n.attrs.int('transB', 0) !== 0,
    alpha: n.attrs.float('alpha', 1),
    beta: n.attrs.float('beta', 1),
  } as const;
  return n.emit(op, [n.input(0), n.input(1), ...(c === undefined ? [] : [c])]);
}

export function importMatMul(n: NodeView): number[] {
  return n.emit({ kind: 'matMul' }, [n.input(0), n.input(1)]);
}

/** ReduceMean: axes are an attribute before opset 18 and an input from 18 on; either form is accepted. */
export function importReduceMean(n: NodeView): number[] {
  const rank = n.shape(0).length;
  let axes: number[] | undefined = n.hasInput(1) ? n.constantInts(1, 'axes') : n.attrs.has('axes') ? n.attrs.ints('axes') : undefined;
  if (!axes || axes.length === 0) {
    if (n.attrs.int('noop_with_empty_axes', 0) !== 0) return n.emit({ kind: 'identity' }, [n.input(0)]);
    axes = [...Array(rank).keys()];
  }
  const normalised = axes.map((a) => normaliseAxis(a, rank));
  if (new Set(normalised).size !== normalised.length) throw new CompileError(`ReduceMean axes [${axes.join(',')}] repeat an axis`);
  return n.emit({ kind: 'reduceMean', axes: normalised.sort((a, b) => a - b), keepDims: n.attrs.int('keepdims', 1) !== 0 }, [n.input(0)]);
}
