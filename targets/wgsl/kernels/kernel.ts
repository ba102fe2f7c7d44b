// What every kernel generator returns (one WGSL entry point plus how to dispatch it), and the WGSL text all
// generators open with, kept here so each kernel file holds only what makes it different.

import type { Operand } from '../operand-address.ts';
import { addressFunction } from '../operand-address.ts';
import type { WeightBlock } from '../weight-block.ts';
import { u32 } from '../wgsl-text.ts';

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
  /** Bytes of var<workgroup> memory the entry point uses (fused kernels keep their intermediate there). */
  readonly workgroupBytes?: number;
}

/** Everything a generator needs besides its node: the entry name also prefixes its helpers. */
export interface KernelContext {
  readonly entry: string;
}

export const ceilDiv = (a: number, b: number): number => Math.ceil(a / b);

/** What a kernel's entry point needs beyond kernelHead's defaults. */
export interface EntryExtras {
  /** Parameter list of the entry point (default: the global invocation id `g`). */
  readonly builtins?: string;
  /** Module-scope WGSL between the address functions and the entry (workgroup variables, helpers). */
  readonly declarations?: string;
}

/**
 * A kernel's text up to the first statement of its body: one address function `<entry>_<name>(c, n)` per
 * operand, in the order given (a routing table is appended to `block` at that point), then the `@compute`
 * header. Unless `extras.builtins` says otherwise, a kernel indexes its work by the global invocation id `g`.
 */
export function kernelHead(
  ctx: KernelContext,
  block: WeightBlock,
  operands: Readonly<Record<string, Operand>>,
  workgroupSize: number | readonly [number, number] = WORKGROUP_SIZE,
  extras: EntryExtras = {},
): string {
  const addresses = Object.entries(operands).map(([name, operand]) => addressFunction(`${ctx.entry}_${name}`, operand, block));
  const size = typeof workgroupSize === 'number' ? `${workgroupSize}` : workgroupSize.join(', ');
  const builtins = extras.builtins ?? '@builtin(global_invocation_id) g: vec3<u32>';
  return `${addresses.join('')}${extras.declarations ?? ''}@compute @workgroup_size(${size})\nfn ${ctx.entry}(${builtins}) {\n`;
}

/** Entry parameters of kernels that share work across their workgroup: local index `li`, workgroup id `wg`. */
export const WORKGROUP_BUILTINS = '@builtin(local_invocation_index) li: u32, @builtin(workgroup_id) wg: vec3<u32>';

/**
 * First statements of a kernel run once per output pixel `p` of channel `c` and batch item `n`; the
 * invocations past the plane's end (the last workgroup's tail) return at once.
 */
export function perPixelStart(plane: number): string {
  return `  let p = g.x;
  let c = g.y;
  let n = g.z;
  if (p >= ${u32(plane)}) { return; }
`;
}

/** The dispatch matching perPixelStart: pixels along x, channels along y, batch items along z. */
export function perPixelWorkgroups(plane: number, channels: number, batch: number): [number, number, number] {
  return [ceilDiv(plane, WORKGROUP_SIZE), channels, batch];
}
