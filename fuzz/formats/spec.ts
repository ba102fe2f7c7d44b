// Spec files: JSON with one value replaced (stage repeats and widths of every size and type, extra or missing
// keys, absurd input shapes), or text damage. The consumer builds the model with seeded weights and plans it.

import { analyzeGraph } from '../../api/compile.ts';
import { importSpec } from '../../compiler/frontend/spec/import-spec.ts';
import type { FuzzFormat, FuzzInput } from '../format.ts';
import { mutateBytes } from '../mutate-bytes.ts';
import type { Random } from '../random.ts';

const SEEDS = [
  { arch: 'shufflenet_v2', stages_repeats: [1, 2, 1], stages_out_channels: [8, 16, 32, 64, 128], num_classes: 10, input_shape: [1, 3, 32, 32] },
  { stages_repeats: [2, 1, 1], stages_out_channels: [4, 8, 12, 16, 32], num_classes: 3, input_shape: [2, 3, 17, 23] },
];
const VALUES: unknown[] = [0, 1, -1, 2, 3, 7, 1e9, 2 ** 53, 0.5, -0.0, NaN, null, true, '8', [], [1], [1, 2, 3, 4], {}, 'shufflenet_v2_x1_0'];
const KEYS = ['arch', 'stages_repeats', 'stages_out_channels', 'num_classes', 'input_shape', 'se', 'residual', '__proto__', 'constructor'];

function generate(r: Random): FuzzInput {
  const spec = structuredClone(r.pick(SEEDS)) as Record<string, unknown>;
  const key = r.pick(KEYS);
  const current = spec[key];
  let mutation = `${key}`;
  if (Array.isArray(current) && current.length && r.chance(0.7)) current[r.int(current.length)] = r.pick(VALUES);
  else if (r.chance(0.2)) delete spec[key];
  else spec[key] = r.pick(VALUES);
  let bytes = new TextEncoder().encode(JSON.stringify(spec));
  if (r.chance(0.2)) {
    bytes = new Uint8Array(mutateBytes(bytes, r));
    mutation += '; bytes';
  }
  return { bytes, mutation };
}

async function consume({ bytes }: FuzzInput): Promise<void> {
  const quiet = { warn: () => {}, log: () => {} };
  // What `snv2c <command> spec.json` does with the file: its text goes to the spec frontend, which owns JSON errors.
  const imported = importSpec(new TextDecoder().decode(bytes), { file: 'fuzz.json', seed: 1 });
  await analyzeGraph(imported, quiet);
}

export const specFormat: FuzzFormat = { name: 'spec', generate, consume };
