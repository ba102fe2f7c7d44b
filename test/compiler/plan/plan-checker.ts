// An independent checker for memory plans: it replays the schedule on tagged memory and fails when a kernel
// reads a plane that is not the one its producer wrote (an overlap of simultaneously live planes, a write over
// the kernel's own inputs, or a wrong view placement). It shares no code with the allocator or views.ts: the
// meaning of split/concat/shuffle/reshape is restated here from the op definitions.

import type { Graph, Node } from '../../../compiler/ir/types.ts';
import type { MemoryPlan, Placement } from '../../../compiler/plan/types.ts';
import { alignPlane } from '../../../compiler/plan/types.ts';

/** A plane's identity: the real node output that wrote it and its channel there. */
type Source = number;

export interface PlanCheck {
  /** Peak of simultaneously live arena floats (padded planes), recomputed from the schedule. */
  peakLiveFloats: number;
  /** Nodes the plan treats as views (no code, no data moved). */
  viewNodeCount: number;
}

const planeSize = (shape: readonly number[]) => shape.slice(2).reduce((a, b) => a * b, 1);

function viewSources(node: Node, inputs: readonly Source[][]): Source[][] {
  const op = node.op;
  switch (op.kind) {
    case 'identity':
    case 'reshape':
      return [inputs[0]];
    case 'split': {
      let at = 0;
      return op.sizes.map((n) => inputs[0].slice(at, (at += n)));
    }
    case 'concat':
      return [inputs.flat()];
    case 'channelShuffle': {
      // y = reshape(transpose(reshape(x, [G, C/G]), [1, 0]), [C]): y[i * G + g] = x[g * (C/G) + i].
      const x = inputs[0];
      const per = x.length / op.groups;
      const y = new Array<Source>(x.length);
      for (let g = 0; g < op.groups; g++) for (let i = 0; i < per; i++) y[i * op.groups + g] = x[g * per + i];
      return [y];
    }
    default:
      throw new Error(`checker: ${op.kind} node ${node.origin} is marked as a view`);
  }
}

export function checkPlan(graph: Graph, plan: MemoryPlan): PlanCheck {
  const fail = (msg: string): never => {
    throw new Error(`plan check: ${msg}`);
  };
  const type = (id: number) => graph.values.get(id)!.type;
  const placement = (id: number): Placement => plan.placements.get(id) ?? fail(`value ${id} has no placement`);
  const memory: Record<string, Int32Array> = {
    arena: new Int32Array(plan.arenaFloats).fill(-1),
    input: new Int32Array(graph.inputs.reduce((s, id) => s + type(id).shape.reduce((a, b) => a * b, 1), 0)).fill(-1),
    output: new Int32Array(graph.outputs.reduce((s, id) => s + type(id).shape.reduce((a, b) => a * b, 1), 0)).fill(-1),
  };
  const graphOutputs = new Set(graph.outputs);
  const sources = new Map<number, Source[]>();
  let nextSource = 0;
  const slot = new Map<Source, { size: number; def: number; last: number }>();

  /** Calls `visit(buffer, start, end)` for each batch item's span of channel c of value id. */
  const eachSpan = (id: number, c: number, visit: (mem: Int32Array, start: number, end: number) => void) => {
    const p = placement(id);
    const shape = type(id).shape;
    const plane = planeSize(shape);
    const mem = memory[p.buffer];
    for (let n = 0; n < shape[0]; n++) {
      const start = p.channelOffsets[c] + n * p.batchStride;
      if (!(start >= 0 && start + plane <= mem.length)) fail(`value ${id} channel ${c} lies outside buffer ${p.buffer}`);
      visit(mem, start, start + plane);
    }
  };
  const write = (id: number, step: number) => {
    const shape = type(id).shape;
    const src = Array.from({ length: shape[1] }, () => nextSource++);
    sources.set(id, src);
    src.forEach((s, c) => {
      eachSpan(id, c, (mem, a, b) => mem.fill(s, a, b));
      if (placement(id).buffer === 'arena') slot.set(s, { size: alignPlane(shape[0] * planeSize(shape)), def: step, last: step });
    });
  };
  const expectIntact = (id: number, node: Node, when: string) => {
    const src = sources.get(id) ?? fail(`value ${id} read by ${node.origin} was never written`);
    src.forEach((s, c) =>
      eachSpan(id, c, (mem, a, b) => {
        for (let i = a; i < b; i++) if (mem[i] !== s) fail(`${node.origin} (${when}) reads channel ${c} of value ${id} but finds another plane there`);
      }),
    );
  };

  for (const id of graph.inputs) write(id, -1);
  let views = 0;
  graph.nodes.forEach((node, step) => {
    const runtimeInputs = node.inputs.filter((id) => !graph.values.get(id)!.data);
    if (plan.viewNodes.has(node.id)) {
      views++;
      if (node.outputs.some((id) => graphOutputs.has(id))) fail(`view ${node.origin} produces a graph output`);
      viewSources(node, runtimeInputs.map((id) => sources.get(id)!)).forEach((src, i) => sources.set(node.outputs[i], src));
      // A view's placement must show its sources where they were written.
      for (const id of node.outputs) expectIntact(id, node, 'view placement');
      return;
    }
    for (const id of runtimeInputs) for (const s of sources.get(id)!) if (slot.has(s)) slot.get(s)!.last = step;
    for (const id of node.outputs) write(id, step);
    for (const id of node.outputs) expectIntact(id, node, 'own outputs');
    // Checked after the writes: an input is intact now only if it was before and no output landed on it.
    for (const id of runtimeInputs) expectIntact(id, node, 'inputs after writing');
  });
  const dense = (id: number, buffer: string) => {
    const shape = type(id).shape;
    const p = placement(id);
    const ok = p.buffer === buffer && p.batchStride === shape[1] * planeSize(shape) && p.channelOffsets.every((o, c) => o === p.channelOffsets[0] + c * planeSize(shape));
    if (!ok) fail(`graph ${buffer} ${id} is not dense NCHW in '${buffer}'`);
  };
  graph.inputs.forEach((id) => dense(id, 'input'));
  graph.outputs.forEach((id) => dense(id, 'output'));

  const delta = new Float64Array(graph.nodes.length + 1);
  for (const { size, def, last } of slot.values()) {
    delta[def] += size;
    delta[last + 1] -= size;
  }
  let live = 0;
  let peak = 0;
  for (let t = 0; t < graph.nodes.length; t++) peak = Math.max(peak, (live += delta[t]));
  return { peakLiveFloats: peak, viewNodeCount: views };
}
