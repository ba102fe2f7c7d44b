// Structural promises of the full pipeline on ShuffleNetV2-like graphs, shared by the random-graph and
// fixture tests.

import { expect } from 'chai';
import { epilogueActivation } from '../../../compiler/ir/conv-epilogue.ts';
import type { Graph } from '../../../compiler/ir/types.ts';
import { isViewNode } from '../../../compiler/plan/views.ts';
import { UseIndex } from '../../../compiler/passes/rewriter.ts';

export function expectRoutedShuffleNet(graph: Graph, what: string): void {
  const uses = new UseIndex(graph);
  for (const node of graph.nodes) {
    const label = `${what}: ${node.op.kind} ${JSON.stringify(node.origin)}`;
    expect(['batchNorm', 'transpose', 'gather', 'slice', 'identity', 'reduceMean', 'matMul', 'gemm'], label).to.not.include(node.op.kind);
    if (epilogueActivation(node.op)) {
      const producer = uses.producer.get(node.inputs[0]);
      expect(producer?.op.kind, `${label} after a conv`).to.not.equal('conv2d');
    }
    if (node.op.kind === 'split' || node.op.kind === 'concat' || node.op.kind === 'channelShuffle') {
      expect(isViewNode(graph, node), `${label} is a view`).to.equal(true);
    }
    if (node.op.kind === 'reshape') expect(isViewNode(graph, node), `${label} is a view`).to.equal(true);
  }
}
