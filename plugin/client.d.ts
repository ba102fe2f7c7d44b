// Types for the imports snv2c/plugin compiles. Add them to a project with `"types": ["snv2c/client"]` in
// tsconfig.json (or `/// <reference types="snv2c/client" />`). TypeScript matches a module pattern against the
// whole import string and allows one `*` in it, so a name goes before the target: `./net.onnx?name=net&target=wasm`.
// `*.snv2c.json` imports get these types only with `resolveJsonModule` off: with it on, TypeScript reads the file
// and types the import as that JSON (import a spec file with `?target=...` to get the typed module either way).
// `GPUDevice` comes from @webgpu/types.

declare namespace Snv2cPlugin {
  /** What every compiled model is (the same interface as snv2c/runtime's Model). */
  interface Model {
    /** Input shape, NCHW as in PyTorch (batch fixed at compile time). */
    readonly inputShape: readonly number[];
    /** Output shape (the logits, e.g. [1, 1000]). */
    readonly outputShape: readonly number[];
    /** Runs one inference on numel(inputShape) floats; the result is a fresh array the caller owns. */
    run(input: Float32Array): Float32Array | Promise<Float32Array>;
    /** Releases the instance; the model must not be used afterwards. */
    dispose(): void;
  }

  /** A model compiled for WebGPU. */
  interface WebGpuModel extends Model {
    run(input: Float32Array): Promise<Float32Array>;
    readonly device: GPUDevice;
    /** Compute dispatches recorded per run(). */
    readonly dispatchesPerInference: number;
  }

  type Bytes = ArrayBuffer | ArrayBufferView | URL | string;
}

declare module '*target=wasm' {
  export const inputShape: readonly number[];
  export const outputShape: readonly number[];
  /** Override where the bundled artifacts are loaded from (default: the hashed assets of the build). */
  export interface CreateModelOptions {
    readonly [artifact: string]: Snv2cPlugin.Bytes | string | undefined;
  }
  export function createModel(options?: CreateModelOptions): Promise<Snv2cPlugin.Model>;
}

declare module '*target=wgsl' {
  export const inputShape: readonly number[];
  export const outputShape: readonly number[];
  export const dispatchesPerInference: number;
  export interface CreateModelOptions {
    /** The GPUDevice to use (default: navigator.gpu's adapter). */
    readonly device?: GPUDevice;
    /** Weights bytes or URL (default: the bundled hashed asset). */
    readonly weights?: Snv2cPlugin.Bytes;
  }
  export function createModel(options?: CreateModelOptions): Promise<Snv2cPlugin.WebGpuModel>;
}

/** A spec file: { "model", "weights", "target", "name", "inputShape", "seed" }; the target is chosen in the file. */
declare module '*.snv2c.json' {
  export const inputShape: readonly number[];
  export const outputShape: readonly number[];
  export function createModel(options?: { readonly [option: string]: unknown }): Promise<Snv2cPlugin.Model>;
}
