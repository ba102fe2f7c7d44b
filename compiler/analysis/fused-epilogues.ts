// How much element-wise work the compiled graph does inside conv epilogues instead of as its own passes over
// memory (guideline G4): conv epilogue activations by kind, residual adds, and SE scales fused with their add.

import type { Activation, Graph } from '../ir/types.ts';

export interface FusedEpilogues {
  /** Convs applying each activation in their epilogue. */
  readonly activations: Partial<Record<Exclude<Activation, 'none'>, number>>;
  /** Convs adding a residual in their epilogue. */
  readonly residualAdds: number;
  /** SE scales (x * gate) with the residual add after them fused in. */
  readonly scaleAdds: number;
}

export function countFusedEpilogues(graph: Graph): FusedEpilogues {
  const activations: Partial<Record<Exclude<Activation, 'none'>, number>> = {};
  let residualAdds = 0;
  let scaleAdds = 0;
  for (const node of graph.nodes) {
    if (node.op.kind === 'binary' && node.op.residual) scaleAdds++;
    if (node.op.kind !== 'conv2d') continue;
    if (node.op.activation !== 'none') activations[node.op.activation] = (activations[node.op.activation] ?? 0) + 1;
    if (node.op.residual) residualAdds++;
  }
  return { activations, residualAdds, scaleAdds };
}

/** "relu 20, sigmoid 5; residual adds 2", or "none". */
export function fusedEpiloguesText(f: FusedEpilogues): string {
  const parts = Object.entries(f.activations).map(([a, n]) => `${a} ${n}`);
  const text = [parts.join(', '), f.residualAdds ? `residual adds ${f.residualAdds}` : '', f.scaleAdds ? `SE scale + residual add ${f.scaleAdds}` : ''].filter((s) => s).join('; ');
  return text || 'none';
}
