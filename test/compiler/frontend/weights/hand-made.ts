// Builders for hand-assembled test inputs: pickle opcodes (from Python's pickletools docs) and zip archives
// (from PKWARE's APPNOTE), so tests can state exactly which bytes a reader is given.

const encoder = new TextEncoder();

export const text = (s: string): number[] => [...encoder.encode(s)];
export const u32 = (n: number): number[] => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff];

/** Pickle opcodes used by the tests, named as in pickletools. */
export const op = {
  PROTO2: [0x80, 2],
  STOP: 0x2e,
  MARK: 0x28,
  EMPTY_TUPLE: 0x29,
  EMPTY_DICT: 0x7d,
  TUPLE: 0x74,
  TUPLE1: 0x85,
  TUPLE2: 0x86,
  SETITEM: 0x73,
  REDUCE: 0x52,
  BINPERSID: 0x51,
  NEWFALSE: 0x89,
  NONE: 0x4e,
  LIST: 0x6c,
  binint1: (n: number) => [0x4b, n],
  binint: (n: number) => [0x4a, ...u32(n >>> 0)],
  binunicode: (s: string) => [0x58, ...u32(text(s).length), ...text(s)],
  shortUnicode: (s: string) => [0x8c, text(s).length, ...text(s)],
  global: (module: string, name: string) => [0x63, ...text(`${module}\n${name}\n`)],
};

/**
 * Pickle of {key: _rebuild_tensor_v2(storage('0', FloatStorage, numel), offset, size, stride, False, OrderedDict())}.
 * `pidTail` goes at the end of the storage's persistent id tuple (the legacy format adds view_metadata there).
 */
export function tensorDictPickle(key: string, numel: number, offset: number, size: number[], stride: number[], pidTail: number[] = []): Uint8Array {
  const tuple = (xs: number[]) => [op.MARK, ...xs.flatMap(op.binint), op.TUPLE];
  return Uint8Array.from([
    ...op.PROTO2, op.EMPTY_DICT, ...op.binunicode(key),
    ...op.global('torch._utils', '_rebuild_tensor_v2'), op.MARK,
    op.MARK, ...op.binunicode('storage'), ...op.global('torch', 'FloatStorage'), ...op.binunicode('0'), ...op.binunicode('cpu'), ...op.binint(numel), ...pidTail, op.TUPLE, op.BINPERSID,
    ...op.binint(offset), ...tuple(size), ...tuple(stride), op.NEWFALSE, ...op.global('collections', 'OrderedDict'), op.EMPTY_TUPLE, op.REDUCE,
    op.TUPLE, op.REDUCE, op.SETITEM, op.STOP,
  ]);
}

export interface HandEntry {
  name: string;
  data: Uint8Array;
  /** CRC-32 of the uncompressed data as recorded in the headers. */
  crc: number;
  method?: number;
  size?: number;
  flags?: number;
}

/** A minimal zip: local header + data per entry, central directory, end record. */
export function makeZip(entries: HandEntry[]): Uint8Array {
  const parts: number[] = [];
  const central: number[] = [];
  const u16 = (a: number[], n: number) => a.push(n & 0xff, (n >> 8) & 0xff);
  const put32 = (a: number[], n: number) => a.push(...u32(n));
  for (const e of entries) {
    const name = text(e.name);
    const offset = parts.length;
    const size = e.size ?? e.data.length;
    put32(parts, 0x04034b50); u16(parts, 20); u16(parts, e.flags ?? 0); u16(parts, e.method ?? 0); put32(parts, 0);
    put32(parts, e.crc); put32(parts, e.data.length); put32(parts, size); u16(parts, name.length); u16(parts, 0);
    parts.push(...name, ...e.data);
    put32(central, 0x02014b50); u16(central, 20); u16(central, 20); u16(central, e.flags ?? 0); u16(central, e.method ?? 0); put32(central, 0);
    put32(central, e.crc); put32(central, e.data.length); put32(central, size); u16(central, name.length); u16(central, 0); u16(central, 0);
    u16(central, 0); u16(central, 0); put32(central, 0); put32(central, offset);
    central.push(...name);
  }
  const dirOffset = parts.length;
  parts.push(...central);
  put32(parts, 0x06054b50); u16(parts, 0); u16(parts, 0); u16(parts, entries.length); u16(parts, entries.length);
  put32(parts, central.length); put32(parts, dirOffset); u16(parts, 0);
  return Uint8Array.from(parts);
}
