// ONNX TensorProto -> IR constant (f32 or i64), from raw_data or the typed repeated fields.
// Floating types become f32 and integer/bool types become i64 (the only two dtypes of the IR).

import type { onnx } from 'onnx-proto';
import { CompileError } from '../../ir/errors.ts';
import { halfToFloat } from '../float16.ts';
import type { Tensor } from '../../interpreter/tensor.ts';
import { numel } from '../../ir/types.ts';
import { toNumber } from './numbers.ts';
import { checkShape } from './size-limits.ts';

/** onnx.TensorProto.DataType values, with their byte size in raw_data. */
const DATA_TYPES: Record<number, { name: string; bytes: number; float: boolean }> = {
  1: { name: 'FLOAT', bytes: 4, float: true },
  2: { name: 'UINT8', bytes: 1, float: false },
  3: { name: 'INT8', bytes: 1, float: false },
  4: { name: 'UINT16', bytes: 2, float: false },
  5: { name: 'INT16', bytes: 2, float: false },
  6: { name: 'INT32', bytes: 4, float: false },
  7: { name: 'INT64', bytes: 8, float: false },
  9: { name: 'BOOL', bytes: 1, float: false },
  10: { name: 'FLOAT16', bytes: 2, float: true },
  11: { name: 'DOUBLE', bytes: 8, float: true },
  12: { name: 'UINT32', bytes: 4, float: false },
  13: { name: 'UINT64', bytes: 8, float: false },
};

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function dataTypeName(code: number): string {
  return DATA_TYPES[code]?.name ?? `data type ${code}`;
}

/** True for the ONNX element types that map to the IR's f32. */
export function isFloatType(code: number): boolean {
  return DATA_TYPES[code]?.float ?? false;
}

export function tensorFromProto(t: onnx.ITensorProto, what: string): Tensor {
  if ((t.externalData ?? []).length > 0 || t.dataLocation === 1) {
    throw new CompileError(`${what} keeps its data in an external file, which snv2c does not read; re-export with the weights inside the .onnx file`);
  }
  const code = t.dataType ?? 0;
  const type = DATA_TYPES[code];
  if (!type) throw new CompileError(`${what} has unsupported element type ${dataTypeName(code)}`, { kind: 'unsupported' });
  const shape = (t.dims ?? []).map(toNumber);
  checkShape(shape, what);
  const count = numel(shape);
  const raw = t.rawData && t.rawData.length > 0 ? t.rawData : undefined;
  if (raw && code === 1 && LITTLE_ENDIAN_HOST) {
    // Fast path for weights: one aligned copy of the bytes (raw_data is an unaligned view into the file).
    if (raw.length !== count * 4) throw new CompileError(`${what} holds ${raw.length} bytes of raw data, its shape needs ${count * 4}`);
    // (Uint8Array.prototype.slice copies; protobufjs may hand over a Node Buffer whose slice would not.)
    const copy = new Uint8Array(raw.length);
    copy.set(raw);
    return { type: { dtype: 'f32', shape }, data: new Float32Array(copy.buffer) };
  }
  const values = raw ? fromRaw(raw, code, count, what) : fromTypedFields(t, code, count, what);
  const data = type.float ? Float32Array.from(values) : Float64Array.from(values);
  return { type: { dtype: type.float ? 'f32' : 'i64', shape }, data };
}

function fromRaw(raw: Uint8Array, code: number, count: number, what: string): ArrayLike<number> {
  const size = DATA_TYPES[code].bytes;
  if (raw.length !== count * size) throw new CompileError(`${what} holds ${raw.length} bytes of raw data, its shape needs ${count * size}`);
  // raw_data is a view into the file buffer at any offset: DataView reads unaligned little-endian values safely.
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const read = readerFor(code, view);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = read(i);
  return out;
}

function readerFor(code: number, v: DataView): (i: number) => number {
  const clampBig = (b: bigint): number => Number(b > 2n ** 53n ? 2n ** 53n : b < -(2n ** 53n) ? -(2n ** 53n) : b);
  switch (code) {
    case 1: return (i) => v.getFloat32(i * 4, true);
    case 2: case 9: return (i) => v.getUint8(i);
    case 3: return (i) => v.getInt8(i);
    case 4: return (i) => v.getUint16(i * 2, true);
    case 5: return (i) => v.getInt16(i * 2, true);
    case 6: return (i) => v.getInt32(i * 4, true);
    case 7: return (i) => clampBig(v.getBigInt64(i * 8, true));
    case 10: return (i) => halfToFloat(v.getUint16(i * 2, true));
    case 11: return (i) => v.getFloat64(i * 8, true);
    case 12: return (i) => v.getUint32(i * 4, true);
    default: return (i) => clampBig(v.getBigUint64(i * 8, true));
  }
}

function fromTypedFields(t: onnx.ITensorProto, code: number, count: number, what: string): ArrayLike<number> {
  let values: ArrayLike<number>;
  switch (code) {
    case 1: values = t.floatData ?? []; break;
    case 11: values = t.doubleData ?? []; break;
    case 7: values = (t.int64Data ?? []).map(toNumber); break;
    case 12: case 13: values = (t.uint64Data ?? []).map(toNumber); break;
    // FLOAT16 travels as its bit pattern in int32_data.
    case 10: values = (t.int32Data ?? []).map(halfToFloat); break;
    default: values = t.int32Data ?? [];
  }
  if (values.length !== count) throw new CompileError(`${what} holds ${values.length} values, its shape needs ${count}`);
  return values;
}
