// Structural and type checks on a Graph; run after every pass so a broken rewrite is caught where it happens.

import { CompileError } from './errors.ts';
import { inferOutputTypes } from './shape-inference.ts';
import type { Graph } from './types.ts';
import { numel } from './types.ts';

export function verifyGraph(graph: Graph, after = 'import'): void {
  const fail = (reason: string, node?: string): never => {
    throw new CompileError(`IR verification failed after ${after}: ${reason}`, node ? { node } : {});
  };
  const defined = new Set<number>();
  for (const [id, v] of graph.values) {
    if (v.id !== id) fail(`value ${id} is stored under another id (${v.id})`);
    if (v.type.shape.some((d) => !Number.isInteger(d) || d < 0)) fail(`value ${v.name} has a non-static shape [${v.type.shape.join(',')}]`);
    if (v.data) {
      if (v.data.length !== numel(v.type.shape)) fail(`constant ${v.name} has ${v.data.length} elements for shape [${v.type.shape.join(',')}]`);
      if ((v.type.dtype === 'f32') !== (v.data instanceof Float32Array)) fail(`constant ${v.name} data does not match dtype ${v.type.dtype}`);
      defined.add(id);
    }
  }
  for (const id of graph.inputs) {
    const v = graph.values.get(id);
    if (!v) fail(`graph input ${id} is not a value`);
    if (v!.data) fail(`graph input ${v!.name} is a constant`);
    defined.add(id);
  }
  const nodeIds = new Set<number>();
  for (const node of graph.nodes) {
    if (nodeIds.has(node.id)) fail(`node id ${node.id} used twice`, node.origin);
    nodeIds.add(node.id);
    for (const id of node.inputs) {
      if (!graph.values.has(id)) fail(`input ${id} is not a value`, node.origin);
      if (!defined.has(id)) fail(`input ${graph.values.get(id)!.name} is used before it is defined`, node.origin);
    }
    let expected;
    try {
      expected = inferOutputTypes(node.op, node.inputs.map((id) => graph.values.get(id)!));
    } catch (e) {
      if (e instanceof CompileError) fail(e.reason, node.origin);
      throw e;
    }
    if (expected.length !== node.outputs.length) fail(`${node.op.kind} has ${node.outputs.length} outputs, expected ${expected.length}`, node.origin);
    node.outputs.forEach((id, i) => {
      const v = graph.values.get(id);
      if (!v) fail(`output ${id} is not a value`, node.origin);
      if (defined.has(id)) fail(`value ${v!.name} is defined twice`, node.origin);
      const want = expected[i];
      if (v!.type.dtype !== want.dtype || v!.type.shape.join(',') !== want.shape.join(',')) {
        fail(`output ${v!.name} typed ${v!.type.dtype}[${v!.type.shape.join(',')}] but op gives ${want.dtype}[${want.shape.join(',')}]`, node.origin);
      }
      defined.add(id);
    });
  }
  for (const id of graph.outputs) if (!defined.has(id)) fail(`graph output ${graph.values.get(id)?.name ?? id} is never defined`);
}
