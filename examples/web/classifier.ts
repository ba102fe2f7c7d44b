// The model behind the page: compiled at build time by snv2c/plugin for both WebGPU (WGSL) and WebAssembly; the
// page uses WGSL when navigator.gpu gives an adapter and wasm otherwise. Only the chosen build's weights are
// downloaded (each is a separate asset loaded by URL).

import { IMAGENET_CLASSES, preprocessImage, topClasses, type Model, type RankedClass, type RgbImage } from 'snv2c/runtime';
import * as wasm from './classifier.snv2c.json?target=wasm';
import * as wgsl from './classifier.snv2c.json?target=wgsl';

export type Backend = 'wgsl' | 'wasm';

export interface Classification {
  readonly top5: readonly RankedClass[];
  readonly logits: Float32Array;
  /** Milliseconds of model.run() alone (preprocessing excluded). */
  readonly inferenceMs: number;
}

async function hasWebGpuAdapter(): Promise<boolean> {
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) return false;
  const adapter = (await gpu.requestAdapter()) ?? (await gpu.requestAdapter({ featureLevel: 'compatibility' } as GPURequestAdapterOptions));
  return adapter !== null;
}

/** `forced` (from ?backend=) wins; otherwise WGSL when an adapter exists. */
export async function chooseBackend(forced: string | null): Promise<Backend> {
  if (forced === 'wgsl' || forced === 'wasm') return forced;
  return (await hasWebGpuAdapter()) ? 'wgsl' : 'wasm';
}

export class Classifier {
  private constructor(readonly backend: Backend, private readonly model: Model) {}

  static async create(backend: Backend): Promise<Classifier> {
    return new Classifier(backend, await (backend === 'wgsl' ? wgsl : wasm).createModel());
  }

  async classify(image: RgbImage): Promise<Classification> {
    const [, , height, width] = this.model.inputShape;
    const input = preprocessImage(image, { height, width });
    const started = performance.now();
    const logits = await this.model.run(input);
    const inferenceMs = performance.now() - started;
    const labels = logits.length === IMAGENET_CLASSES.length ? IMAGENET_CLASSES : undefined;
    return { top5: topClasses(logits, 5, labels), logits, inferenceMs };
  }
}
