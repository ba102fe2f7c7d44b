// How a kernel finds a channel plane of one of its operands: the compile-time channel routing.
//
// The memory plan gives each value a plane offset per channel (compiler/plan/types.ts). Split, concat and
// shuffle only rearrange those offsets, so a kernel reading a shuffled half reads its planes where they
// already are. When the offsets are affine (base + c * step) the address is a closed formula; otherwise it
// comes from a table stored in the kernel's weight block. Either way no dispatch ever copies a channel.

import type { Placement } from '../../compiler/plan/types.ts';
import type { WeightBlock } from './weight-block.ts';
import { u32 } from './wgsl-text.ts';

export interface Operand {
  readonly placement: Placement;
  /** Float offset of the operand's region (arena, input or output) inside the activation buffer. */
  readonly regionBase: number;
}

/** Offsets c -> regionBase + channelOffsets[c], or null unless they form base + c * step. */
function affine(offsets: readonly number[]): { base: number; step: number } | null {
  const base = offsets[0] ?? 0;
  const step = offsets.length > 1 ? offsets[1] - offsets[0] : 0;
  if (step < 0) return null;
  return offsets.every((o, c) => o === base + c * step) ? { base, step } : null;
}

/**
 * WGSL function `fn <name>(c: u32, n: u32) -> u32` giving the float offset of channel c's plane for batch item n.
 * Tables are appended to `block` (read as exact float integers through the kernel's weights binding).
 */
export function addressFunction(name: string, operand: Operand, block: WeightBlock): string {
  const { placement, regionBase } = operand;
  const batch = `n * ${u32(placement.batchStride)}`;
  const offsets = placement.channelOffsets.map((o) => o + regionBase);
  const line = affine(offsets);
  if (line) {
    const channel = line.step === 0 ? '' : ` + c * ${u32(line.step)}`;
    return `fn ${name}(c: u32, n: u32) -> u32 { return ${u32(line.base)}${channel} + ${batch}; }\n`;
  }
  const table = block.addTable(offsets);
  return `fn ${name}(c: u32, n: u32) -> u32 { return u32(ws(${u32(table)} + c)) + ${batch}; }\n`;
}
