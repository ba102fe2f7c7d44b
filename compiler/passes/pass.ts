// A pass is a pure Graph -> Graph function with a name; the pipeline verifies the graph after each one.

import type { EpilogueSupport } from '../ir/conv-epilogue.ts';
import type { Graph } from '../ir/types.ts';

export interface PassContext {
  /** Diagnostics sink (warnings), never stdout of generated artifacts. */
  readonly warn: (message: string) => void;
  /** The conv epilogues the target renders (fusion passes create no others); absent: all of them. */
  readonly epilogues?: EpilogueSupport;
}

export interface Pass {
  readonly name: string;
  run(graph: Graph, ctx: PassContext): Graph;
}
