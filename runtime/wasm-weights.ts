// The identity of a wasm model's weights: their size and a 32-bit hash, both compiled into the module
// (`<name>_weights_bytes`, `<name>_weights_hash`), so `<name>.weights.bin` from another compilation or another
// model is refused with a one-line message before any inference. The compiler computes the same hash when it
// writes the file (targets/wasm imports it from here: one definition).

/**
 * FNV-1a over little-endian 32-bit words (the file is a multiple of 16 bytes). Word-wise because it runs on
 * every load: ~2 M multiplies for ShuffleNetV2 x1.0, a few milliseconds.
 */
export function weightsHash(words: Uint32Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < words.length; i++) h = Math.imul(h ^ words[i], 0x01000193);
  return h >>> 0;
}

const hex = (h: number) => `0x${h.toString(16).padStart(8, '0')}`;

/**
 * Copies `bytes` into the module's weight storage (`memory` at `at`) after checking its size, then checks the
 * hash of what landed there. Throws a one-line Error naming both sizes or both hashes.
 */
export function installWeights(model: string, memory: WebAssembly.Memory, at: number, expected: { bytes: number; hash: number }, bytes: Uint8Array): void {
  if (bytes.byteLength !== expected.bytes) {
    throw new Error(`wasm model ${model}: the weights hold ${bytes.byteLength} bytes, the model was compiled with ${expected.bytes} (a weights file of another model?)`);
  }
  new Uint8Array(memory.buffer, at, bytes.byteLength).set(bytes);
  // `at` is 16-byte aligned (the weight storage is a float array in the module's data).
  const hash = weightsHash(new Uint32Array(memory.buffer, at, bytes.byteLength / 4));
  if (hash !== expected.hash) {
    throw new Error(`wasm model ${model}: the weights hash to ${hex(hash)}, the model was compiled with weights ${hex(expected.hash)} (another model's or another compilation's weights file?)`);
  }
}
