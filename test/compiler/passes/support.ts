// Helpers shared by the pass tests: run a graph before and after a rewrite and compare, count op kinds.

import { expect } from 'chai';
import { runGraph } from '../../../compiler/interpreter/run-graph.ts';
import type { Graph, OpKind } from '../../../compiler/ir/types.ts';
import { verifyGraph } from '../../../compiler/ir/verify.ts';

export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).to.equal(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

/** `after` verifies and computes what `before` computes on `inputs`, within `tolerance` absolute. */
export function expectSameFunction(before: Graph, after: Graph, inputs: readonly Float32Array[], tolerance = 1e-5, what = 'rewritten graph'): void {
  verifyGraph(after, what);
  const want = runGraph(before, inputs);
  const got = runGraph(after, inputs);
  expect(got.length).to.equal(want.length);
  want.forEach((w, i) => expect(maxAbsDiff(w, got[i]), `${what}: output ${i}`).to.be.at.most(tolerance));
}

export function kindCounts(graph: Graph): Partial<Record<OpKind, number>> {
  const counts: Partial<Record<OpKind, number>> = {};
  for (const n of graph.nodes) counts[n.op.kind] = (counts[n.op.kind] ?? 0) + 1;
  return counts;
}

export function kinds(graph: Graph): OpKind[] {
  return graph.nodes.map((n) => n.op.kind);
}

/** Input [n, c, h, w] where every element of channel k equals k + 0.01 * (index within the plane). */
export function channelTagged(shape: readonly number[]): Float32Array {
  const [n, c, h, w] = shape;
  const out = new Float32Array(n * c * h * w);
  for (let b = 0; b < n; b++) for (let k = 0; k < c; k++) for (let p = 0; p < h * w; p++) out[(b * c + k) * h * w + p] = 100 * b + k + 0.01 * p;
  return out;
}

/** Deep snapshot of a graph's structure and constants, to check a pass left its input alone. */
export function snapshot(graph: Graph): string {
  return JSON.stringify({
    values: [...graph.values.values()].map((v) => [v.id, v.name, v.type, v.data ? Array.from(v.data) : null]),
    nodes: graph.nodes,
    inputs: graph.inputs,
    outputs: graph.outputs,
  });
}
