// The only Python names a torch state_dict pickle may mention, each mapped to a TypeScript stand-in that builds a
// plain record. Nothing here looks anything up by the name a file supplies: the table is fixed.
//
//   collections.OrderedDict            the state_dict itself, and the empty backward-hooks dict of every tensor
//   torch._utils._rebuild_tensor_v2    (storage, offset, size, stride, requires_grad, hooks[, metadata]) -> tensor view
//   torch._utils._rebuild_parameter    (tensor, requires_grad, hooks) -> the tensor (nn.Parameter saved directly)
//   torch.<T>Storage                   dtype tags inside persistent ids; never called

import type { PickleDict, PickleGlobal, PickleObject, PickleValue } from './restricted-unpickler.ts';
import { isGlobal, PickleError } from './restricted-unpickler.ts';
import type { StoredDType } from './tensor-data.ts';
import { WEIGHT_LIMITS } from './weight-map.ts';

export interface StorageRef {
  readonly dtype: StoredDType;
  /** Name of the storage's file inside the archive's data/ folder. */
  readonly key: string;
  /** Elements in the storage, as the pickle claims (checked against the file's size). */
  readonly numel: number;
}

export interface TensorRef {
  readonly storage: StorageRef;
  readonly offset: number;
  readonly size: readonly number[];
  readonly stride: readonly number[];
}

const STORAGE_TYPES: Readonly<Record<string, StoredDType>> = {
  FloatStorage: 'f32',
  HalfStorage: 'f16',
  BFloat16Storage: 'bf16',
  DoubleStorage: 'f64',
  LongStorage: 'i64',
  IntStorage: 'i32',
  ShortStorage: 'i16',
  CharStorage: 'i8',
  ByteStorage: 'u8',
  BoolStorage: 'bool',
};

const fail: (reason: string) => never = (reason) => {
  throw new PickleError(reason);
};

function object(type: string, fields: Record<string, unknown>): PickleObject {
  return { kind: 'object', type, fields };
}

export function asTensorRef(v: PickleValue): TensorRef | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Map) && v.kind === 'object' && v.type === 'tensor' ? (v.fields as unknown as TensorRef) : undefined;
}

export function asStorageRef(v: PickleValue): StorageRef | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Map) && v.kind === 'object' && v.type === 'storage' ? (v.fields as unknown as StorageRef) : undefined;
}

function count(v: PickleValue, what: string, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) fail(`${what} must be an integer in 0..${max}, got ${String(v)}`);
  return v;
}

function intTuple(v: PickleValue, what: string): number[] {
  if (!Array.isArray(v) || v.length > WEIGHT_LIMITS.maxRank) fail(`${what} must be a tuple of at most ${WEIGHT_LIMITS.maxRank} integers`);
  return v.map((d) => count(d, what, WEIGHT_LIMITS.maxElements));
}

function isEmptyHooks(v: PickleValue): boolean {
  return v === null || (v instanceof Map && v.size === 0);
}

function rebuildTensor(args: PickleValue[]): PickleValue {
  if (args.length < 6 || args.length > 7) fail(`_rebuild_tensor_v2 takes 6 or 7 arguments, got ${args.length}`);
  const [storageArg, offsetArg, sizeArg, strideArg, , hooks, metadata] = args;
  const storage = asStorageRef(storageArg) ?? fail('_rebuild_tensor_v2 needs a storage as its first argument');
  const size = intTuple(sizeArg, 'tensor size');
  const stride = intTuple(strideArg, 'tensor stride');
  if (size.length !== stride.length) fail(`tensor size [${size}] and stride [${stride}] differ in rank`);
  if (!isEmptyHooks(hooks)) fail('tensors with backward hooks are not supported');
  if (metadata !== undefined && !isEmptyHooks(metadata)) fail('tensors with extra metadata are not supported');
  const offset = count(offsetArg, 'storage offset', WEIGHT_LIMITS.maxElements);
  return object('tensor', { storage, offset, size, stride } satisfies TensorRef);
}

function rebuildParameter(args: PickleValue[]): PickleValue {
  if (args.length !== 3 || !asTensorRef(args[0]) || !isEmptyHooks(args[2])) fail('_rebuild_parameter expects (tensor, requires_grad, no hooks)');
  return args[0];
}

function orderedDict(args: PickleValue[]): PickleValue {
  const dict: PickleDict = new Map();
  if (args.length === 0) return dict;
  if (args.length === 1 && Array.isArray(args[0]) && args[0].length === 0) return dict;
  return fail('OrderedDict may only be created empty (its items follow as SETITEMS)');
}

/** A fresh table per load (the values are immutable, but keeping it local avoids any shared state). */
export function torchPickleGlobals(): Map<string, PickleGlobal> {
  const table = new Map<string, PickleGlobal>();
  const add = (g: PickleGlobal): void => void table.set(g.name, g);
  // OrderedDict's state is its `_metadata` attribute (module versions): harmless, read and dropped.
  add({ kind: 'global', name: 'collections.OrderedDict', construct: orderedDict, acceptState: (_obj, state) => void (state instanceof Map || state === null || fail('OrderedDict state must be a dict')) });
  add({ kind: 'global', name: 'torch._utils._rebuild_tensor_v2', construct: rebuildTensor });
  add({ kind: 'global', name: 'torch._utils._rebuild_parameter', construct: rebuildParameter });
  for (const name of Object.keys(STORAGE_TYPES)) add({ kind: 'global', name: `torch.${name}` });
  return table;
}

/** BINPERSID payload of torch.save: ('storage', torch.<T>Storage, key, location, numel). */
export function torchPersistentLoad(pid: PickleValue): PickleValue {
  if (!Array.isArray(pid) || pid.length !== 5 || pid[0] !== 'storage') fail('persistent id is not a torch storage record');
  return storageRecord(pid.slice(1));
}

/** (torch.<T>Storage, key, location, numel): the part of a storage record the zip and legacy formats share. */
export function storageRecord([tag, key, location, numel]: PickleValue[]): PickleValue {
  if (!isGlobal(tag)) return fail('storage record lacks a storage type');
  const dtype = STORAGE_TYPES[tag.name.replace(/^torch\./, '')] ?? fail(`${tag.name} is not a storage type`);
  if (typeof key !== 'string' || !/^[0-9A-Za-z_.-]{1,64}$/.test(key) || key.includes('..')) fail('storage key must be a short plain name');
  if (typeof location !== 'string') fail('storage location must be a string');
  const ref: StorageRef = { dtype, key, numel: count(numel, 'storage size', WEIGHT_LIMITS.maxElements) };
  return object('storage', { ...ref });
}
