// A Model backed by a WebAssembly build of the emitted C (Node and browsers): one instance, tensors copied into
// and out of its linear memory around each call. The module exports `<name>_input_buffer`, `<name>_output_buffer`,
// `<name>_infer` and its weight storage (see targets/wasm/glue.ts); the weights come from `<name>.weights.bin`.
//
// Two builds of the same C sit side by side: baseline SIMD128 and relaxed SIMD (fused multiply-add). The relaxed
// one is taken where the engine validates a tiny relaxed-SIMD module (Chromium; Node 20 only with
// --experimental-wasm-relaxed-simd), the baseline one everywhere else.

import type { Model } from './model-api.ts';
import { elementCount, joinInputs, splitOutputs } from './model-api.ts';
import { installWeights } from './wasm-weights.ts';

export type BytesSource = ArrayBuffer | ArrayBufferView | URL | string;
export type WasmSource = BytesSource;
export type WasmBuild = 'relaxed' | 'baseline';

export interface WasmModelOptions {
  readonly name: string;
  /** The baseline SIMD128 module. */
  readonly wasm: WasmSource;
  /** The relaxed-SIMD module, used where the engine supports it (absent: always the baseline). */
  readonly relaxedWasm?: WasmSource;
  /** `<name>.weights.bin`: bytes or where to load them from. */
  readonly weights: BytesSource;
  /** Force one build ('relaxed' fails on engines without relaxed SIMD); default: the best the engine runs. */
  readonly build?: WasmBuild;
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  /** Every graph input / output shape when the model has several (its buffers hold them one after another). */
  readonly inputShapes?: readonly (readonly number[])[];
  readonly outputShapes?: readonly (readonly number[])[];
}

export interface WasmModel extends Model {
  /** Which of the two builds this instance runs. */
  readonly build: WasmBuild;
}

/** A module whose one function is `(v128, v128, v128) -> v128: f32x4.relaxed_madd` (opcode 0xfd 0x105). */
const RELAXED_SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  0x01, 0x08, 0x01, 0x60, 0x03, 0x7b, 0x7b, 0x7b, 0x01, 0x7b, // type section: one function type
  0x03, 0x02, 0x01, 0x00, // function section
  0x0a, 0x0d, 0x01, 0x0b, 0x00, 0x20, 0x00, 0x20, 0x01, 0x20, 0x02, 0xfd, 0x85, 0x02, 0x0b, // code: local.get 0..2, relaxed_madd
]);

/** Whether this engine runs relaxed SIMD. */
export function hasRelaxedSimd(): boolean {
  return WebAssembly.validate(RELAXED_SIMD_PROBE);
}

/** Bytes given inline, as a file: URL or path (Node), or any URL fetch() can read. */
export async function loadBytes(source: BytesSource): Promise<Uint8Array> {
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  const url = source instanceof URL ? source : new URL(source, typeof location === 'undefined' ? `file://${process.cwd()}/` : location.href);
  if (url.protocol === 'file:') {
    // Node only: fetch() cannot read file: URLs there. Kept out of bundles' static graph on purpose.
    const fsName = 'node:fs/promises';
    const fs = (await import(/* @vite-ignore */ fsName)) as typeof import('node:fs/promises');
    return fs.readFile(url);
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`cannot load ${url.href}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

function chooseBuild(opts: WasmModelOptions): WasmBuild {
  const relaxedRuns = hasRelaxedSimd();
  if (opts.build === 'relaxed' && (!relaxedRuns || !opts.relaxedWasm)) {
    throw new Error(`wasm model ${opts.name}: the relaxed-SIMD build was asked for, but ${opts.relaxedWasm ? 'this engine has no relaxed SIMD' : 'none was given'}`);
  }
  return opts.build ?? (relaxedRuns && opts.relaxedWasm ? 'relaxed' : 'baseline');
}

/** What bindWasmExports finds in an instantiated model module. */
export interface BoundWasmExports {
  /** `<name>_<suffix>`, or an error naming it. */
  readonly fn: (suffix: string) => () => number;
  readonly memory: WebAssembly.Memory;
  readonly inputPtr: number;
  readonly outputPtr: number;
  readonly infer: () => number;
}

/**
 * The exports of an instantiated model module, with `<name>.weights.bin` installed (checked against the size and
 * hash compiled in): `fn(suffix)` looks up `<name>_<suffix>`. Shared by the runtime and the benchmark driver.
 * The return type is spelt out: the runtime's declarations are emitted without lib files, where an inferred
 * WebAssembly.Memory would come out as `any`.
 */
export function bindWasmExports(instance: WebAssembly.Instance, name: string, weights: Uint8Array): BoundWasmExports {
  const exports = instance.exports as Record<string, unknown>;
  const fn = (suffix: string) => {
    const f = exports[`${name}_${suffix}`];
    if (typeof f !== 'function') throw new Error(`wasm module does not export ${name}_${suffix}`);
    return f as () => number;
  };
  const memory = exports.memory;
  if (!(memory instanceof WebAssembly.Memory)) throw new Error('wasm module does not export its memory');
  installWeights(name, memory, fn('weights_buffer')(), { bytes: fn('weights_bytes')() >>> 0, hash: fn('weights_hash')() >>> 0 }, weights);
  return { fn, memory, inputPtr: fn('input_buffer')(), outputPtr: fn('output_buffer')(), infer: fn('infer') };
}

export async function createWasmModel(opts: WasmModelOptions): Promise<WasmModel> {
  const build = chooseBuild(opts);
  const [code, weights] = await Promise.all([loadBytes(build === 'relaxed' ? opts.relaxedWasm! : opts.wasm), loadBytes(opts.weights)]);
  const { instance } = await WebAssembly.instantiate(code as BufferSource, {});
  const { memory, inputPtr, outputPtr, infer } = bindWasmExports(instance, opts.name, weights);
  const inputShapes = opts.inputShapes ?? [opts.inputShape];
  const outputShapes = opts.outputShapes ?? [opts.outputShape];
  const outCount = outputShapes.reduce((n, s) => n + elementCount(s), 0);
  let disposed = false;
  const runAll = (inputs: readonly Float32Array[]): Float32Array[] => {
    if (disposed) throw new Error(`wasm model ${opts.name} was disposed`);
    const input = joinInputs(inputShapes, inputs);
    // Views are re-made per call: memory.buffer is replaced if the module ever grows its memory.
    new Float32Array(memory.buffer, inputPtr, input.length).set(input);
    const status = infer();
    if (status !== 0) throw new Error(`wasm model ${opts.name} failed (${status})`);
    return splitOutputs(outputShapes, new Float32Array(memory.buffer, outputPtr, outCount));
  };
  const model: WasmModel = {
    inputShape: opts.inputShape,
    outputShape: opts.outputShape,
    inputShapes,
    outputShapes,
    build,
    run: (input: Float32Array) => runAll([input])[0],
    runAll,
    dispose(): void {
      disposed = true;
    },
  };
  return model;
}
