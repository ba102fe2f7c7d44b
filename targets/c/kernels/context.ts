// What every kernel emitter receives, and small helpers they share.

import { CompileError } from '../../../compiler/ir/errors.ts';
import type { Graph, Node } from '../../../compiler/ir/types.ts';
import type { MemoryPlan, Placement } from '../../../compiler/plan/types.ts';
import { commentText } from '../names.ts';
import type { OffsetTables } from '../operands.ts';
import type { WeightPool } from '../weights.ts';

export interface KernelContext {
  readonly graph: Graph;
  readonly plan: MemoryPlan;
  readonly weights: WeightPool;
  readonly tables: OffsetTables;
  /** Validated model name: prefixes every symbol. */
  readonly prefix: string;
  /** Emit `arm_neon.h` paths (guarded by __ARM_NEON) next to the portable loops. */
  readonly neon: boolean;
  /** A wasm build: the wasm SIMD128 vocabulary instead of the x86 ones (see wasm/prelude.ts). */
  readonly wasm: boolean;
  /** Register tile of the matrix kernels: output channels x pixels. */
  readonly tile: { readonly rows: number; readonly pixels: number };
  /** Registers a static helper (shared by kernels, emitted once, before the kernels) under a unique key. */
  helper(key: string, make: () => string): void;
  /** Asks for a zero row of at least `floats` floats and returns its name (padding rows of depthwise kernels). */
  zeroRow(floats: number): string;
}

/** One emitted kernel: a static function taking the buffers holding its activation input and output. */
export interface Kernel {
  readonly definition: string;
}

export function shapeOf(ctx: KernelContext, id: number): readonly number[] {
  return ctx.graph.values.get(id)!.type.shape;
}

export function placementOf(ctx: KernelContext, id: number, node: Node): Placement {
  const p = ctx.plan.placements.get(id);
  if (!p) throw new CompileError(`C target: value ${id} has no placement in the memory plan`, { node: node.origin });
  return p;
}

/** Constant operand data (weights, bias), or a CompileError when a runtime tensor sits where a constant is needed. */
export function constData(ctx: KernelContext, id: number | undefined, node: Node, what: string): Float32Array | undefined {
  if (id === undefined) return undefined;
  const v = ctx.graph.values.get(id)!;
  if (!v.data) throw new CompileError(`C target: ${node.op.kind} ${what} must be a constant`, { node: node.origin });
  if (!(v.data instanceof Float32Array)) throw new CompileError(`C target: ${node.op.kind} ${what} must be f32`, { node: node.origin });
  return v.data;
}

export const WEIGHTS = (prefix: string): string => `${prefix}_weights.f`;

/** The comment every kernel starts with: what it computes and which graph node it came from (escaped). */
export function originComment(node: Node, summary: string): string {
  return `/* ${commentText(summary)} -- from node #${node.id} ${commentText(node.origin)} */`;
}

export function reluExpr(value: string, relu: boolean): string {
  return relu ? `(${value} > 0.0f ? ${value} : 0.0f)` : value;
}

/** Float literal that round-trips exactly (9 significant digits). */
export function floatLiteral(v: number): string {
  if (!Number.isFinite(v)) throw new CompileError(`C target: non-finite constant ${v}`);
  const s = Math.fround(v).toPrecision(9);
  return (s.includes('.') || s.includes('e') ? s : s + '.0') + 'f';
}

/** Indents emitted C by `levels` steps (preprocessor lines stay in column 0). */
export function indent(text: string, levels: number): string {
  const pad = '  '.repeat(levels);
  return text
    .split('\n')
    .map((l) => (l.length && !l.startsWith('#') ? pad + l : l))
    .join('\n');
}
