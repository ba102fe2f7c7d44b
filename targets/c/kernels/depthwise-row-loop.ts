// The vector interior of the depthwise 3×3 row loop, written once for every SIMD instruction set: an ISA
// supplies its vocabulary (lanes, loads, splat, multiply-add, store, max) and this file the loop around it —
// vector steps while every load stays inside the row, then scalar columns up to `hi`.

import { reluExpr } from './context.ts';
import type { PlaneGeometry } from './depthwise.ts';

export interface RowLoopIsa {
  /** Output columns per vector step. */
  readonly lanes: number;
  readonly vectorType: string;
  /** Floats a stride-2 step reads from `ix` (de-interleaving loads read past the last tap). */
  readonly stride2Reach: number;
  /** Declares p{r}0, p{r}1, p{r}2: the three tap columns of input row r at `ix`, for the given stride. */
  loads(row: number, stride: number): string;
  splat(scalar: string): string;
  /** `acc += a * b` as a statement. */
  fma(a: string, b: string): string;
  store(pointer: string, value: string): string;
  maxZero(value: string): string;
}

/** Last output column a vector step may start at so that every load stays inside the row. */
function lastVectorStart(isa: RowLoopIsa, g: PlaneGeometry, hi: number): number {
  const reach = g.stride === 1 ? isa.lanes + 1 : isa.stride2Reach;
  return Math.min(hi - isa.lanes, Math.floor((g.width - reach) / g.stride));
}

/** The interior columns [lo, hi) of one output row, or undefined when no vector step fits. */
export function vectorRowLoop(isa: RowLoopIsa, g: PlaneGeometry, lo: number, hi: number, relu: boolean): string | undefined {
  const lastStart = lastVectorStart(isa, g, hi);
  if (lastStart < lo) return undefined;
  const taps = [0, 1, 2].flatMap((r) => [0, 1, 2].map((k) => isa.fma(`p${r}${k}`, isa.splat(`w${r * 3 + k}`))));
  const scalarTaps = [0, 1, 2].flatMap((ky) => [0, 1, 2].map((kx) => `w${ky * 3 + kx} * r${ky}[ix + ${kx}]`));
  return [
    `{`,
    `int ox = ${lo};`,
    `for (; ox <= ${lastStart}; ox += ${isa.lanes}) {`,
    `  const int ix = ox * ${g.stride} - 1;`,
    `  ${isa.vectorType} acc = ${isa.splat('b')};`,
    ...[0, 1, 2].map((r) => `  ${isa.loads(r, g.stride)}`),
    `  ${taps.join(' ')}`,
    `  ${isa.store('o + ox', relu ? isa.maxZero('acc') : 'acc')}`,
    `}`,
    `for (; ox < ${hi}; ox++) {`,
    `  const int ix = ox * ${g.stride} - 1;`,
    `  const float v = b + ${scalarTaps.join(' + ')};`,
    `  o[ox] = ${reluExpr('v', relu)};`,
    `}`,
    `}`,
  ].join('\n');
}
