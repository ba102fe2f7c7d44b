// The spec frontend: spec (built-in name, JSON text or object) + optional weights -> validated Graph.

import type { Graph } from '../../ir/types.ts';
import { verifyGraph } from '../../ir/verify.ts';
import { initWeights } from '../weights/init-weights.ts';
import type { WeightMap } from '../weights/weight-map.ts';
import { buildSpecGraph } from './build-spec-graph.ts';
import { checkWeights } from './check-weights.ts';
import { resolveSpec } from './shufflenet-spec.ts';
import { stateDictLayout } from './state-dict-layout.ts';
import { validateSpec } from './validate-spec.ts';

export { resolveSpec, BUILTIN_SPECS, isBuiltinSpecName } from './shufflenet-spec.ts';
export type { ShuffleNetSpec } from './shufflenet-spec.ts';

export interface ImportSpecOptions {
  /** The spec's source, for messages (a path or the built-in name). */
  file: string;
  /** A loaded checkpoint (see loadWeights); without one, weights come from the seeded torchvision-style init. */
  weights?: WeightMap;
  /** Name of the weight file, for messages about mismatched keys (defaults to `file`). */
  weightsFile?: string;
  seed?: number;
  /** Overrides the spec's input_shape ([N, 3, H, W]). */
  inputShape?: readonly number[];
}

export function importSpec(spec: unknown, opts: ImportSpecOptions): Graph {
  const raw = typeof spec === 'string' ? resolveSpec(spec, opts.file) : spec;
  const valid = validateSpec(raw, opts.file, opts.inputShape);
  const layout = stateDictLayout(valid);
  let weights: WeightMap;
  if (opts.weights) {
    checkWeights(opts.weights, layout, opts.weightsFile ?? opts.file);
    weights = opts.weights;
  } else {
    weights = initWeights(layout, opts.seed);
  }
  const graph = buildSpecGraph(valid, weights);
  verifyGraph(graph, 'spec import');
  return graph;
}
