// Lowers a planned graph to one WGSL module, the packed weights and the dispatch list the runtime replays.
//
// Layout decisions (see limits.ts for why they fit every adapter):
// - one activation buffer: the memory plan's arena, then the input, then the output, so every kernel binds
//   three storage bindings (its weight block read-only, as vec4s and as floats; the activations, read-write);
// - one weights buffer made of per-kernel blocks aligned to 256 bytes, each bound on its own;
// - one shader module with one entry point per dispatch, every constant baked in.

import { CompileError, quoteName } from '../../compiler/ir/errors.ts';
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
import { elementwiseKernel } from './kernels/elementwise.ts';
import type { KernelContext } from './kernels/kernel.ts';
import type { Source } from './kernels/strided-operand.ts';
import { densePlacement } from '../../compiler/plan/plan-memory.ts';

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

/** Refuses graph inputs and outputs the runtime cannot pass (float32 only, at least one output). */
function checkInterface(graph: Graph): void {
  if (graph.outputs.length === 0) throw new CompileError('wgsl target: the model has no outputs', { kind: 'unsupported' });
  for (const [what, ids] of [['input', graph.inputs], ['output', graph.outputs]] as const) {
    for (const id of ids) {
      const v = graph.values.get(id)!;
      if (v.type.dtype !== 'f32') throw new CompileError(`wgsl target: graph ${what} ${quoteName(v.name)} is ${v.type.dtype}; only float32 ${what}s are supported`, { kind: 'unsupported' });
    }
  }
}

/**
 * Copies for the graph outputs no kernel writes (plan/liveness.ts): an output that is a graph input or a
 * constant, or a value listed a second time (written at its first place).
 */
function outputCopies(graph: Graph, plan: MemoryPlan, operandOf: (p: Placement) => Operand, entry: () => KernelContext): { kernel: Kernel; entry: string; node: string }[] {
  const written = new Set(graph.nodes.flatMap((n) => n.outputs));
  const seen = new Set<number>();
  let base = 0;
  return graph.outputs.flatMap((id) => {
    const value = graph.values.get(id)!;
    const shape = value.type.shape;
    const at = base;
    base += numel(shape);
    const copied = seen.has(id) || !written.has(id);
    seen.add(id);
    if (!copied || numel(shape) === 0) return [];
    const from: Source = value.data
      ? { kind: 'constant', data: Float32Array.from(value.data), shape }
      : { kind: 'activation', operand: operandOf(plan.placements.get(id)!), shape };
    const y = operandOf(densePlacement('output', shape, at));
    const coords = (out: readonly string[]) => shape.map((d, k) => (d === 1 ? '0u' : out[k]));
    const ctx = entry();
    return [{ kernel: elementwiseKernel(ctx, { kind: 'copy', domain: shape, y, inputs: [{ source: from, coords }], expression: 'v0' }), entry: ctx.entry, node: `graph output ${safeOrigin(value.name)}` }];
  });
}

export function emitWgslModel(graph: Graph, plan: MemoryPlan, name: string): WgslModel {
  checkInterface(graph);
  const shapeOf = (id: number) => graph.values.get(id)!.type.shape;
  const inputShapes = graph.inputs.map(shapeOf);
  const outputShapes = graph.outputs.map(shapeOf);
  // Inputs one after another, then the outputs (the plan's dense 'input' and 'output' layouts).
  const inputOffset = alignBlock(plan.arenaFloats);
  const outputOffset = alignBlock(inputOffset + inputShapes.reduce((n, s) => n + numel(s), 0));
  const activationFloats = alignBlock(outputOffset + outputShapes.reduce((n, s) => n + numel(s), 0));
  if (activationFloats >= MAX_TABLE_VALUE) throw new CompileError(`wgsl target: ${activationFloats} activation floats exceed the 2^24 the offset tables can address`);
  const regionBase = { arena: 0, input: inputOffset, output: outputOffset };
  const operandOf = (placement: Placement): Operand => ({ placement, regionBase: regionBase[placement.buffer] });

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

  kernels.push(...outputCopies(graph, plan, operandOf, () => ({ entry: `k${entries++}` })));

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
  // A model with no input takes an empty one; the lists are written only for models with several inputs or outputs.
  const several = inputShapes.length !== 1 || outputShapes.length !== 1 ? { inputShapes, outputShapes } : {};
  const description: WebGpuModelDescription = {
    name, inputShape: inputShapes[0] ?? [0], outputShape: outputShapes[0], ...several, workgroupSize: WORKGROUP_SIZE, weightsFloats, activationFloats, inputOffset, outputOffset, steps,
  };
  return { description, wgsl, weights };
}
