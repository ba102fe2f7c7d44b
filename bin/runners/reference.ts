// `run --target reference`: the reference interpreter, the oracle every other target is checked against.

import { runGraph } from '../../compiler/interpreter/run-graph.ts';
import type { Runner } from '../runners.ts';

export const referenceRunner: Runner = {
  run: async ({ graph, inputs }) => runGraph(graph, inputs),
};
