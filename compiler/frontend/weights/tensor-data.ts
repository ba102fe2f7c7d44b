// Element types a checkpoint may hold, their conversion to float32 (the only type the IR computes in), and strided reads.

import { halfToFloat } from '../float16.ts';
import type { WeightMap } from './weight-map.ts';

export type StoredDType = 'f32' | 'f16' | 'bf16' | 'f64' | 'i64' | 'i32' | 'i16' | 'i8' | 'u8' | 'bool';

export const DTYPE_BYTES: Readonly<Record<StoredDType, number>> = { f32: 4, f16: 2, bf16: 2, f64: 8, i64: 8, i32: 4, i16: 2, i8: 1, u8: 1, bool: 1 };

/** Types converted to float32 exactly (float16 and bfloat16 widen without rounding). */
export function isFloatWeightType(t: StoredDType): t is 'f32' | 'f16' | 'bf16' {
  return t === 'f32' || t === 'f16' || t === 'bf16';
}

/**
 * Reads element `index` of a storage as float32. Storages are byte views that need not be aligned, so reads go
 * through a DataView; `littleEndian` follows the archive's byteorder record.
 */
export function elementReader(dtype: 'f32' | 'f16' | 'bf16', view: DataView, littleEndian: boolean): (index: number) => number {
  switch (dtype) {
    case 'f32':
      return (i) => view.getFloat32(i * 4, littleEndian);
    case 'f16':
      return (i) => halfToFloat(view.getUint16(i * 2, littleEndian));
    case 'bf16': {
      // bfloat16 is the top half of a float32.
      const scratch = new DataView(new ArrayBuffer(4));
      return (i) => {
        scratch.setUint32(0, view.getUint16(i * 2, littleEndian) << 16);
        return scratch.getFloat32(0);
      };
    }
  }
}

/** Names of tensors holding NaN or ±Inf, for the loader's warning. */
export function nonFiniteKeys(weights: WeightMap): string[] {
  const bad: string[] = [];
  for (const [key, t] of weights) {
    for (let i = 0; i < t.data.length; i++) {
      if (!Number.isFinite(t.data[i])) {
        bad.push(key);
        break;
      }
    }
  }
  return bad;
}

/**
 * Copies a (possibly strided, possibly offset) view of a storage into a new contiguous Float32Array.
 * The caller has checked that every index the view can reach lies inside the storage.
 */
export function gatherStrided(read: (index: number) => number, offset: number, size: readonly number[], stride: readonly number[]): Float32Array {
  let total = 1;
  for (const d of size) total *= d;
  const out = new Float32Array(total);
  const rank = size.length;
  const counter = new Array<number>(rank).fill(0);
  let src = offset;
  for (let i = 0; i < total; i++) {
    out[i] = read(src);
    // Odometer increment over the dims, last dim fastest (row-major output order).
    for (let d = rank - 1; d >= 0; d--) {
      if (++counter[d] < size[d]) {
        src += stride[d];
        break;
      }
      counter[d] = 0;
      src -= (size[d] - 1) * stride[d];
    }
  }
  return out;
}

/** A tensor view of a storage as contiguous float32; plain little-endian float32 views are copied in one go. */
export function readTensor(dtype: 'f32' | 'f16' | 'bf16', storage: DataView, littleEndian: boolean, offset: number, size: readonly number[], stride: readonly number[]): Float32Array {
  if (dtype === 'f32' && littleEndian && isContiguous(size, stride)) {
    let total = 1;
    for (const d of size) total *= d;
    const start = storage.byteOffset + offset * 4;
    // slice() copies, which also fixes the alignment Float32Array needs.
    return new Float32Array(storage.buffer.slice(start, start + total * 4));
  }
  return gatherStrided(elementReader(dtype, storage, littleEndian), offset, size, stride);
}

function isContiguous(size: readonly number[], stride: readonly number[]): boolean {
  let expected = 1;
  for (let d = size.length - 1; d >= 0; d--) {
    if (size[d] !== 1 && stride[d] !== expected) return false;
    expected *= size[d];
  }
  return true;
}

/** Highest storage index a view reaches (offset when it is empty), for bounds checks before reading. */
export function lastIndexOfView(offset: number, size: readonly number[], stride: readonly number[]): number {
  let last = offset;
  for (let d = 0; d < size.length; d++) last += (size[d] - 1) * stride[d];
  return last;
}
