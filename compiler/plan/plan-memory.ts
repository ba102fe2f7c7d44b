// Static memory plan: a Placement for every activation, with arena slots reused across the schedule.
//
// Walk the schedule once: before a node runs, the planes whose last reader ran earlier are back in the free
// list; the node's outputs then take the best-fitting holes (one contiguous block per value when a hole is big
// enough, plane by plane otherwise). A node never writes over planes it reads, since those are still allocated
// while it runs (kernels are not in-place); for nodes a target fuses into one kernel (options.kernelGroups),
// while the whole group runs. Channel routing does the rest: in a stride-1 ShuffleNetV2 unit the
// last conv lands in the planes its input half just vacated, and split/concat/shuffle move nothing.

import type { Graph } from '../ir/types.ts';
import type { Target } from '../target.ts';
import { ArenaAllocator } from './arena-allocator.ts';
import type { ScheduleLiveness } from './liveness.ts';
import { analyseLiveness, liveFloatsPerStep } from './liveness.ts';
import type { MemoryPlan, Placement, PlanOptions } from './types.ts';

export { densePlacement } from './liveness.ts';

export function planMemory(graph: Graph, options: PlanOptions = {}): MemoryPlan {
  const kernelGroups = options.kernelGroups ?? [];
  const live = analyseLiveness(graph, kernelGroups);
  const { offsets, arenaFloats } = assignOffsets(live);
  const placements = new Map<number, Placement>();
  for (const [id, p] of live.symbolic) {
    placements.set(id, p.buffer === 'arena' ? { ...p, channelOffsets: p.channelOffsets.map((plane) => offsets[plane]) } : p);
  }
  const lowerBoundFloats = liveFloatsPerStep(live.planes, graph.nodes.length).reduce((m, x) => Math.max(m, x), 0);
  const totalActivationFloats = live.planes.reduce((sum, p) => sum + p.size, 0);
  return { arenaFloats, lowerBoundFloats, totalActivationFloats, placements, viewNodes: live.viewNodes, copyNodes: live.copyNodes, kernelGroups };
}

/** The plan `target.emit` expects: it honours the target's kernel groups. */
export function planForTarget(graph: Graph, target: Pick<Target, 'kernelGroups'>): MemoryPlan {
  return planMemory(graph, { kernelGroups: target.kernelGroups?.(graph) });
}

/** Arena offset of every plane, allocating in schedule order. */
function assignOffsets(live: ScheduleLiveness): { offsets: number[]; arenaFloats: number } {
  const { planes, writes } = live;
  const freedAfter: number[][] = writes.map(() => []);
  planes.forEach((p, id) => freedAfter[p.lastUse].push(id));
  const offsets = new Array<number>(planes.length);
  const arena = new ArenaAllocator();
  writes.forEach((stepWrites, step) => {
    for (const { firstPlane, count } of stepWrites) {
      const slot = planes[firstPlane].size;
      const block = arena.tryAllocate(slot * count);
      for (let c = 0; c < count; c++) offsets[firstPlane + c] = block !== undefined ? block + c * slot : arena.allocate(slot);
    }
    for (const id of freedAfter[step]) arena.free(offsets[id], planes[id].size);
  });
  return { offsets, arenaFloats: arena.size };
}
