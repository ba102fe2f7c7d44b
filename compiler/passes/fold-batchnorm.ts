// BatchNorm folding: y = (conv(x, W) + b - mean) * scale / sqrt(var + eps) + shift is itself a convolution with
//   W'[m] = W[m] * s[m],  b'[m] = (b[m] - mean[m]) * s[m] + shift[m],  s = scale / sqrt(var + eps).
// Row m of the weight holds every tap of output channel m whatever the grouping, so dense, grouped and
// depthwise convolutions fold the same way. Folded only when the conv's result feeds nothing but the BN
// (otherwise the unnormalised value is still needed) and every parameter is a constant. Arithmetic is done
// in double precision and rounded once.

import type { Graph, Node } from '../ir/types.ts';
import type { Pass } from './pass.ts';
import { Rewriter, UseIndex } from './rewriter.ts';

/** The batchNorm each foldable conv feeds, keyed by conv node id. */
function foldableConvs(uses: UseIndex): Map<number, Node> {
  const found = new Map<number, Node>();
  for (const bn of uses.graph.nodes) {
    if (bn.op.kind !== 'batchNorm' || !bn.inputs.slice(1).every((id) => uses.constData(id))) continue;
    const conv = uses.producer.get(bn.inputs[0]);
    // An activation or a fused residual sits between the conv sum and the BN: no longer a linear fold.
    if (!conv || conv.op.kind !== 'conv2d' || conv.op.activation !== 'none' || conv.op.residual) continue;
    if (!conv.inputs.slice(1).every((id) => uses.constData(id)) || uses.soleConsumer(conv.outputs[0]) !== bn) continue;
    found.set(conv.id, bn);
  }
  return found;
}

export function foldBatchNorm(graph: Graph): Graph {
  const uses = new UseIndex(graph);
  const folds = foldableConvs(uses);
  if (folds.size === 0) return graph;
  const foldedBns = new Set([...folds.values()].map((bn) => bn.id));
  const rw = new Rewriter(graph);
  for (const node of graph.nodes) {
    const bn = folds.get(node.id);
    if (foldedBns.has(node.id)) {
      rw.markChanged(); // its conv now writes the normalised result
    } else if (bn && bn.op.kind === 'batchNorm') {
      const weight = graph.values.get(node.inputs[1])!;
      const bias = node.inputs[2] === undefined ? undefined : uses.constData(node.inputs[2]);
      const [scale, shift, mean, variance] = bn.inputs.slice(1).map((id) => uses.constData(id)!);
      const channels = weight.type.shape[0];
      const perChannel = weight.data!.length / channels;
      const newWeight = new Float32Array(weight.data!.length);
      const newBias = new Float32Array(channels);
      for (let m = 0; m < channels; m++) {
        const s = scale[m] / Math.sqrt(variance[m] + bn.op.epsilon);
        for (let k = m * perChannel; k < (m + 1) * perChannel; k++) newWeight[k] = weight.data![k] * s;
        newBias[m] = ((bias ? bias[m] : 0) - mean[m]) * s + shift[m];
      }
      const w = rw.addConst(weight.name, weight.type.shape, newWeight);
      const b = rw.addConst(`${weight.name}:folded_bias`, [channels], newBias);
      rw.emitInto(node.op, [node.inputs[0], w, b], bn.outputs, node.origin);
    } else {
      rw.keep(node);
    }
  }
  return rw.finish();
}

export const foldBatchNormPass: Pass = { name: 'fold-batchnorm', run: foldBatchNorm };
