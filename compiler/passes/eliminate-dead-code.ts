// Dead-code elimination: every op is pure, so a node none of whose results reaches a graph output can go.
// Other passes leave the nodes they bypass in place and rely on this one to sweep them.

import type { Graph } from '../ir/types.ts';
import type { Pass } from './pass.ts';
import { liveNodeIds, Rewriter } from './rewriter.ts';

export function eliminateDeadCode(graph: Graph): Graph {
  const live = liveNodeIds(graph);
  if (live.size === graph.nodes.length) return graph;
  const rw = new Rewriter(graph);
  for (const node of graph.nodes) {
    if (live.has(node.id)) rw.keep(node);
    else rw.markChanged();
  }
  return rw.finish();
}

export const eliminateDeadCodePass: Pass = { name: 'eliminate-dead-code', run: eliminateDeadCode };
