// The graph node behind each SNV2C_PROFILE slot of an instrumented C build. The C emitter numbers its kernel
// calls in graph order: nothing for a view, one call per output for a view-kind node the plan must copy, one call
// for every other node. Where the header states the slot count (<NAME>_LAYER_COUNT), it must agree, so a change
// in how the emitter numbers its slots (fused groups) fails loudly instead of mislabelling layers.

import type { CompileResult } from '../../api/compile.ts';
import { isViewNode } from '../../compiler/plan/views.ts';
import { macroPrefix } from '../../targets/c/names.ts';

export function profiledKernels(result: Pick<CompileResult, 'graph' | 'plan' | 'artifacts' | 'name'>): number[] {
  const { graph, plan } = result;
  const ids: number[] = [];
  for (const node of graph.nodes) {
    if (plan.viewNodes.has(node.id)) continue;
    const calls = isViewNode(graph, node) ? node.outputs.length : 1;
    for (let i = 0; i < calls; i++) ids.push(node.id);
  }
  const header = result.artifacts.find((a) => a.path === `${result.name}.h`);
  const stated = header && new RegExp(`^#define ${macroPrefix(result.name)}_LAYER_COUNT (\\d+)$`, 'm').exec(String(header.contents));
  if (stated && Number(stated[1]) !== ids.length) {
    throw new Error(`${result.name}.h profiles ${stated[1]} layers where the graph has ${ids.length} kernels: the slot numbering changed`);
  }
  return ids;
}
