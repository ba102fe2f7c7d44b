// Reads a torch.save zip archive (.pth/.pt) holding a state_dict, without Python and without running its pickle:
// zip index -> restricted unpickle of data.pkl (tensor references only) -> bounds-checked copies out of data/<key>.

import { CompileError, quoteName } from '../../ir/errors.ts';
import { unpickle } from './restricted-unpickler.ts';
import type { PickleDict, PickleValue } from './restricted-unpickler.ts';
import { DTYPE_BYTES, isFloatWeightType, lastIndexOfView, readTensor } from './tensor-data.ts';
import type { StorageRef, TensorRef } from './torch-pickle-globals.ts';
import { asTensorRef, torchPersistentLoad, torchPickleGlobals } from './torch-pickle-globals.ts';
import type { WeightMap } from './weight-map.ts';
import { WEIGHT_LIMITS } from './weight-map.ts';
import { readZip } from './zip-reader.ts';
import type { ZipEntry } from './zip-reader.ts';

/** data.pkl of a torchvision ShuffleNetV2 is ~45 KB; anything near this cap is not a state_dict. */
const MAX_PICKLE_BYTES = 8 << 20;

export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

export function loadPth(bytes: Uint8Array, file: string): WeightMap {
  const fail: (reason: string) => never = (reason) => {
    throw new CompileError(reason, { file });
  };
  if (!isZip(bytes)) fail('not a torch.save zip archive (wrong magic bytes)');

  const entries = readZip(bytes, file);
  const pickles = [...entries.keys()].filter((name) => /^[^/]+\/data\.pkl$/.test(name));
  if (pickles.length !== 1) fail(`expected one <archive>/data.pkl in the zip, found ${pickles.length}`);
  const prefix = pickles[0].slice(0, -'data.pkl'.length);
  const pickle = entries.get(pickles[0])!.data;
  if (pickle.length > MAX_PICKLE_BYTES) fail(`data.pkl is ${pickle.length} bytes, more than a state_dict needs`);

  let root: PickleValue;
  try {
    root = unpickle(pickle, { globals: torchPickleGlobals(), persistentLoad: torchPersistentLoad });
  } catch (e) {
    if (e instanceof CompileError) throw new CompileError(`data.pkl: ${e.reason}`, { file });
    throw e;
  }
  const littleEndian = readByteOrder(entries.get(`${prefix}byteorder`), fail);
  const storageBytes = (ref: StorageRef, name: string): Uint8Array =>
    entries.get(`${prefix}data/${ref.key}`)?.data ?? fail(`tensor ${quoteName(name)} refers to storage ${quoteName(ref.key)}, which the archive lacks`);
  return weightsOfStateDict(root, storageBytes, littleEndian, fail);
}

/**
 * The float weights of an unpickled state_dict (both torch.save formats): `storageBytes` finds the raw bytes of
 * the storage a tensor views; every view is bounds-checked against them before it is read.
 */
export function weightsOfStateDict(root: PickleValue, storageBytes: (ref: StorageRef, name: string) => Uint8Array, littleEndian: boolean, fail: (reason: string) => never): WeightMap {
  const dict = stateDictOf(root, fail);
  const weights: WeightMap = new Map();
  for (const [key, value] of dict) {
    if (typeof key !== 'string' || key.length > WEIGHT_LIMITS.maxKeyLength) fail('state_dict keys must be strings of reasonable length');
    const name = key as string;
    const tensor = asTensorRef(value) ?? fail(`state_dict entry ${quoteName(name)} is not a tensor`);
    const { dtype } = tensor.storage;
    if (!isFloatWeightType(dtype)) {
      // BatchNorm's step counter is int64 and unused at inference.
      if (name.endsWith('num_batches_tracked')) continue;
      fail(`tensor ${quoteName(name)} has dtype ${dtype}; only float32, float16 and bfloat16 weights are supported`);
    }
    weights.set(name, materialise(name, tensor, storageBytes(tensor.storage, name), littleEndian, fail));
  }
  return weights;
}

function readByteOrder(entry: ZipEntry | undefined, fail: (reason: string) => never): boolean {
  if (!entry) return true; // torch before 2.1 wrote no record and only little-endian archives
  const order = new TextDecoder().decode(entry.data).trim();
  if (order !== 'little' && order !== 'big') fail(`unknown byteorder record ${quoteName(order)}`);
  return order === 'little';
}

/** A plain state_dict, or the common {"state_dict": {...}} wrapper of training checkpoints. */
function stateDictOf(root: PickleValue, fail: (reason: string) => never): PickleDict {
  if (!(root instanceof Map)) return fail('the pickle does not hold a dict (expected a state_dict)');
  const inner = root.get('state_dict');
  if (inner instanceof Map && ![...root.values()].some((v) => asTensorRef(v))) return inner;
  return root;
}

function materialise(name: string, tensor: TensorRef, storage: Uint8Array, littleEndian: boolean, fail: (reason: string) => never): { shape: number[]; data: Float32Array } {
  const { storage: ref, offset, size, stride } = tensor;
  const dtype = ref.dtype as 'f32' | 'f16' | 'bf16';
  const itemBytes = DTYPE_BYTES[dtype];
  const what = `tensor ${quoteName(name)}`;
  if (storage.length !== ref.numel * itemBytes) fail(`${what}: storage ${quoteName(ref.key)} holds ${storage.length} bytes, the pickle says ${ref.numel} ${dtype} elements (${ref.numel * itemBytes} bytes)`);
  let total = 1;
  for (const d of size) {
    total *= d;
    if (total > WEIGHT_LIMITS.maxElements) fail(`${what} has absurd dimensions [${size.join(',')}]`);
  }
  if (total > 0 && lastIndexOfView(offset, size, stride) >= ref.numel) fail(`${what} (size [${size}], stride [${stride}], offset ${offset}) reaches past its storage of ${ref.numel} elements`);
  const view = new DataView(storage.buffer, storage.byteOffset, storage.byteLength);
  return { shape: [...size], data: readTensor(dtype, view, littleEndian, offset, size, stride) };
}
