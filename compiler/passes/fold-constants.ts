// Constant folding: a node whose inputs are all constants is evaluated once, at compile time, with the
// reference interpreter's evalOp, so the compiler and the interpreter cannot disagree on what an op means.
// This covers the int64 shape arithmetic some exporters leave behind and any weight-only preprocessing
// (a transposed or reshaped weight). Graph outputs are left computed: targets expect to write them.

import { CompileError } from '../ir/errors.ts';
import type { Graph } from '../ir/types.ts';
import { evalOp } from '../interpreter/eval-op.ts';
import type { Pass } from './pass.ts';
import { Rewriter } from './rewriter.ts';

export function foldConstants(graph: Graph): Graph {
  const rw = new Rewriter(graph);
  const outputs = new Set(graph.outputs);
  for (const node of graph.nodes) {
    const inputs = node.inputs.map((id) => rw.builder.value(rw.resolve(id)));
    const foldable = inputs.length > 0 && inputs.every((v) => v.data) && !node.outputs.some((id) => outputs.has(id));
    if (!foldable) {
      rw.keep(node);
      continue;
    }
    let results;
    try {
      results = evalOp(node.op, inputs.map((v) => ({ type: v.type, data: v.data! })));
    } catch (e) {
      if (e instanceof CompileError) throw e.withSite({ node: node.origin });
      throw e;
    }
    node.outputs.forEach((id, i) => {
      const v = rw.builder.value(id);
      // evalOp may hand back an input's buffer (reshape): copy, so graphs never share mutable storage.
      rw.alias(id, rw.addConst(v.name, v.type.shape, results[i].data.slice()));
    });
  }
  return rw.finish();
}

export const foldConstantsPass: Pass = { name: 'fold-constants', run: foldConstants };
