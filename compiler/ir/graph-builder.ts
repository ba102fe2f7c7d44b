// Builds a Graph node by node, inferring each node's output types as it goes.
// Frontends use it to import models; passes use it to write their rewritten graph.

import { CompileError } from './errors.ts';
import { inferOutputTypes } from './shape-inference.ts';
import type { ConstData, Graph, Node, Op, TensorType, Value } from './types.ts';
import { numel } from './types.ts';

export class GraphBuilder {
  private readonly values = new Map<number, Value>();
  private readonly nodes: Node[] = [];
  private nextValueId = 0;
  private nextNodeId = 0;
  inputs: number[] = [];
  outputs: number[] = [];

  /** Start from an existing graph's values (ids preserved) so a pass can rewrite only what it changes. */
  static from(graph: Graph, { keepNodes = false } = {}): GraphBuilder {
    const b = new GraphBuilder();
    for (const v of graph.values.values()) b.values.set(v.id, v);
    b.nextValueId = Math.max(-1, ...graph.values.keys()) + 1;
    b.nextNodeId = Math.max(-1, ...graph.nodes.map((n) => n.id)) + 1;
    if (keepNodes) b.nodes.push(...graph.nodes);
    b.inputs = [...graph.inputs];
    b.outputs = [...graph.outputs];
    return b;
  }

  value(id: number): Value {
    const v = this.values.get(id);
    if (!v) throw new CompileError(`internal: unknown value ${id}`);
    return v;
  }

  addValue(name: string, type: TensorType, data?: ConstData): number {
    if (data && data.length !== numel(type.shape)) throw new CompileError(`constant ${name} holds ${data.length} elements, shape [${type.shape.join(',')}] needs ${numel(type.shape)}`);
    const id = this.nextValueId++;
    this.values.set(id, data ? { id, name, type, data } : { id, name, type });
    return id;
  }

  addConst(name: string, shape: readonly number[], data: ConstData): number {
    return this.addValue(name, { dtype: data instanceof Float32Array ? 'f32' : 'i64', shape }, data);
  }

  /** Adds a node whose output values are created with inferred types; returns their ids. */
  addNode(op: Op, inputs: readonly number[], origin: string, outputNames?: readonly string[]): number[] {
    let types: TensorType[];
    try {
      types = inferOutputTypes(op, inputs.map((i) => this.value(i)));
    } catch (e) {
      if (e instanceof CompileError) throw new CompileError(e.reason, { node: origin });
      throw e;
    }
    const outputs = types.map((t, i) => this.addValue(outputNames?.[i] ?? `${origin}:${i}`, t));
    this.nodes.push({ id: this.nextNodeId++, op, inputs: [...inputs], outputs, origin });
    // A copy: callers often push into the returned list, which must not change the node.
    return [...outputs];
  }

  /** Adds a node writing into already-existing output values (a pass keeping ids stable). Types are re-checked by the verifier. */
  addNodeWithOutputs(op: Op, inputs: readonly number[], outputs: readonly number[], origin: string): void {
    this.nodes.push({ id: this.nextNodeId++, op, inputs: [...inputs], outputs: [...outputs], origin });
  }

  /** Build, keeping only values that something still references. */
  build(): Graph {
    const used = new Set<number>([...this.inputs, ...this.outputs]);
    for (const n of this.nodes) for (const id of [...n.inputs, ...n.outputs]) used.add(id);
    const values = new Map<number, Value>();
    for (const id of [...used].sort((a, b) => a - b)) values.set(id, this.value(id));
    return { values, nodes: [...this.nodes], inputs: [...this.inputs], outputs: [...this.outputs] };
  }
}
