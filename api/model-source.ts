// Model sources the library accepts, and the frontend each one goes to: an .onnx path or ONNX bytes (the ONNX
// frontend), a spec .json path, a built-in name (shufflenet_v2_x0_5 ... x2_0) or a spec object (the spec
// frontend, with optional PyTorch weights). The spec frontend and the weight loaders load lazily, so work on
// ONNX models never pulls them in.

import { existsSync } from 'node:fs';
import { importOnnx } from '../compiler/frontend/onnx/import-onnx.ts';
import { CompileError } from '../compiler/ir/errors.ts';
import type { Graph } from '../compiler/ir/types.ts';
import { readInputFile } from './read-file.ts';

/** A spec object: the architecture of the paper (see the README's "A spec"). */
export interface SpecObject {
  readonly stages_repeats: readonly number[];
  readonly stages_out_channels: readonly number[];
  readonly num_classes?: number;
  readonly [key: string]: unknown;
}

/** A path (.onnx, spec .json), a built-in name, ONNX bytes, or a spec object. */
export type ModelSource = string | Uint8Array | SpecObject;

export interface LoadOptions {
  /** Fixes the input shape (batch, resolution), e.g. [1, 3, 224, 224]. */
  readonly inputShape?: readonly number[];
  /** Weights for spec models: a .pth/.pt/.safetensors path, or the file's bytes. */
  readonly weights?: string | Uint8Array;
  /** Seed of the deterministic weight init when a spec model has no weights. */
  readonly seed?: number;
  /** How the model is named in messages when it is given as bytes or an object (default "model.onnx" / "spec"). */
  readonly file?: string;
  /** How weights given as bytes are named in messages; its extension picks the reader when the magic bytes cannot. */
  readonly weightsFile?: string;
  /** Where warnings go (default stderr). */
  readonly warn?: (message: string) => void;
}

const BUILTIN_NAME = /^shufflenet_v2_x\d_\d$/;

export type ModelFormat = 'onnx' | 'spec';

/** Which frontend reads a path or name; anything else is a one-line error. */
export function modelFormat(path: string): ModelFormat {
  if (/\.onnx$/i.test(path)) return 'onnx';
  if (/\.json$/i.test(path) || (BUILTIN_NAME.test(path) && !existsSync(path))) return 'spec';
  throw new CompileError('cannot tell the model format: expected an .onnx file, a .json spec or a built-in name such as shufflenet_v2_x1_0', { file: path, kind: 'invalid-input' });
}

/** The label a source carries in messages and reports. */
export function sourceLabel(source: ModelSource, opts: Pick<LoadOptions, 'file'> = {}): string {
  if (typeof source === 'string') return source;
  return opts.file ?? (source instanceof Uint8Array ? 'model.onnx' : 'spec');
}

const weightsLabel = (weights: string | Uint8Array, opts: LoadOptions): string => (typeof weights === 'string' ? weights : (opts.weightsFile ?? 'weights'));

/** Imports a model into the IR, before any compiler pass (what the reference interpreter runs). */
export async function loadGraph(source: ModelSource, opts: LoadOptions = {}): Promise<Graph> {
  const file = sourceLabel(source, opts);
  if (source instanceof Uint8Array || (typeof source === 'string' && modelFormat(source) === 'onnx')) {
    if (opts.weights !== undefined) throw new CompileError('weights apply to spec models; an ONNX model carries its own weights', { file, kind: 'invalid-input' });
    const bytes = typeof source === 'string' ? readInputFile(source) : source;
    return importOnnx(bytes, { file, inputShape: opts.inputShape });
  }
  if (typeof source !== 'string' && (source === null || typeof source !== 'object')) {
    throw new CompileError('a model source must be a path, a built-in name, ONNX bytes or a spec object', { kind: 'invalid-input' });
  }
  const { importSpec } = await import('../compiler/frontend/spec/import-spec.ts');
  const spec = typeof source !== 'string' ? source : BUILTIN_NAME.test(source) && !existsSync(source) ? source : new TextDecoder().decode(readInputFile(source));
  let weights;
  if (opts.weights !== undefined) {
    const { loadWeights } = await import('../compiler/frontend/weights/load-weights.ts');
    const label = weightsLabel(opts.weights, opts);
    const bytes = typeof opts.weights === 'string' ? readInputFile(opts.weights) : opts.weights;
    weights = loadWeights(bytes, label, { warn: opts.warn });
  }
  return importSpec(spec, { file, weights, weightsFile: opts.weights === undefined ? undefined : weightsLabel(opts.weights, opts), seed: opts.seed, inputShape: opts.inputShape });
}
