// Shared plumbing for passes: which nodes are live, who uses a value, and a Rewriter that copies a graph
// node by node while a pass replaces, drops or renames what it matches. Passes stay pure: the input graph is
// never touched, and a pass that matched nothing returns the very same graph object (the pipeline skips
// verification and reports "unchanged" for it).

import { CompileError } from '../ir/errors.ts';
import { GraphBuilder } from '../ir/graph-builder.ts';
import type { ConstData, Graph, Node, Op } from '../ir/types.ts';

/** Ids of nodes whose results reach a graph output (every op is pure, so the rest can go). */
export function liveNodeIds(graph: Graph): Set<number> {
  const needed = new Set<number>(graph.outputs);
  const live = new Set<number>();
  for (let i = graph.nodes.length - 1; i >= 0; i--) {
    const node = graph.nodes[i];
    if (!node.outputs.some((id) => needed.has(id))) continue;
    live.add(node.id);
    for (const id of node.inputs) needed.add(id);
  }
  return live;
}

/** Producer and live consumers of every value; graph outputs count as one use each. */
export class UseIndex {
  readonly producer = new Map<number, Node>();
  private readonly consumerLists = new Map<number, Node[]>();
  private readonly outputUses = new Map<number, number>();

  constructor(readonly graph: Graph) {
    const live = liveNodeIds(graph);
    for (const node of graph.nodes) {
      for (const id of node.outputs) this.producer.set(id, node);
      if (!live.has(node.id)) continue;
      for (const id of node.inputs) {
        const list = this.consumerLists.get(id) ?? [];
        list.push(node);
        this.consumerLists.set(id, list);
      }
    }
    for (const id of graph.outputs) this.outputUses.set(id, (this.outputUses.get(id) ?? 0) + 1);
  }

  /** Live nodes reading `id`, once per operand slot (a node reading it twice appears twice). */
  consumers(id: number): readonly Node[] {
    return this.consumerLists.get(id) ?? [];
  }

  isGraphOutput(id: number): boolean {
    return this.outputUses.has(id);
  }

  /** Number of reads of `id` by live nodes plus graph outputs. */
  uses(id: number): number {
    return this.consumers(id).length + (this.outputUses.get(id) ?? 0);
  }

  /** The single live node reading `id`, when nothing else (graph outputs included) reads it. */
  soleConsumer(id: number): Node | undefined {
    return this.uses(id) === 1 ? this.consumers(id)[0] : undefined;
  }

  constData(id: number): ConstData | undefined {
    return this.graph.values.get(id)?.data;
  }
}

/**
 * Copies a graph node by node into a GraphBuilder. A pass calls `keep` for nodes it leaves alone, `emit` /
 * `emitInto` for replacements, and `alias` to make later readers of a value read another one instead.
 */
export class Rewriter {
  readonly builder: GraphBuilder;
  private readonly renamed = new Map<number, number>();
  private changed = false;

  constructor(readonly graph: Graph) {
    this.builder = GraphBuilder.from(graph);
  }

  /** The value that now stands for `id`. */
  resolve(id: number): number {
    let current = id;
    for (let next = this.renamed.get(current); next !== undefined; next = this.renamed.get(current)) current = next;
    return current;
  }

  /**
   * Later readers of `from` read `to` instead (same type). Refused (returns false, nothing changes) when
   * `from` is a graph output and `to` is not a node result (graph outputs must be computed values) or is
   * already another graph output.
   */
  alias(from: number, to: number): boolean {
    const target = this.resolve(to);
    const fromType = this.builder.value(from).type;
    const toType = this.builder.value(target).type;
    if (fromType.dtype !== toType.dtype || fromType.shape.join(',') !== toType.shape.join(',')) {
      throw new CompileError(`internal: alias of ${fromType.dtype}[${fromType.shape}] to ${toType.dtype}[${toType.shape}]`);
    }
    if (target === from) return true;
    if (this.graph.outputs.includes(from)) {
      const isComputed = !this.builder.value(target).data && !this.graph.inputs.includes(target);
      // Two graph outputs must stay two values (each gets its own caller buffer).
      const alreadyOutput = this.graph.outputs.some((id) => this.resolve(id) === target);
      if (!isComputed || alreadyOutput) return false;
    }
    this.renamed.set(from, target);
    this.changed = true;
    return true;
  }

  /** Copy `node` unchanged except for renamed inputs. */
  keep(node: Node): void {
    const inputs = node.inputs.map((id) => this.resolve(id));
    if (inputs.some((id, i) => id !== node.inputs[i])) this.changed = true;
    this.builder.addNodeWithOutputs(node.op, inputs, node.outputs, node.origin);
  }

  /** A replacement node with fresh output values; `inputs` are resolved here. */
  emit(op: Op, inputs: readonly number[], origin: string, outputNames?: readonly string[]): number[] {
    this.changed = true;
    return this.builder.addNode(op, inputs.map((id) => this.resolve(id)), origin, outputNames);
  }

  /** A replacement node writing into existing values (keeps names and ids of what it replaces). */
  emitInto(op: Op, inputs: readonly number[], outputs: readonly number[], origin: string): void {
    this.changed = true;
    this.builder.addNodeWithOutputs(op, inputs.map((id) => this.resolve(id)), outputs, origin);
  }

  addConst(name: string, shape: readonly number[], data: ConstData): number {
    this.changed = true;
    return this.builder.addConst(name, shape, data);
  }

  /** Note a change that emitted nothing (a dropped node). */
  markChanged(): void {
    this.changed = true;
  }

  /** The rewritten graph, or the input graph itself when the pass changed nothing. */
  finish(): Graph {
    if (!this.changed) return this.graph;
    this.builder.outputs = this.graph.outputs.map((id) => this.resolve(id));
    return this.builder.build();
  }
}

/**
 * A graph with nodes replaced one for one in place: every node keeps its id (targets derive kernel names from
 * ids, so a canonicalising pass that only re-describes nodes leaves emitted code alone). `replace` returns the
 * node unchanged, or a new op and inputs; `addConst` adds a constant operand. Values nothing reads any more are
 * dropped. Returns the input graph itself when nothing changed.
 */
export function replaceNodesInPlace(
  graph: Graph,
  replace: (node: Node, addConst: (name: string, shape: readonly number[], data: Float32Array) => number) => { op: Op; inputs: readonly number[] } | undefined,
): Graph {
  const values = new Map(graph.values);
  let nextId = Math.max(-1, ...values.keys()) + 1;
  const addConst = (name: string, shape: readonly number[], data: Float32Array): number => {
    const id = nextId++;
    values.set(id, { id, name, type: { dtype: 'f32', shape: [...shape] }, data });
    return id;
  };
  let changed = false;
  const nodes = graph.nodes.map((node) => {
    const replacement = replace(node, addConst);
    if (!replacement) return node;
    changed = true;
    return { ...node, op: replacement.op, inputs: [...replacement.inputs] };
  });
  if (!changed) return graph;
  const used = new Set<number>([...graph.inputs, ...graph.outputs]);
  for (const n of nodes) for (const id of [...n.inputs, ...n.outputs]) used.add(id);
  const kept = new Map([...values].filter(([id]) => used.has(id)).sort(([a], [b]) => a - b));
  return { values: kept, nodes, inputs: [...graph.inputs], outputs: [...graph.outputs] };
}
