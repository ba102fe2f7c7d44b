// Deterministic text dump of a Graph, for `snv2c inspect`, `--dump-after` and golden IR files reviewed in diffs.
// Value names come from model files, so they are printed escaped (JSON string syntax).

import type { Graph, Op, Value } from './types.ts';

function typeText(v: Value): string {
  return `${v.type.dtype}[${v.type.shape.join('x')}]`;
}

function attrText(op: Op): string {
  const entries = Object.entries(op).filter(([k]) => k !== 'kind');
  if (!entries.length) return '';
  const fmt = (x: unknown): string => (Array.isArray(x) ? `[${x.join(',')}]` : String(x));
  return ' {' + entries.map(([k, x]) => `${k}=${fmt(x)}`).join(' ') + '}';
}

/** Stable checksum of constant data so dumps show when weights change without printing them. */
function checksum(data: Float32Array | Float64Array): string {
  let sum = 0;
  let abs = 0;
  for (let i = 0; i < data.length; i++) {
    sum += data[i];
    abs += Math.abs(data[i]);
  }
  return `sum=${sum.toPrecision(6)} abs=${abs.toPrecision(6)}`;
}

export function printGraph(graph: Graph, { constants = true } = {}): string {
  const local = new Map<number, string>();
  let next = 0;
  const ref = (id: number): string => {
    if (!local.has(id)) local.set(id, `%${next++}`);
    return local.get(id)!;
  };
  const lines: string[] = [];
  for (const id of graph.inputs) {
    const v = graph.values.get(id)!;
    lines.push(`input ${ref(id)}: ${typeText(v)} ${JSON.stringify(v.name)}`);
  }
  if (constants) {
    for (const v of graph.values.values()) {
      if (v.data) lines.push(`const ${ref(v.id)}: ${typeText(v)} ${JSON.stringify(v.name)} ${checksum(v.data)}`);
    }
  }
  for (const node of graph.nodes) {
    const outs = node.outputs.map((id) => `${ref(id)}: ${typeText(graph.values.get(id)!)}`).join(', ');
    const ins = node.inputs.map(ref).join(', ');
    lines.push(`${outs} = ${node.op.kind}${attrText(node.op)}(${ins})  # ${JSON.stringify(node.origin)}`);
  }
  lines.push(`output ${graph.outputs.map(ref).join(', ')}`);
  return lines.join('\n') + '\n';
}
