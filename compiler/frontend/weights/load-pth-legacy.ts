// Reads torch.save's legacy format (torch < 1.6, or `_use_new_zipfile_serialization=False`), the format of the
// checkpoints torchvision still serves for ShuffleNetV2, with the same restricted unpickler and globals table as
// the zip reader: nothing in the file is ever run.
//
// Layout (torch/serialization.py, _legacy_save / _legacy_load): pickles written back to back, then raw data:
//   1. the magic number 0x1950a86a20f9469cfc6c        3. sys_info {protocol_version, little_endian, type_sizes}
//   2. the format version 1001                        4. the state_dict; storages are persistent ids
//      ('storage', torch.<T>Storage, root_key, location, numel, view_metadata)
//   5. the list of storage keys, in the order their data follows
//   then per key: int64 little-endian element count, then numel * element-size bytes of little-endian elements.
// torch's writer stores little-endian data on every host (sys_info's flag only describes the writer), so the
// loader, like torch's, ignores it.

import { CompileError, quoteName } from '../../ir/errors.ts';
import { unpickleAt } from './restricted-unpickler.ts';
import type { PickleValue, UnpickleOptions } from './restricted-unpickler.ts';
import { weightsOfStateDict } from './load-pth.ts';
import { DTYPE_BYTES } from './tensor-data.ts';
import type { StorageRef } from './torch-pickle-globals.ts';
import { asStorageRef, storageRecord, torchPickleGlobals } from './torch-pickle-globals.ts';
import type { WeightMap } from './weight-map.ts';
import { WEIGHT_LIMITS } from './weight-map.ts';

/** LONG1, 10 bytes, little-endian 0x1950a86a20f9469cfc6c: wider than the unpickler's integers, so matched as bytes. */
const MAGIC_LONG1 = [0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19];
const FORMAT_VERSION = 1001;
const PROTO = 0x80;
const FRAME = 0x95;
const STOP = 0x2e;

/** Where the magic-number pickle ends, or -1: PROTO 2..5, protocol 4's optional FRAME, the magic, STOP. */
function magicEnd(bytes: Uint8Array): number {
  if (bytes.length < 2 || bytes[0] !== PROTO || bytes[1] < 2 || bytes[1] > 5) return -1;
  let at = bytes[2] === FRAME ? 11 : 2;
  for (const b of MAGIC_LONG1) if (bytes[at++] !== b) return -1;
  return bytes[at] === STOP ? at + 1 : -1;
}

export function isLegacyTorchSave(bytes: Uint8Array): boolean {
  return magicEnd(bytes) > 0;
}

export function loadLegacyPth(bytes: Uint8Array, file: string): WeightMap {
  const fail: (reason: string) => never = (reason) => {
    throw new CompileError(reason, { file });
  };
  let at = magicEnd(bytes);
  if (at < 0) fail('not a legacy torch.save file (wrong magic number)');

  const next = (what: string, opts: UnpickleOptions): PickleValue => {
    try {
      const { value, end } = unpickleAt(bytes, at, opts);
      at = end;
      return value;
    } catch (e) {
      if (e instanceof CompileError) fail(`legacy ${what}: ${e.reason}`);
      throw e;
    }
  };
  const plain: UnpickleOptions = { globals: new Map() };

  const version = next('format version', plain);
  if (version !== FORMAT_VERSION) fail(`legacy format version ${JSON.stringify(version)} is not ${FORMAT_VERSION}`);
  if (!(next('sys_info', plain) instanceof Map)) fail('legacy sys_info is not a dict');

  const storages = new Map<string, StorageRef>();
  const root = next('state_dict pickle', { globals: torchPickleGlobals(), persistentLoad: (pid) => legacyStorage(pid, storages) });

  const keys = next('storage key list', plain);
  if (!Array.isArray(keys) || keys.length > WEIGHT_LIMITS.maxTensors || !keys.every((k) => typeof k === 'string')) fail('legacy storage key list is not a list of strings');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const data = new Map<string, Uint8Array>();
  for (const key of keys as string[]) {
    const ref = storages.get(key) ?? fail(`storage ${quoteName(key)} is listed but no tensor in the pickle uses it`);
    if (data.has(key)) fail(`storage ${quoteName(key)} is listed twice`);
    if (at + 8 > bytes.length) fail(`storage ${quoteName(key)}: unexpected end of file before its element count (truncated?)`);
    const count = view.getBigInt64(at, true);
    at += 8;
    if (count !== BigInt(ref.numel)) fail(`storage ${quoteName(key)} holds ${count} elements, the pickle says ${ref.numel}`);
    const size = ref.numel * DTYPE_BYTES[ref.dtype];
    if (size > bytes.length - at) fail(`storage ${quoteName(key)}: needs ${size} bytes, only ${bytes.length - at} left (truncated?)`);
    data.set(key, bytes.subarray(at, at + size));
    at += size;
  }

  const storageBytes = (ref: StorageRef, name: string): Uint8Array =>
    data.get(ref.key) ?? fail(`tensor ${quoteName(name)} refers to storage ${quoteName(ref.key)}, whose data the file lacks`);
  return weightsOfStateDict(root, storageBytes, true, fail);
}

/**
 * BINPERSID payload of the legacy format. Every tensor of one storage repeats the same record, so the first one
 * fixes its type and size and later ones must agree. view_metadata (storage views) only came from torch < 1.6 code
 * slicing storages directly, never from a state_dict, and is refused.
 */
function legacyStorage(pid: PickleValue, seen: Map<string, StorageRef>): PickleValue {
  const fail = (reason: string): never => {
    throw new CompileError(reason);
  };
  if (!Array.isArray(pid) || pid.length !== 6 || pid[0] !== 'storage') fail('persistent id is not a legacy torch storage record');
  if ((pid as PickleValue[])[5] !== null) fail('storage views (view_metadata) are not supported');
  const made = storageRecord((pid as PickleValue[]).slice(1, 5));
  const ref = asStorageRef(made)!;
  const earlier = seen.get(ref.key);
  if (!earlier) {
    if (seen.size >= WEIGHT_LIMITS.maxTensors) fail(`more than ${WEIGHT_LIMITS.maxTensors} storages`);
    seen.set(ref.key, ref);
  } else if (earlier.dtype !== ref.dtype || earlier.numel !== ref.numel) {
    fail(`storage ${quoteName(ref.key)} is described twice, as ${earlier.numel} ${earlier.dtype} and ${ref.numel} ${ref.dtype}`);
  }
  return made;
}
