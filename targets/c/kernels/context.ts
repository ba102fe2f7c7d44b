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
  /**
   * Reserves `floats` of scratch for one kernel call (tasks included): it lives in the arena after the planned
   * activations, is counted in <NAME>_ARENA_BYTES, and reaches task kernels as their `scratch` argument.
   */
  scratch(floats: number): void;
}

/**
 * One emitted kernel: a static function taking the buffers holding its activation input and output. With
 * `tasks`, it is a task kernel `fn(const float *x, float *y, float *scratch, int task)`: either one call with
 * task -1 (the whole layer), or one call per task index in [0, tasks), in any order or concurrently; tasks
 * write disjoint outputs and every output is computed by the same code in the same order either way, so
 * results are bit-identical for any thread count.
 */
export interface Kernel {
  readonly definition: string;
  readonly tasks?: number;
  /** Values whose buffers the call passes, in order (default: the node's first input, then the output); no tasks. */
  readonly args?: readonly number[];
}

/**
 * Task counts a layer may be split into. The pool hands tasks out one by one to whichever thread is free, so
 * equal tasks balance when their count divides by the thread count: 12 does for 2, 3, 4 and 6 threads, and
 * smaller layers take an even count (the old limit of 4, with 3 channel blocks on x0.5's 1x1 convs, split
 * those 2:1 on 2 threads).
 */
const TASK_COUNTS = [1, 2, 4, 6, 12] as const;
/** Multiply-adds (or element visits) below which a kernel is not worth splitting. */
const MIN_SPLIT_WORK = 50_000;
/** Work of one task at least (~0.3 us): a claim and the cache lines a task shares cost ~0.1 us. */
const MIN_TASK_WORK = 15_000;

/** How many tasks a kernel with `units` independent work items and `work` operations in all is split into. */
export function taskCount(units: number, work: number): number {
  if (work < MIN_SPLIT_WORK) return 1;
  const most = Math.min(units, Math.floor(work / MIN_TASK_WORK));
  return TASK_COUNTS.filter((n) => n <= most).at(-1) ?? 1;
}

/**
 * Declares `const int lo, hi`: task `task`'s share [lo, hi) of `units` items (contiguous, fixed per task), or
 * all of them for task -1 (a serial run calls the whole layer at once and keeps its single-thread loop order).
 */
export function taskSpan(units: number, tasks: number): string {
  if (tasks === 1) return `const int lo = 0, hi = ${units};`;
  return `const int lo = task < 0 ? 0 : task * ${units} / ${tasks}, hi = task < 0 ? ${units} : (task + 1) * ${units} / ${tasks};`;
}

/** C pointer to a task's own `floats` of scratch from `base` (task -1, the whole layer, takes the first slice). */
export function taskSlice(base: string, tasks: number, floats: number): string {
  return tasks > 1 ? `${base} + (task < 0 ? 0 : task) * ${floats}` : base;
}

/** C condition: this call covers the last task's share (the last task, or the whole layer). */
export const lastTask = (tasks: number): string => `task < 0 || task == ${tasks - 1}`;

/** The definition of a task kernel (see Kernel): origin comment, signature, unused-parameter casts, body. */
export function taskKernel(node: Node, fn: string, summary: string, tasks: number, body: readonly string[]): Kernel {
  const text = body.join('\n');
  const unused = [...(tasks === 1 && !/\btask\b/.test(text) ? ['task'] : []), ...(!/\bscratch\b/.test(text) ? ['scratch'] : [])];
  return {
    tasks,
    definition: [
      originComment(node, summary),
      `static void ${fn}(const float *x, float *y, float *scratch, const int task) {`,
      ...(unused.length ? [`  ${unused.map((u) => `(void)${u};`).join(' ')}`] : []),
      indent(text, 1),
      `}`,
    ].join('\n'),
  };
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
