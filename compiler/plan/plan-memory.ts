// Static memory plan: a Placement for every activation. (First version: no reuse between values; the
// liveness-based allocator replaces the arena assignment below while keeping this signature.)

import { CompileError } from '../ir/errors.ts';
import type { Graph } from '../ir/types.ts';
import { numel } from '../ir/types.ts';
import type { MemoryPlan, Placement } from './types.ts';
import { alignPlane } from './types.ts';
import { isViewNode, viewPlacements } from './views.ts';

const planeOf = (shape: readonly number[]) => shape.slice(2).reduce((a, b) => a * b, 1);

/** Plain NCHW layout in a caller's buffer. */
export function densePlacement(buffer: 'input' | 'output', shape: readonly number[]): Placement {
  const plane = planeOf(shape);
  const channels = shape[1] ?? 1;
  return { buffer, channelOffsets: Array.from({ length: channels }, (_, c) => c * plane), batchStride: channels * plane };
}

export function planMemory(graph: Graph): MemoryPlan {
  const placements = new Map<number, Placement>();
  const viewNodes = new Set<number>();
  const outputs = new Set(graph.outputs);
  for (const id of graph.inputs) placements.set(id, densePlacement('input', graph.values.get(id)!.type.shape));
  let arena = 0;
  let total = 0;
  for (const node of graph.nodes) {
    const inputsPlaced = node.inputs.every((id) => placements.has(id) || graph.values.get(id)!.data);
    if (!inputsPlaced) throw new CompileError(`memory plan: an input of ${node.op.kind} has no placement`, { node: node.origin });
    if (isViewNode(graph, node) && !node.outputs.some((id) => outputs.has(id))) {
      viewNodes.add(node.id);
      viewPlacements(graph, node, node.inputs.map((id) => placements.get(id)!)).forEach((p, i) => placements.set(node.outputs[i], p));
      continue;
    }
    for (const id of node.outputs) {
      const shape = graph.values.get(id)!.type.shape;
      if (shape.length < 2) throw new CompileError(`memory plan: value of rank ${shape.length} has no channel axis`, { node: node.origin });
      if (outputs.has(id)) {
        placements.set(id, densePlacement('output', shape));
        continue;
      }
      const plane = alignPlane(shape[0] * planeOf(shape));
      const base = arena;
      placements.set(id, { buffer: 'arena', channelOffsets: Array.from({ length: shape[1] }, (_, c) => base + c * plane), batchStride: planeOf(shape) });
      arena += plane * shape[1];
      total += numel(shape);
    }
  }
  return { arenaFloats: arena, lowerBoundFloats: arena, totalActivationFloats: total, placements, viewNodes };
}
