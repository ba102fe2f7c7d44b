// Golden outputs for users' own CI (`compile --golden N`): N seeded inputs, the reference interpreter's outputs
// for them on the *imported* graph (so every compiler pass and the target's code are under test), a manifest
// with the tolerance, and a self-test in the target's own terms: `<name>_selftest.c` for C targets (data
// embedded, no file system), `<name>.test.js` (node:test) for targets that emit a JavaScript module.

import { SeededRandom } from '../../compiler/frontend/weights/seeded-random.ts';
import { runGraph } from '../../compiler/interpreter/run-graph.ts';
import { CompileError } from '../../compiler/ir/errors.ts';
import { numel, type Graph } from '../../compiler/ir/types.ts';
import type { Artifact } from '../../compiler/target.ts';
import { writeNpy } from '../../runtime/npy.ts';
import { emitSelftest } from '../../targets/c/emit-selftest.ts';
import { nodeTestSource } from './node-test-source.ts';

export const DEFAULT_GOLDEN_CASES = 3;
const MAX_GOLDEN_CASES = 100;
/** Fixed, so recompiling writes byte-identical golden files. */
const GOLDEN_SEED = 20180730; // ShuffleNetV2's arXiv date

/** Which self-test each target gets (others: the golden files only). */
const SELFTESTS: Readonly<Record<string, 'c' | 'node'>> = { c: 'c', neon: 'c', wasm: 'node', wgsl: 'node' };

export interface GoldenCase {
  readonly input: Float32Array;
  readonly output: Float32Array;
}

export interface GoldenManifest {
  readonly generator: string;
  readonly model: string;
  readonly target: string;
  readonly input_shape: readonly number[];
  readonly output_shape: readonly number[];
  readonly tolerance: { readonly abs: number; readonly note: string };
  readonly cases: readonly { readonly input: string; readonly output: string }[];
}

/** `golden: true` means the default count; a number must be a whole number of cases. */
export function goldenCount(golden: number | boolean | undefined): number {
  if (golden === undefined || golden === false) return 0;
  if (golden === true) return DEFAULT_GOLDEN_CASES;
  if (!Number.isInteger(golden) || golden < 1 || golden > MAX_GOLDEN_CASES) {
    throw new CompileError(`golden must be a whole number of cases from 1 to ${MAX_GOLDEN_CASES}, got ${golden}`, { kind: 'invalid-input' });
  }
  return golden;
}

/**
 * fp32 kernels differ from the interpreter only in summation order and FMA contraction: a few 1e-6 of the
 * largest output on the fixtures (see test/api/golden). The tolerance is 1e-4 of the largest output, relative
 * because a randomly initialised model's logits can be ~1e-4 themselves (an absolute 1e-4 would pass anything);
 * a wrong weight, layout or routing changes outputs by the order of the outputs themselves.
 */
export function goldenTolerance(cases: readonly GoldenCase[]): number {
  let largest = 0;
  for (const c of cases) for (const y of c.output) largest = Math.max(largest, Math.abs(y));
  return Number((1e-4 * largest).toPrecision(2)) || Number.MIN_VALUE;
}

/** N standard-normal inputs (ImageNet-normalised pictures have about that spread) and the reference outputs. */
export function goldenCases(imported: Graph, count: number): GoldenCase[] {
  if (imported.inputs.length !== 1 || imported.outputs.length !== 1) {
    throw new CompileError(`golden self-tests need a model with one input and one output (this one has ${imported.inputs.length} and ${imported.outputs.length})`, { kind: 'unsupported' });
  }
  const random = new SeededRandom(GOLDEN_SEED);
  const size = numel(imported.values.get(imported.inputs[0])!.type.shape);
  return Array.from({ length: count }, () => {
    const input = Float32Array.from({ length: size }, () => random.normal());
    return { input, output: runGraph(imported, [input])[0] };
  });
}

export interface GoldenRequest {
  /** The graph as imported (the reference the compiled code must reproduce). */
  readonly imported: Graph;
  readonly target: string;
  readonly name: string;
  readonly count: number;
}

export function goldenArtifacts(request: GoldenRequest): Artifact[] {
  const { imported, target, name } = request;
  const cases = goldenCases(imported, request.count);
  const shapeOf = (id: number) => imported.values.get(id)!.type.shape;
  const tolerance = goldenTolerance(cases);
  const manifest: GoldenManifest = {
    generator: 'snv2c reference interpreter (fp32) on the imported graph; inputs standard normal, seeded',
    model: name,
    target,
    input_shape: shapeOf(imported.inputs[0]),
    output_shape: shapeOf(imported.outputs[0]),
    tolerance: { abs: tolerance, note: 'max |compiled - reference| allowed for every output element' },
    cases: cases.map((_, i) => ({ input: `input_${i}.npy`, output: `output_${i}.npy` })),
  };
  const artifacts: Artifact[] = [{ path: 'golden/manifest.json', contents: JSON.stringify(manifest, null, 2) + '\n' }];
  cases.forEach((c, i) => {
    artifacts.push({ path: `golden/${manifest.cases[i].input}`, contents: writeNpy(manifest.input_shape, c.input) });
    artifacts.push({ path: `golden/${manifest.cases[i].output}`, contents: writeNpy(manifest.output_shape, c.output) });
  });
  const selftest = SELFTESTS[target];
  if (selftest === 'c') artifacts.push(emitSelftest(name, cases, tolerance));
  if (selftest === 'node') artifacts.push({ path: `${name}.test.js`, contents: nodeTestSource(name, target) });
  return artifacts;
}
