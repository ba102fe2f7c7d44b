// A Model backed by a WebAssembly build of the emitted C (Node and browsers): one instance, tensors copied into
// and out of its linear memory around each call. The module exports `<name>_input_buffer`, `<name>_output_buffer`
// and `<name>_infer` (see targets/wasm/glue.ts).

import type { Model } from './model-api.ts';
import { checkInput, elementCount } from './model-api.ts';

export type WasmSource = ArrayBuffer | Uint8Array | URL | string;

export interface WasmModelOptions {
  readonly name: string;
  readonly wasm: WasmSource;
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
}

/** Bytes of a module given inline, as a file: URL (Node) or any URL fetch() can read. */
export async function loadWasmBytes(source: WasmSource): Promise<ArrayBuffer | Uint8Array> {
  if (typeof source !== 'string' && !(source instanceof URL)) return source;
  const url = source instanceof URL ? source : new URL(source, typeof location === 'undefined' ? `file://${process.cwd()}/` : location.href);
  if (url.protocol === 'file:') {
    // Node only: fetch() cannot read file: URLs there. Kept out of bundles' static graph on purpose.
    const fsName = 'node:fs/promises';
    const fs = (await import(/* @vite-ignore */ fsName)) as typeof import('node:fs/promises');
    return fs.readFile(url);
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`cannot load ${url.href}: HTTP ${response.status}`);
  return response.arrayBuffer();
}

export async function createWasmModel(opts: WasmModelOptions): Promise<Model> {
  const { instance } = await WebAssembly.instantiate((await loadWasmBytes(opts.wasm)) as BufferSource, {});
  const exports = instance.exports as Record<string, unknown>;
  const fn = (suffix: string) => {
    const f = exports[`${opts.name}_${suffix}`];
    if (typeof f !== 'function') throw new Error(`wasm module does not export ${opts.name}_${suffix}`);
    return f as () => number;
  };
  const memory = exports.memory;
  if (!(memory instanceof WebAssembly.Memory)) throw new Error('wasm module does not export its memory');
  const inputPtr = fn('input_buffer')();
  const outputPtr = fn('output_buffer')();
  const infer = fn('infer');
  const inCount = elementCount(opts.inputShape);
  const outCount = elementCount(opts.outputShape);
  let disposed = false;
  const model: Model = {
    inputShape: opts.inputShape,
    outputShape: opts.outputShape,
    run(input: Float32Array): Float32Array {
      if (disposed) throw new Error(`wasm model ${opts.name} was disposed`);
      checkInput(model, input);
      // Views are re-made per call: memory.buffer is replaced if the module ever grows its memory.
      new Float32Array(memory.buffer, inputPtr, inCount).set(input);
      const status = infer();
      if (status !== 0) throw new Error(`wasm model ${opts.name} failed (${status})`);
      return new Float32Array(memory.buffer, outputPtr, outCount).slice();
    },
    dispose(): void {
      disposed = true;
    },
  };
  return model;
}
