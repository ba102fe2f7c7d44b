// One generic per-element kernel for every op whose output element depends on one element of each input:
// unary activations, NumPy-broadcasting binary arithmetic (with an optional fused residual), standalone
// batchNorm, and the copies channel routing cannot turn into views (transpose, slice, gather, pad, concat,
// split, reshape: lower-movement.ts). One invocation per element of the iteration domain; pixels (axes 2..)
// along x, axis 1 along y, axis 0 along z, like the other kernels.

import type { Operand } from '../operand-address.ts';
import { WeightBlock } from '../weight-block.ts';
import { u32 } from '../wgsl-text.ts';
import type { Kernel, KernelContext } from './kernel.ts';
import { ceilDiv, kernelHead, MAX_WORKGROUPS_PER_DIMENSION, perPixelWorkgroups, WORKGROUP_SIZE } from './kernel.ts';
import type { Source } from './strided-operand.ts';
import { elementAddress, elementLoad } from './strided-operand.ts';
import { stridesOf } from '../../../compiler/interpreter/tensor.ts';

export interface ElementwiseInput {
  readonly source: Source;
  /**
   * The input's coordinates for the domain coordinates (WGSL expressions, '0u' for a broadcast axis). They may
   * use the values loaded before this input (`v0` ... : a gather's index).
   */
  readonly coords: (domain: readonly string[]) => string[];
  /** Load only where this WGSL condition of the domain coordinates holds (pad, concat); elsewhere the value is 0.0. */
  readonly where?: (domain: readonly string[]) => string;
}

export interface ElementwiseParams {
  /** Kernel kind for reports ("sigmoid", "add", "transpose", ...). */
  readonly kind: string;
  /** The iteration domain: the output's shape. */
  readonly domain: readonly number[];
  /** Where element `domain` coordinates land (planar activation of the domain's shape). */
  readonly y: Operand;
  readonly inputs: readonly ElementwiseInput[];
  /** The output element as a WGSL f32 expression of the loaded inputs `v0`, `v1`, ... (and the domain coordinates). */
  readonly expression: string | ((domain: readonly string[]) => string);
}

/** Statements naming the domain coordinates d0..d{R-1} from the invocation id (p = pixel, c, n). */
export function domainCoordinates(domain: readonly number[]): { statements: string; coords: string[] } {
  const rank = domain.length;
  const lead = Math.max(0, 2 - rank);
  const padded = [...new Array<number>(lead).fill(1), ...domain];
  const inner = stridesOf(padded.slice(2));
  const lines = padded.slice(2).map((d, i) => {
    const divided = inner[i] === 1 ? 'p' : `(p / ${u32(inner[i])})`;
    return `  let d${i + 2} = ${i === 0 ? divided : `${divided} % ${u32(d)}`};\n`;
  });
  const all = padded.map((d, k) => (d === 1 ? '0u' : k === 0 ? 'n' : k === 1 ? 'c' : `d${k}`));
  return { statements: lines.join(''), coords: all.slice(lead) };
}

/** The domain as [batch, channels, pixels per (n, c)] (rank 0-1 domains are one batch item, their elements channels). */
function gridDims(domain: readonly number[]): [number, number, number] {
  const padded = [...new Array<number>(Math.max(0, 2 - domain.length)).fill(1), ...domain];
  return [padded[0], padded[1], padded.slice(2).reduce((a, b) => a * b, 1)];
}

/**
 * Invocations of a domain too large for one workgroup grid dimension (pixels along x, channels along y, batch
 * along z, each at most 65535 workgroups): then every element gets a flat index i = g.x + g.y * row, where row
 * is the invocations of one grid row, unpacked into n, c and p.
 */
function flatRow(domain: readonly number[]): number | undefined {
  const [batch, channels, plane] = gridDims(domain);
  const fits = ceilDiv(plane, WORKGROUP_SIZE) <= MAX_WORKGROUPS_PER_DIMENSION && channels <= MAX_WORKGROUPS_PER_DIMENSION && batch <= MAX_WORKGROUPS_PER_DIMENSION;
  return fits ? undefined : Math.min(ceilDiv(batch * channels * plane, WORKGROUP_SIZE), MAX_WORKGROUPS_PER_DIMENSION) * WORKGROUP_SIZE;
}

/** The dispatch grid of a domain and its pixels per (n, c). */
export function domainGrid(domain: readonly number[]): { plane: number; workgroups: [number, number, number] } {
  const [batch, channels, plane] = gridDims(domain);
  const row = flatRow(domain);
  if (row === undefined) return { plane, workgroups: perPixelWorkgroups(plane, channels, batch) };
  return { plane, workgroups: [row / WORKGROUP_SIZE, ceilDiv(batch * channels * plane, row), 1] };
}

/** The start of a per-element kernel: invocation ids, the tail guard and the domain coordinates. */
export function domainStart(domain: readonly number[]): { text: string; coords: string[] } {
  const { statements, coords } = domainCoordinates(domain);
  const [batch, channels, plane] = gridDims(domain);
  const row = flatRow(domain);
  const text =
    row === undefined
      ? `  let p = g.x;
  let c = g.y;
  let n = g.z;
  if (p >= ${u32(plane)}) { return; }
`
      : `  let i = g.x + g.y * ${u32(row)};
  if (i >= ${u32(batch * channels * plane)}) { return; }
  let p = i % ${u32(plane)};
  let c = (i / ${u32(plane)}) % ${u32(channels)};
  let n = i / ${u32(plane * channels)};
`;
  return { text: text + statements, coords };
}

export function elementwiseKernel(ctx: KernelContext, k: ElementwiseParams): Kernel {
  const block = new WeightBlock();
  const e = ctx.entry;
  const activations: Record<string, Operand> = { y: k.y };
  k.inputs.forEach((input, i) => {
    if (input.source.kind === 'activation') activations[`x${i}`] = input.source.operand;
  });
  const head = kernelHead(ctx, block, activations);
  const { text, coords } = domainStart(k.domain);
  const loads = k.inputs.map((input, i) => {
    const load = elementLoad(input.source, `${e}_x${i}`, input.coords(coords), block);
    return input.where ? `  var v${i} = 0.0;\n  if (${input.where(coords)}) { v${i} = ${load}; }\n` : `  let v${i} = ${load};\n`;
  });
  const yShape: Source = { kind: 'activation', operand: k.y, shape: k.domain };
  const expression = typeof k.expression === 'string' ? k.expression : k.expression(coords);
  const code = `${head}${text}${loads.join('')}  act[${elementAddress(yShape, `${e}_y`, coords, block)}] = ${expression};
}
`;
  return { kind: k.kind, code, block, workgroups: domainGrid(k.domain).workgroups };
}
