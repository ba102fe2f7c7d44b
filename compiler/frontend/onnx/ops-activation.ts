// Unary activations: Relu, Sigmoid, HardSigmoid, HardSwish and Clip (ReLU6 exports as Clip 0..6).

import { CompileError } from '../../ir/errors.ts';
import type { NodeView } from './node-view.ts';

export function importRelu(n: NodeView): number[] {
  return n.emit({ kind: 'relu' }, [n.input(0)]);
}

export function importSigmoid(n: NodeView): number[] {
  return n.emit({ kind: 'sigmoid' }, [n.input(0)]);
}

export function importHardSigmoid(n: NodeView): number[] {
  return n.emit({ kind: 'hardSigmoid', alpha: n.attrs.float('alpha', 0.2), beta: n.attrs.float('beta', 0.5) }, [n.input(0)]);
}

export function importHardSwish(n: NodeView): number[] {
  return n.emit({ kind: 'hardSwish' }, [n.input(0)]);
}

/** One bound of Clip: an attribute before opset 11, an optional constant scalar input from 11 on; absent = open. */
function clipBound(n: NodeView, index: number, name: 'min' | 'max'): number {
  const open = name === 'min' ? -Infinity : Infinity;
  if (n.opset < 11) return n.attrs.float(name, open);
  if (!n.hasInput(index)) return open;
  const t = n.constant(index, `Clip ${name}`);
  if (t.data.length !== 1) throw new CompileError(`Clip ${name} must be a scalar, got shape [${t.type.shape.join(',')}]`);
  return t.data[0];
}

export function importClip(n: NodeView): number[] {
  return n.emit({ kind: 'clip', min: clipBound(n, 1, 'min'), max: clipBound(n, 2, 'max') }, [n.input(0)]);
}
