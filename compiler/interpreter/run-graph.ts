// Runs a whole graph with evalOp, node by node in their (topological) order. Each intermediate is dropped
// right after its last reader, so peak memory stays near the largest pair of live activations.

import { CompileError, quoteName } from '../ir/errors.ts';
import type { Graph, Value } from '../ir/types.ts';
import { numel } from '../ir/types.ts';
import { evalOp } from './eval-op.ts';
import type { Tensor } from './tensor.ts';

/** Index of the last node reading each value; graph outputs are never released. */
function lastUses(graph: Graph): Map<number, number> {
  const last = new Map<number, number>();
  graph.nodes.forEach((node, i) => node.inputs.forEach((id) => last.set(id, i)));
  for (const id of graph.outputs) last.set(id, Infinity);
  return last;
}

function valueOf(graph: Graph, id: number): Value {
  const v = graph.values.get(id);
  if (!v) throw new CompileError(`internal: graph refers to unknown value ${id}`, { kind: 'internal' });
  return v;
}

export function runGraph(graph: Graph, inputs: readonly Float32Array[]): Float32Array[] {
  if (inputs.length !== graph.inputs.length) throw new CompileError(`the graph takes ${graph.inputs.length} input(s), got ${inputs.length}`);
  const live = new Map<number, Tensor>();
  graph.inputs.forEach((id, i) => {
    const v = valueOf(graph, id);
    const expected = numel(v.type.shape);
    if (v.type.dtype !== 'f32') throw new CompileError(`graph input ${quoteName(v.name)} is ${v.type.dtype}; only f32 inputs can be fed`);
    if (inputs[i].length !== expected) {
      throw new CompileError(`graph input ${quoteName(v.name)} of shape [${v.type.shape.join(',')}] needs ${expected} values, got ${inputs[i].length}`);
    }
    live.set(id, { type: v.type, data: inputs[i] });
  });
  const read = (id: number): Tensor => {
    const t = live.get(id);
    if (t) return t;
    const v = valueOf(graph, id);
    if (!v.data) throw new CompileError(`internal: value ${quoteName(v.name)} is read before it is computed`, { kind: 'internal' });
    return { type: v.type, data: v.data };
  };

  const last = lastUses(graph);
  graph.nodes.forEach((node, i) => {
    let results: Tensor[];
    try {
      results = evalOp(node.op, node.inputs.map(read));
    } catch (e) {
      if (e instanceof CompileError) throw e.withSite({ node: node.origin });
      throw e;
    }
    node.outputs.forEach((id, k) => {
      if (last.has(id)) live.set(id, results[k]); // outputs nobody reads (an unused split part) are dropped at once
    });
    for (const id of node.inputs) if (last.get(id) === i) live.delete(id);
  });

  return graph.outputs.map((id) => {
    const t = read(id);
    if (!(t.data instanceof Float32Array)) throw new CompileError(`graph output ${quoteName(valueOf(graph, id).name)} is ${t.type.dtype}; the reference interpreter returns f32 outputs only`);
    // A copy, so callers never alias the caller's input or a constant (an output can be a reshape of either).
    return t.data.slice();
  });
}
