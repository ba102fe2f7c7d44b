// Liveness of activations over the schedule (graph.nodes order) at channel-plane granularity.
//
// Every channel of every value a kernel writes into the arena is one plane slot (all batch items of that channel,
// padded to PLANE_ALIGN_FLOATS). View nodes (split/concat/shuffle/...) write nothing: their outputs are lists of
// existing planes, so a plane stays live until the last kernel reading *any* value that contains it. To find
// those lists we run the view rules of views.ts on symbolic placements whose channel offsets are plane ids.

import { CompileError } from '../ir/errors.ts';
import type { Graph, Node } from '../ir/types.ts';
import type { KernelGroup, Placement } from './types.ts';
import { alignPlane } from './types.ts';
import { isViewNode, viewPlacements } from './views.ts';

export interface PlaneLife {
  /** Slot size in floats (all batch items of one channel, padded). */
  readonly size: number;
  /** Step (node index) that writes the plane. */
  readonly def: number;
  /** Last step that reads it (def when nothing does): the slot is free from lastUse + 1 on. */
  lastUse: number;
}

/** The planes one node output occupies: ids firstPlane .. firstPlane + count - 1, one per channel. */
export interface ArenaWrite {
  readonly value: number;
  readonly firstPlane: number;
  readonly count: number;
}

export interface ScheduleLiveness {
  readonly planes: readonly PlaneLife[];
  /** Per step, the arena values its node writes. */
  readonly writes: readonly (readonly ArenaWrite[])[];
  /** Placements of all runtime f32 values; for buffer 'arena' the channel offsets are plane ids, not floats. */
  readonly symbolic: ReadonlyMap<number, Placement>;
  readonly viewNodes: ReadonlySet<number>;
  /** Nodes that would be views but must copy (their output is a graph output, or a concat joins buffers). */
  readonly copyNodes: ReadonlySet<number>;
}

/**
 * Batch, channel and plane sizes of a value under the planar layout. A value of rank 0 or 1 has no batch or
 * channel axis: it is one plane holding all of its elements.
 */
export function planarDims(shape: readonly number[]): { batch: number; channels: number; plane: number } {
  const all = shape.reduce((a, b) => a * b, 1);
  if (shape.length < 2) return { batch: 1, channels: 1, plane: all };
  return { batch: shape[0], channels: shape[1], plane: shape.slice(2).reduce((a, b) => a * b, 1) };
}

/** Plain row-major layout in a caller's buffer, starting at float `base`. */
export function densePlacement(buffer: 'input' | 'output', shape: readonly number[], base = 0): Placement {
  const { channels, plane } = planarDims(shape);
  return { buffer, channelOffsets: Array.from({ length: channels }, (_, c) => base + c * plane), batchStride: channels * plane };
}

/** Float ranges [start, end) of the graph inputs (or outputs) inside the caller's 'input' ('output') buffer. */
type IoRanges = Record<'input' | 'output', [number, number][]>;

/**
 * Concat is only bookkeeping when its inputs share one buffer and batch stride, and, in the caller's buffers,
 * one graph input or output: each of those is a separate pointer in `<name>_run_io`.
 */
function sameLayout(inputs: readonly Placement[], io: IoRanges): boolean {
  const first = inputs[0];
  if (!inputs.every((p) => p.buffer === first.buffer && p.batchStride === first.batchStride)) return false;
  if (first.buffer === 'arena') return true;
  const range = io[first.buffer].find(([start, end]) => first.channelOffsets[0] >= start && first.channelOffsets[0] < end);
  return !!range && inputs.every((p) => p.channelOffsets.every((o) => o >= range[0] && o < range[1]));
}

/** Per grouped node id, the schedule step of its group's last member (until when its inputs are read). */
function groupEnds(graph: Graph, groups: readonly KernelGroup[]): Map<number, number> {
  const stepOf = new Map(graph.nodes.map((n, step) => [n.id, step]));
  const ends = new Map<number, number>();
  for (const group of groups) {
    const steps = group.map((id) => stepOf.get(id));
    if (steps.some((s, i) => s === undefined || (i > 0 && s <= steps[i - 1]!)) || group.some((id) => ends.has(id))) {
      throw new CompileError(`memory plan: kernel group [${group.join(', ')}] must list distinct graph nodes in schedule order`);
    }
    for (const id of group) ends.set(id, steps[steps.length - 1]!);
  }
  return ends;
}

export function analyseLiveness(graph: Graph, kernelGroups: readonly KernelGroup[] = []): ScheduleLiveness {
  const value = (id: number) => graph.values.get(id)!;
  const readUntil = groupEnds(graph, kernelGroups);
  const symbolic = new Map<number, Placement>();
  const planes: PlaneLife[] = [];
  const writes: ArenaWrite[][] = [];
  const viewNodes = new Set<number>();
  const copyNodes = new Set<number>();
  const graphOutputs = new Set(graph.outputs);

  // Graph inputs and outputs sit one after another in the caller's 'input' / 'output' buffers.
  const io: IoRanges = { input: [], output: [] };
  let inputBase = 0;
  for (const id of graph.inputs) {
    const shape = checkPlaceable(graph, id, 'graph input');
    symbolic.set(id, densePlacement('input', shape, inputBase));
    io.input.push([inputBase, (inputBase += shape.reduce((a, b) => a * b, 1))]);
  }
  // Outputs sit in graph.outputs order, whatever order the nodes write them in (a value listed twice is
  // written at its first place; targets copy it to the second, as they copy an output that is an input or a
  // constant, neither of which any node writes).
  let outputBase = 0;
  const outputBases = new Map<number, number>();
  for (const id of graph.outputs) {
    if (!outputBases.has(id)) outputBases.set(id, outputBase);
    io.output.push([outputBase, (outputBase += value(id).type.shape.reduce((a, b) => a * b, 1))]);
  }

  graph.nodes.forEach((node, step) => {
    const runtimeInputs = node.inputs.filter((id) => !value(id).data);
    for (const id of runtimeInputs) {
      if (!symbolic.has(id)) throw new CompileError(`memory plan: input ${id} of ${node.op.kind} has no placement`, { node: node.origin });
    }
    const inputPlacements = node.inputs.map((id) => symbolic.get(id)!);
    const view =
      isViewNode(graph, node) &&
      runtimeInputs.length === node.inputs.length &&
      !node.outputs.some((id) => graphOutputs.has(id)) &&
      (node.op.kind !== 'concat' || sameLayout(inputPlacements, io));
    const stepWrites: ArenaWrite[] = [];
    writes.push(stepWrites);
    if (view) {
      viewNodes.add(node.id);
      viewPlacements(graph, node, inputPlacements).forEach((p, i) => symbolic.set(node.outputs[i], p));
      return;
    }
    if (isViewNode(graph, node)) copyNodes.add(node.id);
    // A grouped node's kernel runs as part of its group's: its inputs are read until the group's last step.
    const lastRead = readUntil.get(node.id) ?? step;
    for (const id of runtimeInputs) {
      const p = symbolic.get(id)!;
      if (p.buffer === 'arena') for (const plane of p.channelOffsets) planes[plane].lastUse = Math.max(planes[plane].lastUse, lastRead);
    }
    for (const id of node.outputs) {
      if (symbolic.has(id)) throw new CompileError(`memory plan: value ${id} is written twice`, { node: node.origin });
      const shape = checkPlaceable(graph, id, `output of ${node.op.kind}`, node);
      if (graphOutputs.has(id)) {
        symbolic.set(id, densePlacement('output', shape, outputBases.get(id)!));
        continue;
      }
      const { batch, channels, plane } = planarDims(shape);
      const size = alignPlane(batch * plane);
      const firstPlane = planes.length;
      for (let c = 0; c < channels; c++) planes.push({ size, def: step, lastUse: step });
      stepWrites.push({ value: id, firstPlane, count: channels });
      symbolic.set(id, { buffer: 'arena', channelOffsets: Array.from({ length: channels }, (_, c) => firstPlane + c), batchStride: plane });
    }
  });
  for (const id of graph.outputs) if (!symbolic.has(id) && !value(id).data) throw new CompileError(`memory plan: graph output ${id} is never written`);
  return { planes, writes, symbolic, viewNodes, copyNodes };
}

/** Only f32 activations have planes; an i64 value at run time is a frontend/pass bug. */
function checkPlaceable(graph: Graph, id: number, what: string, node?: Node): readonly number[] {
  const v = graph.values.get(id)!;
  const site = node ? { node: node.origin } : {};
  if (v.type.dtype !== 'f32') throw new CompileError(`memory plan: ${what} is ${v.type.dtype} at run time (unfolded shape arithmetic?)`, site);
  return v.type.shape;
}

/** Floats live at each step; its maximum is the lower bound on any arena for this schedule. */
export function liveFloatsPerStep(planes: readonly PlaneLife[], steps: number): Float64Array {
  const delta = new Float64Array(steps + 1);
  for (const p of planes) {
    delta[p.def] += p.size;
    delta[p.lastUse + 1] -= p.size;
  }
  const live = new Float64Array(steps);
  let sum = 0;
  for (let t = 0; t < steps; t++) live[t] = sum += delta[t];
  return live;
}
