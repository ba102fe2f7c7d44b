// Picks the frontend for a model argument: an .onnx file, a JSON spec file, or a built-in spec name
// (shufflenet_v2_x0_5 ... x2_0). The spec frontend and weight loaders are imported lazily, so commands on
// ONNX files never load them.

import { existsSync } from 'node:fs';
import { importOnnx } from '../compiler/frontend/onnx/import-onnx.ts';
import { CompileError } from '../compiler/ir/errors.ts';
import type { Graph } from '../compiler/ir/types.ts';
import { readInputFile } from './read-file.ts';

export interface LoadModelOptions {
  /** Fixes the input shape (batch, resolution), e.g. [1, 3, 224, 224]. */
  readonly inputShape?: readonly number[];
  /** Weight file (.pth/.pt/.safetensors) for spec models. */
  readonly weights?: string;
  /** Seed of the deterministic weight init when a spec model has no weights. */
  readonly seed?: number;
  /** Where warnings go (default stderr). */
  readonly warn?: (message: string) => void;
}

const BUILTIN_NAME = /^shufflenet_v2_x\d_\d$/;

export type ModelFormat = 'onnx' | 'spec';

export function modelFormat(path: string): ModelFormat {
  if (/\.onnx$/i.test(path)) return 'onnx';
  if (/\.json$/i.test(path) || (BUILTIN_NAME.test(path) && !existsSync(path))) return 'spec';
  throw new CompileError('cannot tell the model format: expected an .onnx file, a .json spec or a built-in name such as shufflenet_v2_x1_0', { file: path });
}

export async function loadModel(path: string, opts: LoadModelOptions = {}): Promise<Graph> {
  if (modelFormat(path) === 'onnx') {
    if (opts.weights) throw new CompileError('--weights applies to spec models; an ONNX file carries its own weights', { file: path });
    return importOnnx(readInputFile(path), { file: path, inputShape: opts.inputShape });
  }
  const { importSpec } = await import('../compiler/frontend/spec/import-spec.ts');
  const source = BUILTIN_NAME.test(path) && !existsSync(path) ? path : new TextDecoder().decode(readInputFile(path));
  let weights;
  if (opts.weights) {
    const { loadWeights } = await import('../compiler/frontend/weights/load-weights.ts');
    weights = loadWeights(readInputFile(opts.weights), opts.weights, { warn: opts.warn });
  }
  return importSpec(source, { file: path, weights, weightsFile: opts.weights, seed: opts.seed, inputShape: opts.inputShape });
}
