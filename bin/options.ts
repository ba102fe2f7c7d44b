// Options shared by every command that loads a model, and the parsing of "1x3x224x224" shapes.

import type { Argv } from 'yargs';
import { CompileError } from '../compiler/ir/errors.ts';
import type { LoadOptions } from '../api/model-source.ts';
import { warnLine } from './warnings.ts';

export function parseShape(text: string, what = '--input-shape'): number[] {
  const parts = text.split(/[x,]/);
  const dims = parts.map((p) => (/^\d+$/.test(p.trim()) ? Number(p.trim()) : NaN));
  if (dims.some((d) => !Number.isSafeInteger(d) || d < 1)) throw new CompileError(`${what} must look like 1x3x224x224 (positive integers), got ${JSON.stringify(text.slice(0, 60))}`, { kind: 'invalid-input' });
  return dims;
}

export interface ModelArgs {
  model: string;
  'input-shape'?: string;
  weights?: string;
  seed?: number;
}

/** Adds <model>, --input-shape, --weights and --seed to a command. */
export function withModelOptions<T>(y: Argv<T>) {
  return y
    .positional('model', { type: 'string', demandOption: true, describe: 'model.onnx, spec.json, or a built-in name (shufflenet_v2_x0_5 | x1_0 | x1_5 | x2_0)' })
    .option('input-shape', { type: 'string', describe: 'input shape NxCxHxW; fixes a dynamic batch axis (e.g. 3x3x224x224)' })
    .option('weights', { type: 'string', describe: 'weights for a spec model: PyTorch .pth/.pt state_dict or .safetensors' })
    .option('seed', { type: 'number', describe: 'seed of the deterministic weight init when a spec model has no --weights' });
}

export function loadOptions(args: ModelArgs, inputShape?: readonly number[]): LoadOptions {
  return {
    inputShape: inputShape ?? (args['input-shape'] !== undefined ? parseShape(args['input-shape']) : undefined),
    weights: args.weights,
    seed: args.seed,
    warn: warnLine,
  };
}
