// Ops that are evaluated entirely at import: constants and the shape queries around them.

import { CompileError } from '../../ir/errors.ts';
import type { Tensor } from '../../interpreter/tensor.ts';
import type { NodeView } from './node-view.ts';
import { checkShape } from './size-limits.ts';
import { dataTypeName, isFloatType } from './tensor-proto.ts';

const ints = (values: readonly number[], shape: readonly number[] = [values.length]): Tensor => ({ type: { dtype: 'i64', shape }, data: Float64Array.from(values) });
const floats = (values: readonly number[], shape: readonly number[] = [values.length]): Tensor => ({ type: { dtype: 'f32', shape }, data: Float32Array.from(values) });

export function importConstant(n: NodeView): number[] {
  const a = n.attrs;
  let t: Tensor | undefined;
  if (a.has('value')) t = a.tensor('value');
  else if (a.has('value_float')) t = floats([a.float('value_float')], []);
  else if (a.has('value_floats')) t = floats(a.floats('value_floats'));
  else if (a.has('value_int')) t = ints([a.int('value_int')], []);
  else if (a.has('value_ints')) t = ints(a.ints('value_ints'));
  if (!t) throw new CompileError('Constant has no supported value attribute (sparse and string constants are not supported)', { kind: 'unsupported' });
  return [n.constantResult(t)];
}

/** Shape is known for every value (the IR is fully static), so it is always a constant. */
export function importShape(n: NodeView): number[] {
  const shape = n.shape(0);
  const clampIndex = (i: number) => Math.min(Math.max(i < 0 ? i + shape.length : i, 0), shape.length);
  const start = clampIndex(n.attrs.int('start', 0));
  const end = clampIndex(n.attrs.int('end', shape.length));
  return [n.constantResult(ints(shape.slice(start, Math.max(start, end))))];
}

export function importCast(n: NodeView): number[] {
  const to = n.attrs.int('to');
  const toFloat = isFloatType(to);
  if (!toFloat && ![2, 3, 4, 5, 6, 7, 9, 12, 13].includes(to)) throw new CompileError(`Cast to ${dataTypeName(to)} is not supported`, { kind: 'unsupported' });
  const v = n.value(0);
  if (!v.data) {
    if (toFloat && v.type.dtype === 'f32') return n.emit({ kind: 'identity' }, [n.input(0)]);
    throw new CompileError(`Cast of a runtime ${v.type.dtype} tensor to ${dataTypeName(to)} is not supported`, { kind: 'unsupported' });
  }
  const shape = v.type.shape;
  if (toFloat) return [n.constantResult(floats(Array.from(v.data), shape))];
  // Float -> integer casts truncate toward zero; BOOL keeps only "is non-zero".
  const convert = to === 9 ? (x: number) => (x !== 0 ? 1 : 0) : Math.trunc;
  return [n.constantResult(ints(Array.from(v.data, convert), shape))];
}

export function importConstantOfShape(n: NodeView): number[] {
  const shape = n.constantInts(0, 'shape');
  checkShape(shape, 'ConstantOfShape output');
  const fill = n.attrs.tensor('value') ?? floats([0], [1]);
  if (fill.data.length !== 1) throw new CompileError('ConstantOfShape value must hold exactly one element');
  const size = shape.reduce((p, d) => p * d, 1);
  const data = fill.type.dtype === 'f32' ? new Float32Array(size).fill(fill.data[0]) : new Float64Array(size).fill(fill.data[0]);
  return [n.constantResult({ type: { dtype: fill.type.dtype, shape }, data })];
}

export function importRange(n: NodeView): number[] {
  const scalar = (i: number, what: string) => {
    const t = n.constant(i, what);
    if (t.data.length !== 1) throw new CompileError(`Range ${what} must be a scalar`);
    return { value: t.data[0], dtype: t.type.dtype };
  };
  const start = scalar(0, 'start');
  const limit = scalar(1, 'limit');
  const delta = scalar(2, 'delta');
  if (delta.value === 0) throw new CompileError('Range delta must not be 0');
  const count = Math.max(0, Math.ceil((limit.value - start.value) / delta.value));
  checkShape([count], 'Range output');
  const values = Array.from({ length: count }, (_, i) => start.value + i * delta.value);
  return [n.constantResult(start.dtype === 'f32' ? floats(values) : ints(values))];
}
