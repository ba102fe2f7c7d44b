// Reads a .safetensors file: u64 little-endian header length, a JSON header
// {"name": {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__"?: {...}}, then one byte buffer that the
// tensors must tile exactly (no gaps, no overlaps), as the format's own reference implementation requires.

import { stridesOf } from '../../interpreter/tensor.ts';
import { CompileError, quoteName } from '../../ir/errors.ts';
import type { StoredDType } from './tensor-data.ts';
import { DTYPE_BYTES, isFloatWeightType, readTensor } from './tensor-data.ts';
import type { WeightMap } from './weight-map.ts';
import { WEIGHT_LIMITS } from './weight-map.ts';

/** The reference implementation caps headers at 100 MB; a ShuffleNetV2 header is ~30 KB. */
const MAX_HEADER_BYTES = 100_000_000;

const DTYPES: Readonly<Record<string, StoredDType>> = { F32: 'f32', F16: 'f16', BF16: 'bf16', F64: 'f64', I64: 'i64', I32: 'i32', I16: 'i16', I8: 'i8', U8: 'u8', BOOL: 'bool' };

interface HeaderEntry {
  name: string;
  dtype: StoredDType;
  shape: number[];
  begin: number;
  end: number;
}

/** Cheap sniff: a plausible header length followed by '{'. */
export function looksLikeSafetensors(bytes: Uint8Array): boolean {
  if (bytes.length < 9) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return view.getUint32(4, true) === 0 && view.getUint32(0, true) <= MAX_HEADER_BYTES && bytes[8] === 0x7b;
}

export function loadSafetensors(bytes: Uint8Array, file: string): WeightMap {
  const fail: (reason: string) => never = (reason) => {
    throw new CompileError(reason, { file });
  };
  if (bytes.length < 8) fail('truncated safetensors file (no header length)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(4, true) * 2 ** 32 + view.getUint32(0, true);
  if (8 + headerLength > bytes.length) fail(`safetensors header length ${headerLength} runs past the end of the ${bytes.length}-byte file (truncated, or not a safetensors file)`);
  if (headerLength > MAX_HEADER_BYTES) fail(`safetensors header of ${headerLength} bytes is larger than the ${MAX_HEADER_BYTES} allowed`);

  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)));
  } catch {
    fail('safetensors header is not valid UTF-8 JSON');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) return fail('safetensors header must be a JSON object');

  const dataStart = 8 + headerLength;
  const dataBytes = bytes.length - dataStart;
  const entries = Object.entries(header).filter(([name]) => name !== '__metadata__').map(([name, raw]) => parseEntry(name, raw, dataBytes, fail));
  if (entries.length > WEIGHT_LIMITS.maxTensors) fail(`safetensors header lists ${entries.length} tensors`);
  checkTiling(entries, dataBytes, fail);

  const weights: WeightMap = new Map();
  for (const e of entries) {
    if (!isFloatWeightType(e.dtype)) {
      if (e.name.endsWith('num_batches_tracked')) continue;
      fail(`tensor ${quoteName(e.name)} has dtype ${e.dtype}; only F32, F16 and BF16 weights are supported`);
    }
    const dtype = e.dtype as 'f32' | 'f16' | 'bf16';
    const slice = new DataView(bytes.buffer, bytes.byteOffset + dataStart + e.begin, e.end - e.begin);
    const strides = stridesOf(e.shape);
    weights.set(e.name, { shape: e.shape, data: readTensor(dtype, slice, true, 0, e.shape, strides) });
  }
  return weights;
}

function parseEntry(name: string, raw: unknown, dataBytes: number, fail: (reason: string) => never): HeaderEntry {
  const what = `safetensors tensor ${quoteName(name)}`;
  if (name.length > WEIGHT_LIMITS.maxKeyLength) fail(`${what}: name too long`);
  if (typeof raw !== 'object' || raw === null) fail(`${what}: entry must be an object`);
  const { dtype, shape, data_offsets: offsets } = raw as Record<string, unknown>;
  const stored = typeof dtype === 'string' && Object.hasOwn(DTYPES, dtype) ? DTYPES[dtype] : fail(`${what}: unsupported dtype ${quoteName(String(dtype))}`);
  const isCount = (d: unknown): d is number => typeof d === 'number' && Number.isInteger(d) && d >= 0;
  if (!Array.isArray(shape) || shape.length > WEIGHT_LIMITS.maxRank || !shape.every(isCount)) return fail(`${what}: shape must be at most ${WEIGHT_LIMITS.maxRank} non-negative integers`);
  const dims: number[] = [...shape];
  let numel = 1;
  for (const d of dims) {
    numel *= d;
    if (numel > WEIGHT_LIMITS.maxElements) fail(`${what} has absurd dimensions [${dims.join(',')}]`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) return fail(`${what}: data_offsets must be two non-negative integers`);
  const [begin, end]: number[] = offsets;
  if (begin > end || end > dataBytes) fail(`${what}: data_offsets [${begin}, ${end}] lie outside the ${dataBytes}-byte data section; truncated?`);
  if (end - begin !== numel * DTYPE_BYTES[stored]) fail(`${what}: shape [${dims.join(',')}] of ${dtype} needs ${numel * DTYPE_BYTES[stored]} bytes, data_offsets give ${end - begin}`);
  return { name, dtype: stored, shape: dims, begin, end };
}

/** The tensors must cover the data section exactly once, in some order: no holes (hidden data), no aliasing. */
function checkTiling(entries: HeaderEntry[], dataBytes: number, fail: (reason: string) => never): void {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  for (const e of sorted) {
    if (e.begin < at) fail(`safetensors tensor ${quoteName(e.name)} overlaps another tensor's bytes`);
    if (e.begin > at) fail(`safetensors data has a gap of ${e.begin - at} bytes before tensor ${quoteName(e.name)}`);
    at = e.end;
  }
  if (at !== dataBytes) fail(`safetensors data section has ${dataBytes - at} bytes no tensor uses`);
}
