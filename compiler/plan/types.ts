// The contract between the compiler and the targets: where every activation lives at run time.
//
// Activations are planar: channel c of a value is one contiguous H×W plane per batch item, and planes can sit
// anywhere. Element (n, c, y, x) of a value lives at float offset
//     channelOffsets[c] + n * batchStride + y * W + x
// in the buffer named by `buffer`. Because each channel is addressed on its own, split, concat and channel
// shuffle are pure bookkeeping on `channelOffsets` (view nodes): targets emit nothing for them, and every
// compute kernel reads and writes through its operands' offset tables (compile-time constants).
//
// Axis 1 is the channel axis; every axis after it is flattened into the plane (rank 2 values have planes of
// one element). A value of rank 0 or 1 is a single plane (one channel offset) holding all
// its elements. Graph inputs and outputs keep plain row-major layout in the caller's buffers, one after another.

export type BufferName = 'input' | 'output' | 'arena';

export interface Placement {
  readonly buffer: BufferName;
  /** Float offset of each channel's plane for batch item 0. */
  readonly channelOffsets: readonly number[];
  /** Floats between batch items of the same channel. */
  readonly batchStride: number;
}

export interface MemoryPlan {
  /** Arena size in floats (a multiple of PLANE_ALIGN_FLOATS). */
  readonly arenaFloats: number;
  /** Largest number of floats simultaneously live under the schedule: no plan can use less. */
  readonly lowerBoundFloats: number;
  /** Sum of all arena activations as if none shared memory, for comparison. */
  readonly totalActivationFloats: number;
  /** Every f32 value that is not a constant: graph inputs, outputs and intermediates (views included). */
  readonly placements: ReadonlyMap<number, Placement>;
  /** Nodes whose outputs are views of their inputs: targets emit no code for them. */
  readonly viewNodes: ReadonlySet<number>;
  /**
   * View-kind nodes (split/concat/channelShuffle/identity/reshape) that are NOT views under this plan, so the
   * target must copy: their output is a graph output (dense in 'output'), or a concat joins different buffers.
   */
  readonly copyNodes?: ReadonlySet<number>;
  /** The kernel groups this plan honours (see PlanOptions): a target may emit each as one kernel. */
  readonly kernelGroups: readonly KernelGroup[];
}

/** Ids of nodes a target runs as one kernel, in schedule order (views between members are not listed). */
export type KernelGroup = readonly number[];

export interface PlanOptions {
  /**
   * Nodes a target emits as one kernel. Such a kernel may still read any member's inputs while it writes its
   * outputs, so those inputs stay allocated until the group's last member: no member's output lands on them.
   */
  readonly kernelGroups?: readonly KernelGroup[];
}

/**
 * Planes start on 64-byte boundaries: SIMD loads of a plane's first vector are aligned, and in an arena that
 * starts on a cache line (the C target's <NAME>_ARENA_ALIGN) no line holds two planes. Threads that split a
 * layer by channels, or by pixel tiles of whole lines, then never write to the same line. With 16-byte
 * boundaries, x1.0's 14x14 and 7x7 planes shared lines, and a 16-byte aligned arena shared them everywhere:
 * 2 threads ran 3-6% slower (same-process A/B, 64-byte aligned arena in both).
 */
export const PLANE_ALIGN_FLOATS = 16;

export const alignPlane = (floats: number): number => Math.ceil(floats / PLANE_ALIGN_FLOATS) * PLANE_ALIGN_FLOATS;
