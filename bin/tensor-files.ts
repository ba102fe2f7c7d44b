// Input/output tensor files for `run`: NumPy .npy (float32, or float64 converted) and raw little-endian .f32
// (which carries no shape, so the shape comes from --input-shape). Outputs are written atomically.

import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CompileError } from '../compiler/ir/errors.ts';
import { NpyFormatError, readNpy, writeNpy } from '../runtime/npy.ts';
import { readInputFile } from '../api/read-file.ts';

export interface HostTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

type TensorFormat = 'npy' | 'f32';

export function tensorFormat(path: string): TensorFormat {
  if (/\.npy$/i.test(path)) return 'npy';
  if (/\.f32$/i.test(path)) return 'f32';
  throw new CompileError('unknown tensor file type: expected .npy or .f32 (raw little-endian float32)', { file: path, kind: 'invalid-input' });
}

const show = (s: readonly number[]) => `[${s.join(',')}]`;

/** Reads an input tensor; `shape` (from --input-shape) is required for .f32 and must agree with a .npy's own. */
export function readTensorFile(path: string, shape?: readonly number[]): HostTensor {
  const format = tensorFormat(path);
  const bytes = readInputFile(path);
  if (format === 'npy') {
    let array;
    try {
      array = readNpy(bytes, path);
    } catch (e) {
      if (e instanceof NpyFormatError) throw new CompileError(e.message, { kind: 'invalid-input' });
      throw e;
    }
    if (shape && show(shape) !== show(array.shape)) throw new CompileError(`holds shape ${show(array.shape)} but --input-shape is ${show(shape)}`, { file: path, kind: 'invalid-input' });
    return array;
  }
  if (!shape) throw new CompileError('a raw .f32 file has no shape: give --input-shape NxCxHxW', { file: path, kind: 'invalid-input' });
  const count = shape.reduce((p, d) => p * d, 1);
  if (bytes.length !== count * 4) throw new CompileError(`holds ${bytes.length} bytes, shape ${show(shape)} needs ${count * 4}`, { file: path, kind: 'invalid-input' });
  const copy = new Uint8Array(bytes); // aligned copy
  const view = new DataView(copy.buffer);
  const data = new Float32Array(count);
  for (let i = 0; i < count; i++) data[i] = view.getFloat32(4 * i, true);
  return { shape: [...shape], data };
}

export function encodeTensor(path: string, t: HostTensor): Uint8Array {
  if (tensorFormat(path) === 'npy') return writeNpy(t.shape, t.data);
  const out = new Uint8Array(t.data.length * 4);
  const view = new DataView(out.buffer);
  t.data.forEach((x, i) => view.setFloat32(4 * i, x, true));
  return out;
}

/** Writes next to the target and renames, so a failure never leaves a partial output file. */
export function writeTensorFile(path: string, t: HostTensor): void {
  const bytes = encodeTensor(path, t);
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(temp, bytes);
    renameSync(temp, path);
  } catch (e) {
    rmSync(temp, { force: true });
    throw new CompileError(`cannot write output: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file: path, kind: 'io' });
  }
}
