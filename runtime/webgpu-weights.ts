// Loads a WGSL model's files, `<name>.weights.bin` (little-endian f32) and `<name>.wgsl`, from bytes, a URL or a
// path, in browsers and in Node.

export type WeightsSource = ArrayBuffer | ArrayBufferView | URL | string;

async function readBytes(source: WeightsSource): Promise<ArrayBuffer> {
  if (source instanceof ArrayBuffer) return source;
  if (ArrayBuffer.isView(source)) return source.buffer.slice(source.byteOffset, source.byteOffset + source.byteLength) as ArrayBuffer;
  const url = source instanceof URL ? source : undefined;
  const isFile = url ? url.protocol === 'file:' : typeof source === 'string' && !/^[a-z]+:\/\//i.test(source) && typeof window === 'undefined';
  if (isFile) {
    // Node only: fetch() cannot read file: URLs there. Kept out of bundles' static graph on purpose.
    const fsName = 'node:fs/promises';
    const fs = (await import(/* @vite-ignore */ fsName)) as typeof import('node:fs/promises');
    const bytes = await fs.readFile(url ?? (source as string));
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }
  const response = await fetch(source as URL | string);
  if (!response.ok) throw new Error(`cannot load ${String(source)}: HTTP ${response.status}`);
  return response.arrayBuffer();
}

/** The weights as floats; checks the length the model expects. */
export async function loadWeights(source: WeightsSource, expectedFloats: number): Promise<Float32Array> {
  const bytes = await readBytes(source);
  if (bytes.byteLength !== expectedFloats * 4) throw new Error(`weights hold ${bytes.byteLength} bytes, the model expects ${expectedFloats * 4}`);
  const view = new DataView(bytes);
  const floats = new Float32Array(expectedFloats);
  for (let i = 0; i < expectedFloats; i++) floats[i] = view.getFloat32(i * 4, true);
  return floats;
}

/** WGSL code as given, or loaded from a URL (`<name>.wgsl`: the one copy of the shader a compiled model has). */
export type ShaderSource = string | URL;

export async function loadShader(source: ShaderSource): Promise<string> {
  return typeof source === 'string' ? source : new TextDecoder().decode(await readBytes(source));
}
