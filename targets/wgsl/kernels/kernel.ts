// What every kernel generator returns: one WGSL entry point plus how to dispatch it.

import type { WeightBlock } from '../weight-block.ts';

/** Threads per workgroup: within the compatibility-mode minimum (128) on every adapter. */
export const WORKGROUP_SIZE = 64;

/** WebGPU's guaranteed maxComputeWorkgroupsPerDimension. */
export const MAX_WORKGROUPS_PER_DIMENSION = 65535;

export interface Kernel {
  /** Kernel kind for reports and error messages ("conv1x1", "depthwise", ...). */
  readonly kind: string;
  /** WGSL text: helper functions and the `@compute` entry point named by `entry`. */
  readonly code: string;
  readonly workgroups: readonly [number, number, number];
  /** The weights, bias and tables this kernel binds. */
  readonly block: WeightBlock;
}

/** Everything a generator needs besides its node: the entry name also prefixes its helpers. */
export interface KernelContext {
  readonly entry: string;
}

export const ceilDiv = (a: number, b: number): number => Math.ceil(a / b);
