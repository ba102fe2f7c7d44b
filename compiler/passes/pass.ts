// A pass is a pure Graph -> Graph function with a name; the pipeline verifies the graph after each one.

import type { Graph } from '../ir/types.ts';

export interface PassContext {
  /** Diagnostics sink (warnings), never stdout of generated artifacts. */
  readonly warn: (message: string) => void;
}

export interface Pass {
  readonly name: string;
  run(graph: Graph, ctx: PassContext): Graph;
}
