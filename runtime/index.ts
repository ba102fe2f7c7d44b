// `snv2c/runtime`: what compiled models run on, for code that loads artifacts itself (the emitted `<name>.js`
// modules import the same files from their own snv2c-runtime/ folder). Browser-safe: Node APIs load on demand.

export { checkInput, elementCount } from './model-api.ts';
export type { Model } from './model-api.ts';
export { readNpy, writeNpy, NpyFormatError } from './npy.ts';
export type { NpyArray } from './npy.ts';
export { createWasmModel, hasRelaxedSimd, loadBytes } from './wasm-model.ts';
export type { BytesSource, WasmBuild, WasmModel, WasmModelOptions, WasmSource } from './wasm-model.ts';
export { createWebGpuModel } from './webgpu-model.ts';
export type { WebGpuModel, WebGpuModelOptions } from './webgpu-model.ts';
export type { WebGpuModelDescription } from './webgpu-description.ts';
export type { ShaderSource, WeightsSource } from './webgpu-weights.ts';
export { IMAGENET_MEAN, IMAGENET_STD, centreCrop, normalisedTensor, preprocessImage, resizeAndCrop } from './image/preprocess.ts';
export type { PreprocessOptions } from './image/preprocess.ts';
export type { RgbImage } from './image/rgb-image.ts';
export { resizeBilinearAntialiased } from './image/resize-antialiased.ts';
export { topClasses } from './image/top-classes.ts';
export type { RankedClass } from './image/top-classes.ts';
export { IMAGENET_CLASSES } from './image/imagenet-classes.ts';
