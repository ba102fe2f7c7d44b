// Units of a network for guideline G3 (fragmentation), found from the schedule alone, without names.
//
// Between two steps of the schedule, the "width" is the number of activations produced before and read after.
// Where exactly one is live the network is a chain (a cut); a stretch between two cuts that is wider somewhere
// is a unit with parallel branches (a ShuffleNetV2 block: the pass-through half and the conv branch, or the two
// branches of a stride-2 block). Kernels and small ops are then counted per unit.

import type { Graph } from '../ir/types.ts';

export interface Unit {
  /** Schedule steps [first, last] (node indices). */
  readonly first: number;
  readonly last: number;
  /** Largest number of activations live at once inside the unit: its parallel branches. */
  readonly branches: number;
}

export function findUnits(graph: Graph): Unit[] {
  const steps = graph.nodes.length;
  const def = new Map<number, number>();
  const lastUse = new Map<number, number>();
  for (const id of graph.inputs) def.set(id, -1);
  graph.nodes.forEach((node, t) => {
    for (const id of node.inputs) if (def.has(id)) lastUse.set(id, t);
    for (const id of node.outputs) def.set(id, t);
  });
  for (const id of graph.outputs) lastUse.set(id, steps);
  // width[b]: values live across the boundary between step b - 1 and step b (b = 1 .. steps - 1).
  const delta = new Int32Array(steps + 2);
  for (const [id, d] of def) {
    const last = lastUse.get(id);
    // Live across boundaries d + 1 .. last; a value nobody reads is live across none.
    if (last === undefined || last < d + 1) continue;
    delta[d + 1] += 1;
    delta[last + 1] -= 1;
  }
  const width = new Int32Array(steps + 1);
  let w = 0;
  for (let b = 0; b <= steps; b++) width[b] = w += delta[b];

  const units: Unit[] = [];
  let start = 0;
  let widest = 1;
  for (let b = 1; b <= steps; b++) {
    const isCut = b === steps || width[b] <= 1;
    if (!isCut) {
      widest = Math.max(widest, width[b]);
      continue;
    }
    if (widest >= 2) units.push({ first: start, last: b - 1, branches: widest });
    start = b;
    widest = 1;
  }
  return units;
}
