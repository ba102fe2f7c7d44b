// A small, strict reader for the zip archives torch.save writes (one folder holding data.pkl, data/<key>, version).
// torch stores every entry uncompressed, sets the data-descriptor flag (so local headers carry no sizes) and always
// appends a zip64 end record; the central directory is therefore the only trustworthy index. Everything an
// archive claims (counts, offsets, sizes) is checked against the real byte length before it is used.

import { inflateRawSync } from 'node:zlib';
import { CompileError, quoteName } from '../../ir/errors.ts';

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;
/** Far above a ShuffleNetV2 x2.0 checkpoint (~30 MB); keeps forged sizes from allocating gigabytes. */
const MAX_INFLATED_BYTES = 1 << 30;

export interface ZipEntry {
  readonly name: string;
  /** The entry's bytes (a view into the archive for stored entries). */
  readonly data: Uint8Array;
}

/** Reads every entry of the archive; throws a one-line CompileError naming the file on anything malformed. */
export function readZip(bytes: Uint8Array, file: string): Map<string, ZipEntry> {
  const fail: (reason: string) => never = (reason) => {
    throw new CompileError(reason, { file });
  };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const eocd = findEndRecord(view);
  if (eocd < 0) fail('not a zip archive or truncated (no end-of-central-directory record found)');

  const diskEntries = view.getUint16(eocd + 8, true);
  const totalEntries = view.getUint16(eocd + 10, true);
  const dirSize = view.getUint32(eocd + 12, true);
  const dirOffset = view.getUint32(eocd + 16, true);
  if (view.getUint16(eocd + 4, true) !== 0 || view.getUint16(eocd + 6, true) !== 0 || diskEntries !== totalEntries) fail('multi-disk zip archives are not supported');
  if (totalEntries === 0xffff || dirOffset === 0xffffffff || dirSize === 0xffffffff) fail('zip64 archives (over 4 GiB or 65535 entries) are not supported');
  if (dirOffset + dirSize > eocd) fail(`zip central directory (offset ${dirOffset}, ${dirSize} bytes) lies outside the file; truncated?`);

  const entries = new Map<string, ZipEntry>();
  let p = dirOffset;
  // Entries may share deflated bytes; cap the total so overlapping entries cannot multiply one bomb.
  let inflatedTotal = 0;
  for (let i = 0; i < totalEntries; i++) {
    if (p + 46 > dirOffset + dirSize || view.getUint32(p, true) !== CENTRAL_SIGNATURE) fail(`zip central directory entry ${i} is damaged`);
    const flags = view.getUint16(p + 8, true);
    const method = view.getUint16(p + 10, true);
    const crc = view.getUint32(p + 16, true);
    const packedSize = view.getUint32(p + 20, true);
    const size = view.getUint32(p + 24, true);
    const nameLength = view.getUint16(p + 28, true);
    const extraLength = view.getUint16(p + 30, true);
    const commentLength = view.getUint16(p + 32, true);
    const localOffset = view.getUint32(p + 42, true);
    const nameEnd = p + 46 + nameLength;
    if (nameEnd > dirOffset + dirSize) fail(`zip central directory entry ${i} is damaged`);
    const name = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(p + 46, nameEnd));
    const where = `zip entry ${quoteName(name)}`;
    if (flags & 0x1) fail(`${where} is encrypted`);
    if (packedSize === 0xffffffff || size === 0xffffffff || localOffset === 0xffffffff) fail(`${where} uses zip64 sizes, which are not supported`);
    if (method !== 0 && method !== 8) fail(`${where} uses compression method ${method}; only stored or deflated entries are supported`);
    if (entries.has(name)) fail(`${where} appears twice`);

    const dataStart = localDataStart(view, localOffset, nameLength, () => fail(`${where}: local header at ${localOffset} is missing or damaged; truncated?`));
    if (dataStart + packedSize > dirOffset) fail(`${where} (${packedSize} bytes at ${dataStart}) runs past the end of the data; truncated?`);
    const packed = bytes.subarray(dataStart, dataStart + packedSize);
    if (method === 8) inflatedTotal += size;
    const data = method === 0 ? packed : inflate(packed, size, inflatedTotal, where, fail);
    if (method === 0 && packedSize !== size) fail(`${where} is stored but its sizes differ (${packedSize} vs ${size})`);
    if (crc32(data) !== crc) fail(`${where} fails its CRC check; the file is corrupt`);
    entries.set(name, { name, data });
    p = nameEnd + extraLength + commentLength;
  }
  return entries;
}

function inflate(packed: Uint8Array, size: number, runningTotal: number, where: string, fail: (reason: string) => never): Uint8Array {
  if (runningTotal > MAX_INFLATED_BYTES) fail(`${where} claims ${size} bytes uncompressed, more than the ${MAX_INFLATED_BYTES} allowed in total`);
  let data: Uint8Array;
  try {
    data = inflateRawSync(packed, { maxOutputLength: Math.max(size, 1) });
  } catch {
    return fail(`${where} does not inflate (corrupt deflate data or larger than its header says)`);
  }
  if (data.length !== size) fail(`${where} inflates to ${data.length} bytes, its header says ${size}`);
  return data;
}

/** The end record sits in the last 22 + 65535 bytes; search backwards for a signature whose comment fits exactly. */
function findEndRecord(view: DataView): number {
  const last = view.byteLength - EOCD_SIZE;
  for (let p = last; p >= 0 && p >= last - MAX_COMMENT; p--) {
    if (view.getUint32(p, true) === EOCD_SIGNATURE && p + EOCD_SIZE + view.getUint16(p + 20, true) === view.byteLength) return p;
  }
  return -1;
}

/** The local header repeats the name but may carry a different extra field (torch pads it for 64-byte alignment). */
function localDataStart(view: DataView, offset: number, nameLength: number, fail: () => never): number {
  if (offset + 30 > view.byteLength || view.getUint32(offset, true) !== LOCAL_SIGNATURE) fail();
  if (view.getUint16(offset + 26, true) !== nameLength) fail();
  return offset + 30 + nameLength + view.getUint16(offset + 28, true);
}

let crcTable: Uint32Array | undefined;

/** CRC-32 (IEEE, reflected), as zip uses; catches bit rot and hand-edited archives. */
export function crc32(data: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = crcTable[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
