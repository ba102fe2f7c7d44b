// The loop nest a matrix-shaped layer runs around the shared microkernel: tiles of BLOCK_M output channels ×
// BLOCK_P pixels, each a call with the tile's operands. Loops with a single trip are written as straight code.

import type { KernelContext } from './context.ts';
import { lastTask, taskCount, taskSpan } from './context.ts';
import { pointwiseMicrokernel } from './pointwise-microkernel.ts';

export interface TileOperands {
  /** Input channels k (the reduction length). */
  readonly channels: number;
  readonly outChannels: number;
  /** Pixels per output plane covered by the loop nest. */
  readonly pixels: number;
  readonly relu: boolean;
  /** Run table of the input rows ({from, to, base, step} over k) and its row count. */
  readonly input: { readonly table: string; readonly count: number };
  /** Run table of the output planes over the output channel index. */
  readonly output: string;
  /** Pixels per tile (default: the context's tile). */
  readonly pixelTile?: number;
  /** Channel blocks outside the pixel tiles (default: only on planes of at most two tiles). */
  readonly weightsOutside?: boolean;
  /** C pointer to this call's tileAccumulatorFloats of arena scratch (the portable tile's accumulators). */
  readonly accumulators: string;
}

/** Scratch floats the microkernels of one layer need for their accumulators: the largest tile. */
export function tileAccumulatorFloats(ctx: KernelContext, pixelTile?: number): number {
  return ctx.tile.rows * (pixelTile ?? ctx.tile.pixels);
}

/** A loop of `var` over [from, to) by `step`, or the body once with the constant when there is one trip. */
export function countedLoop(v: string, from: number, to: number, step: number, body: (at: string) => string[]): string[] {
  const trips = Math.ceil((to - from) / step);
  if (trips <= 0) return [];
  if (trips === 1) return body(String(from));
  return [`for (${v} = ${from}; ${v} < ${to}; ${v} += ${step}) {`, ...body(v).map((l) => '  ' + l), `}`];
}

/** A task's share of the output channels: full row blocks [m0, m1), and the remainder block when `remainder` holds. */
export interface RowSplit {
  readonly m0: string;
  readonly m1: string;
  readonly remainder?: string;
}

/** A task's share of the pixels: full pixel tiles [p0, p1) (multiples of the tile), and the tail tiles when `tail` holds. */
export interface PixelSplit {
  readonly p0: string;
  readonly p1: string;
  readonly tail: string;
}

/** Row blocks of a layer split over `tasks` (see taskSpan): returns the span declaration and the split. */
export function rowSplit(ctx: KernelContext, outChannels: number, tasks: number): { declaration: string; split: RowSplit } | undefined {
  const blocks = Math.floor(outChannels / ctx.tile.rows);
  if (tasks === 1) return undefined;
  return {
    declaration: taskSpan(blocks, tasks),
    split: { m0: `lo * ${ctx.tile.rows}`, m1: `hi * ${ctx.tile.rows}`, remainder: lastTask(tasks) },
  };
}

/**
 * Pixel tiles a plane needs for its layers to split by pixel tiles (6 balance 2 and 3 threads). A task then runs
 * all row blocks over its tiles, so each input tile is loaded once and reused by every block, as in a serial run.
 * Split by row blocks, x1.0's stage-3 1x1 convs (14 blocks, 12 tasks) re-read the whole input for every one- or
 * two-block task: on 2 threads they ran ~1.4x faster than on 1, and pixel tiles cut the 2-thread inference by 2-4%.
 */
const PIXEL_SPLIT_TILES = 6;

/**
 * How a matrix-shaped layer of `work` multiply-adds is split into tasks: by full pixel tiles when a plane holds
 * at least PIXEL_SPLIT_TILES of them or more of them than the layer has row blocks (x0.5's 24-channel 1x1 convs
 * on 28x28: 3 row blocks, 24 pixel tiles), else by row blocks. Tile boundaries stay where a serial run puts
 * them and the last task takes the tail tiles (which may overlap only its own last full tile), so every output
 * is computed by the same tile either way.
 */
export function tileSplit(
  ctx: KernelContext,
  outChannels: number,
  pixels: number,
  work: number,
): { tasks: number; declaration?: string; split?: RowSplit | PixelSplit } {
  const rowBlocks = Math.floor(outChannels / ctx.tile.rows);
  const pixelTiles = Math.floor(pixels / ctx.tile.pixels);
  const byPixels = pixelTiles >= PIXEL_SPLIT_TILES || pixelTiles > rowBlocks;
  const tasks = taskCount(byPixels ? pixelTiles : rowBlocks, work);
  if (tasks === 1) return { tasks };
  if (!byPixels) return { tasks, ...rowSplit(ctx, outChannels, tasks) };
  const p = ctx.tile.pixels;
  return { tasks, declaration: taskSpan(pixelTiles, tasks), split: { p0: `lo * ${p}`, p1: `hi * ${p}`, tail: lastTask(tasks) } };
}

/**
 * The microkernel calls of one layer, reading `x` and writing `y` (C expressions for pixel 0 of the planes),
 * with weights at `w` and biases at `bias` (pointers the caller declares). One call covers whole runs of tiles
 * of one shape, so a layer makes a handful of calls (per pixel tile when pixel tiles run outside).
 */
export function tileCalls(ctx: KernelContext, t: TileOperands, x: string, y: string, split?: RowSplit | PixelSplit): string[] {
  const BLOCK_M = ctx.tile.rows;
  const BLOCK_P = t.pixelTile ?? ctx.tile.pixels;
  const fullM = Math.floor(t.outChannels / BLOCK_M) * BLOCK_M;
  const fullP = Math.floor(t.pixels / BLOCK_P) * BLOCK_P;
  const rowSplit = split && 'm0' in split ? split : undefined;
  const pixelSplit = split && 'p0' in split ? split : undefined;
  if (pixelSplit && BLOCK_P !== ctx.tile.pixels) throw new Error('tileCalls: a pixel split needs the context tile');
  const call = (rows: number, m0: string, m1: string, px: number, p0: string, p1: string): string => {
    const mk = pointwiseMicrokernel(ctx, { rows, pixels: px, relu: t.relu });
    return `${mk}(${x}, ${t.input.table}, ${t.input.count}, w, bias, ${y}, ${t.output}, ${m0}, ${m1}, ${p0}, ${p1}, ${t.accumulators});`;
  };
  /** Row blocks: [rows, m0, m1, guard] (the full blocks, then the remainder block; guard: only in that task). */
  const rowBlocks: [number, string, string, string?][] = [
    ...(fullM > 0 ? [[BLOCK_M, rowSplit?.m0 ?? '0', rowSplit?.m1 ?? String(fullM)] as [number, string, string]] : []),
    ...(t.outChannels > fullM ? [[t.outChannels - fullM, String(fullM), String(t.outChannels), rowSplit?.remainder] as [number, string, string, string?]] : []),
  ];
  const guarded = (guard: string | undefined, line: string) => (guard ? `if (${guard}) ${line}` : line);
  const tailGuard = (guard: string | undefined) => guard ?? pixelSplit?.tail;
  // wasm's vocabulary has a one-vector (4-pixel) chunk, so its tails may be that narrow; the x86 ones start at 8.
  const tails = tailTiles(t.pixels, fullP, BLOCK_P, ctx.wasm ? 4 : 8);
  // Pixel tiles outside, channel blocks inside: a tile's input rows (K x 32 floats) stay in L1 while each block's
  // weights stream past them. Measured on x1.0 (gcc and clang, AVX-512) it beats the opposite order on the 56x56 to
  // 14x14 planes. Small planes (7x7: two pixel tiles, weights up to 1.9 MB against a 91 KB input) go the other way:
  // each weight block is read once and all pixel tiles run under it (conv5 464->1024 on 7x7: 0.62 -> 0.55 ms, gcc).
  const weightsOutside = t.weightsOutside ?? t.pixels <= 2 * BLOCK_P;
  const lines: string[] = [];
  if (weightsOutside) {
    for (const [rows, m0, m1, guard] of rowBlocks) {
      if (fullP > 0) lines.push(guarded(guard, call(rows, m0, m1, BLOCK_P, pixelSplit?.p0 ?? '0', pixelSplit?.p1 ?? String(fullP))));
      for (const [at, px] of tails) lines.push(guarded(tailGuard(guard), call(rows, m0, m1, px, String(at), String(at + px))));
    }
  } else {
    const perTile = (p: string, px: number, end: string, tail = false) =>
      rowBlocks.map(([rows, m0, m1, guard]) => guarded(tail ? tailGuard(guard) : guard, call(rows, m0, m1, px, p, end)));
    if (pixelSplit) lines.push(`for (p = ${pixelSplit.p0}; p < ${pixelSplit.p1}; p += ${BLOCK_P}) {`, ...perTile('p', BLOCK_P, `p + ${BLOCK_P}`).map((l) => '  ' + l), `}`);
    else lines.push(...countedLoop('p', 0, fullP, BLOCK_P, (p) => perTile(p, BLOCK_P, /^\d+$/.test(p) ? String(Number(p) + BLOCK_P) : `${p} + ${BLOCK_P}`)));
    for (const [at, px] of tails) lines.push(...perTile(String(at), px, String(at + px), true));
  }
  return [...(lines.some((l) => l.startsWith('for (p = ')) ? ['int p;'] : []), ...lines];
}

/**
 * Tiles for the pixels left after the full tiles, as [start, width] pairs. The rest is covered by one vector-
 * friendly tile (`narrowest` where that is under 8, then 8, 16 or BLOCK_P wide) that ends at the last pixel and
 * may overlap pixels already done: they are recomputed in the same order to the same values (input and output
 * never alias), which is far cheaper than a narrow scalar remainder tile (on 7x7 = 32 + 17 pixels, 32 + 16 + 1
 * used to stream every weight block 3 times).
 */
export function tailTiles(pixels: number, fullP: number, BLOCK_P: number, narrowest = 8): [number, number][] {
  const rest = pixels - fullP;
  if (rest === 0) return [];
  const width = [...(narrowest < 8 ? [narrowest] : []), 8, 16, BLOCK_P].find((w) => w >= rest && w <= pixels && w <= BLOCK_P);
  if (width !== undefined) return [[pixels - width, width]];
  // Planes narrower than a vector: plain remainder tiles.
  const tiles: [number, number][] = [];
  let at = fullP;
  if (rest >= BLOCK_P / 2) {
    tiles.push([at, BLOCK_P / 2]);
    at += BLOCK_P / 2;
  }
  if (pixels > at) tiles.push([at, pixels - at]);
  return tiles;
}
