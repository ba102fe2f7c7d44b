// Binds the model's runtime inputs to IR values with a static shape. A dynamic axis (a dim_param such as
// "batch") must be fixed by the caller's input shape; fixed dims must agree with it.

import type { onnx } from 'onnx-proto';
import { CompileError, quoteName } from '../../ir/errors.ts';
import { toNumber } from './numbers.ts';
import { checkShape } from './size-limits.ts';
import { dataTypeName } from './tensor-proto.ts';

/** A model dim: a number, or null when dynamic (dim_param or unset). */
export function declaredShape(info: onnx.IValueInfoProto): (number | null)[] | undefined {
  const shape = info.type?.tensorType?.shape;
  if (!shape) return undefined;
  return (shape.dim ?? []).map((d) => {
    const known = (d as { value?: string }).value === 'dimValue' || (d.dimValue != null && !d.dimParam);
    const n = known ? toNumber(d.dimValue) : 0;
    return known && n > 0 ? n : null;
  });
}

export function resolveInputShape(info: onnx.IValueInfoProto, requested: readonly number[] | undefined): number[] {
  const name = quoteName(info.name ?? '');
  const elem = info.type?.tensorType?.elemType ?? 0;
  if (!info.type?.tensorType) throw new CompileError(`input ${name} is not a tensor`);
  if (elem !== 1) throw new CompileError(`input ${name} has element type ${dataTypeName(elem)}; only FLOAT inputs are supported`);
  const declared = declaredShape(info);
  const show = (s: readonly (number | null)[]) => `[${s.map((d) => d ?? '?').join(',')}]`;
  if (requested) {
    if (declared && declared.length !== requested.length) {
      throw new CompileError(`input shape [${requested.join(',')}] has rank ${requested.length}, but model input ${name} ${show(declared)} has rank ${declared.length}`);
    }
    declared?.forEach((d, i) => {
      if (d !== null && d !== requested[i]) throw new CompileError(`input shape [${requested.join(',')}] does not match model input ${name} ${show(declared)} at axis ${i}`);
    });
    checkShape(requested, `input ${name}`);
    if (requested.some((d) => d === 0)) throw new CompileError(`input shape [${requested.join(',')}] has a zero dimension`);
    return [...requested];
  }
  if (!declared) throw new CompileError(`input ${name} has no declared shape; give the input shape (e.g. --input-shape 1x3x224x224)`);
  if (declared.some((d) => d === null)) throw new CompileError(`input ${name} ${show(declared)} has a dynamic dimension; give the input shape (e.g. --input-shape 1x3x224x224)`);
  const shape = declared as number[];
  checkShape(shape, `input ${name}`);
  return shape;
}
