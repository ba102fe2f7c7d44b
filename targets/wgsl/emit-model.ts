// Lowers a planned graph to one WGSL module, the packed weights and the dispatch list the runtime replays.
//
// Layout decisions (see limits.ts for why they fit every adapter):
// - one activation buffer: the memory plan's arena, then the input, then the output, so every kernel binds
//   three storage bindings (its weight block read-only, as vec4s and as floats; the activations, read-write);
// - one weights buffer made of per-kernel blocks aligned to 256 bytes, each bound on its own;
// - one shader module with one entry point per dispatch, every constant baked in.

import { CompileError } from '../../compiler/ir/errors.ts';
import type { Graph } from '../../compiler/ir/types.ts';
import { numel } from '../../compiler/ir/types.ts';
import type { MemoryPlan, Placement } from '../../compiler/plan/types.ts';
import type { WebGpuModelDescription, WebGpuStep } from '../../runtime/webgpu-description.ts';
import type { Kernel } from './kernels/kernel.ts';
import { MAX_WORKGROUPS_PER_DIMENSION, WORKGROUP_SIZE } from './kernels/kernel.ts';
import { lowerGroup } from './lower-group.ts';
import { lowerNode } from './lower-node.ts';
import type { Operand } from './operand-address.ts';
import { BLOCK_ALIGN_FLOATS, MAX_TABLE_VALUE } from './weight-block.ts';
import { safeOrigin } from './wgsl-text.ts';

export interface WgslModel {
  readonly description: WebGpuModelDescription;
  /** The shader module (`<name>.wgsl`). */
  readonly wgsl: string;
  readonly weights: Float32Array;
}

const alignBlock = (floats: number): number => Math.ceil(floats / BLOCK_ALIGN_FLOATS) * BLOCK_ALIGN_FLOATS;

const MODULE_HEADER = (name: string, kernels: number) => `// snv2c: WGSL for model ${safeOrigin(name)}, ${kernels} kernels, one dispatch each. Generated; do not edit.
// Activations are planar (one contiguous plane per channel); split, concat and channel shuffle are resolved at
// compile time into the plane addresses of each kernel, so no kernel below exists only to move data.
// The weight block of the kernel is bound twice: as vec4s (w, aligned block loads) and as floats (wf, via ws()).
@group(0) @binding(0) var<storage, read> w: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> act: array<f32>;
@group(0) @binding(2) var<storage, read> wf: array<f32>;
fn ws(i: u32) -> f32 { return wf[i]; }
`;

export function emitWgslModel(graph: Graph, plan: MemoryPlan, name: string): WgslModel {
  if (graph.inputs.length !== 1 || graph.outputs.length !== 1) {
    throw new CompileError(`wgsl target: models with exactly one input and one output are supported, this one has ${graph.inputs.length} and ${graph.outputs.length}`, { kind: 'unsupported' });
  }
  const shapeOf = (id: number) => graph.values.get(id)!.type.shape;
  const inputShape = shapeOf(graph.inputs[0]);
  const outputShape = shapeOf(graph.outputs[0]);
  const inputOffset = alignBlock(plan.arenaFloats);
  const outputOffset = alignBlock(inputOffset + numel(inputShape));
  const activationFloats = alignBlock(outputOffset + numel(outputShape));
  if (activationFloats >= MAX_TABLE_VALUE) throw new CompileError(`wgsl target: ${activationFloats} activation floats exceed the 2^24 the offset tables can address`);
  const regionBase = { arena: 0, input: inputOffset, output: outputOffset };

  // Kernel groups the plan honours run as one kernel, at their last member's place in the schedule.
  const nodeById = new Map(graph.nodes.map((n) => [n.id, n]));
  const groupEndingAt = new Map(plan.kernelGroups.map((g) => [g[g.length - 1], g.map((id) => nodeById.get(id)!)]));
  const grouped = new Set(plan.kernelGroups.flat());

  let entries = 0;
  const kernels: { kernel: Kernel; entry: string; node: string }[] = [];
  for (const node of graph.nodes) {
    if (plan.viewNodes.has(node.id) || (grouped.has(node.id) && !groupEndingAt.has(node.id))) continue;
    const placementOf = (id: number): Placement => {
      const p = plan.placements.get(id);
      if (!p) throw new CompileError(`wgsl target: value ${id} has no placement in the memory plan`, { node: node.origin });
      return p;
    };
    const operandOf = (placement: Placement): Operand => ({ placement, regionBase: regionBase[placement.buffer] });
    const cx = { graph, placementOf, operandOf, nextEntry: () => `k${entries++}` };
    const group = groupEndingAt.get(node.id);
    const lowered = group ? [lowerGroup(cx, group)] : lowerNode(cx, node);
    const origin = (group ?? [node]).map((n) => safeOrigin(n.origin)).join(', ');
    lowered.forEach((kernel, i) => {
      if (kernel.workgroups.some((n) => n > MAX_WORKGROUPS_PER_DIMENSION)) {
        throw new CompileError(`wgsl target: ${kernel.kind} needs ${kernel.workgroups.join('x')} workgroups, over the ${MAX_WORKGROUPS_PER_DIMENSION} per dimension WebGPU guarantees`, { node: node.origin });
      }
      kernels.push({ kernel, entry: `k${entries - lowered.length + i}`, node: origin });
    });
  }

  let wgsl = MODULE_HEADER(name, kernels.length);
  let line = wgsl.split('\n').length; // 1-based number of the next line to be written
  let weightsFloats = 0;
  const blocks: Float32Array[] = [];
  const steps: WebGpuStep[] = kernels.map(({ kernel, entry, node }) => {
    const text = `\n// ${entry}: ${kernel.kind} for node ${node}\n${kernel.code}`;
    const first = line + 1;
    wgsl += text;
    line += text.split('\n').length - 1;
    const block = kernel.block.floats();
    const weightsOffset = weightsFloats;
    blocks.push(block);
    weightsFloats = alignBlock(weightsFloats + block.length);
    return {
      entryPoint: entry, kernel: kernel.kind, node, workgroups: kernel.workgroups, workgroupBytes: kernel.workgroupBytes ?? 0,
      weightsOffset, weightsLength: block.length, lines: [first, line - 1] as const,
    };
  });

  const weights = new Float32Array(weightsFloats);
  steps.forEach((s, i) => weights.set(blocks[i], s.weightsOffset));
  const description: WebGpuModelDescription = {
    name, inputShape, outputShape, workgroupSize: WORKGROUP_SIZE, weightsFloats, activationFloats, inputOffset, outputOffset, steps,
  };
  return { description, wgsl, weights };
}
