// NumPy .npy files (format versions 1, 2 and 3) holding little-endian float32 arrays in C order.
// float64 ('<f8') is accepted and converted, so arrays saved without `.astype(np.float32)` still load.
// This file is part of the runtime (shipped without the compiler), so it has its own error type.

export class NpyFormatError extends Error {
  constructor(message: string) {
    super(message.replace(/[\r\n\t]+/g, ' '));
    this.name = 'NpyFormatError';
  }
}

export interface NpyArray {
  readonly shape: number[];
  readonly data: Float32Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"
const MAX_ELEMENTS = 2 ** 31;

export function readNpy(bytes: Uint8Array, file = '.npy file'): NpyArray {
  const fail = (why: string): never => {
    throw new NpyFormatError(`${file}: ${why}`);
  };
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) fail('not a NumPy .npy file (bad magic)');
  const major = bytes[6];
  if (major < 1 || major > 3 || bytes[7] !== 0) fail(`unsupported .npy format version ${major}.${bytes[7]}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lengthBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lengthBytes) fail('truncated header');
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataStart = 8 + lengthBytes + headerLength;
  if (dataStart > bytes.length) fail('truncated header');
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(8 + lengthBytes, dataStart));
  const { descr, fortranOrder, shape } = parseHeader(header, fail);
  if (fortranOrder) fail('fortran_order arrays are not supported (save a C-ordered array: np.ascontiguousarray)');
  const itemSize = descr === '<f4' ? 4 : descr === '<f8' ? 8 : fail(`dtype ${JSON.stringify(descr)} is not supported (need little-endian float32 '<f4' or float64 '<f8')`);
  const count = shape.reduce((p, d) => p * d, 1);
  if (count > MAX_ELEMENTS) fail(`shape (${shape.join(', ')}) is absurdly large`);
  const payload = bytes.length - dataStart;
  if (payload !== count * itemSize) fail(`holds ${payload} data bytes, shape (${shape.join(', ')}) of ${descr} needs ${count * itemSize}`);
  const data = new Float32Array(count);
  for (let i = 0; i < count; i++) data[i] = itemSize === 4 ? view.getFloat32(dataStart + 4 * i, true) : view.getFloat64(dataStart + 8 * i, true);
  return { shape, data };
}

/**
 * The header is a Python dict literal such as
 * {'descr': '<f4', 'fortran_order': False, 'shape': (1, 3, 224, 224), }
 * Parsed with a small strict grammar (never evaluated): exactly these three keys, in any order.
 */
function parseHeader(text: string, fail: (why: string) => never): { descr: string; fortranOrder: boolean; shape: number[] } {
  if (!text.endsWith('\n')) fail('header does not end with a newline');
  let pos = 0;
  const skip = () => {
    while (pos < text.length && /\s/.test(text[pos])) pos++;
  };
  const expect = (c: string) => {
    skip();
    if (text[pos] !== c) fail(`malformed header near ${JSON.stringify(text.slice(pos, pos + 20))}`);
    pos++;
  };
  const peek = (c: string) => {
    skip();
    return text[pos] === c;
  };
  const str = (): string => {
    skip();
    const quote = text[pos];
    if (quote !== "'" && quote !== '"') fail('malformed header: expected a string');
    const end = text.indexOf(quote, pos + 1);
    if (end < 0) fail('malformed header: unterminated string');
    const s = text.slice(pos + 1, end);
    pos = end + 1;
    return s;
  };
  const word = (): string => {
    skip();
    const m = /^[A-Za-z]+|^\d+/.exec(text.slice(pos));
    if (!m) fail(`malformed header near ${JSON.stringify(text.slice(pos, pos + 20))}`);
    pos += m![0].length;
    return m![0];
  };
  const fields = new Map<string, unknown>();
  expect('{');
  while (!peek('}')) {
    const key = str();
    expect(':');
    if (fields.has(key)) fail(`header repeats key ${JSON.stringify(key)}`);
    if (key === 'descr') fields.set(key, str());
    else if (key === 'fortran_order') {
      const w = word();
      if (w !== 'True' && w !== 'False') fail('fortran_order must be True or False');
      fields.set(key, w === 'True');
    } else if (key === 'shape') {
      expect('(');
      const dims: number[] = [];
      while (!peek(')')) {
        const w = word();
        if (!/^\d+$/.test(w)) fail('shape entries must be non-negative integers');
        dims.push(Number(w));
        if (!peek(')')) expect(',');
      }
      expect(')');
      fields.set(key, dims);
    } else fail(`unexpected header key ${JSON.stringify(key.slice(0, 40))}`);
    if (!peek('}')) expect(',');
  }
  expect('}');
  skip();
  if (pos !== text.length) fail('trailing text after the header dict');
  for (const k of ['descr', 'fortran_order', 'shape']) if (!fields.has(k)) fail(`header lacks ${k}`);
  return { descr: fields.get('descr') as string, fortranOrder: fields.get('fortran_order') as boolean, shape: fields.get('shape') as number[] };
}

/** Writes a version-1 .npy of little-endian float32 (version 2 only if the header would not fit 64 KiB). */
export function writeNpy(shape: readonly number[], data: Float32Array): Uint8Array {
  const count = shape.reduce((p, d) => p * d, 1);
  if (count !== data.length) throw new NpyFormatError(`shape (${shape.join(', ')}) needs ${count} values, got ${data.length}`);
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let dict = `{'descr': '<f4', 'fortran_order': False, 'shape': (${dims}), }`;
  const major = dict.length + 12 > 65535 ? 2 : 1;
  const prefix = 8 + (major === 1 ? 2 : 4);
  // NumPy pads the header with spaces so the data starts on a 64-byte boundary.
  const total = Math.ceil((prefix + dict.length + 1) / 64) * 64;
  dict = dict.padEnd(total - prefix - 1, ' ') + '\n';
  const out = new Uint8Array(total + data.length * 4);
  out.set(MAGIC);
  out[6] = major;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (major === 1) view.setUint16(8, dict.length, true);
  else view.setUint32(8, dict.length, true);
  out.set(new TextEncoder().encode(dict), prefix);
  for (let i = 0; i < data.length; i++) view.setFloat32(total + 4 * i, data[i], true);
  return out;
}
