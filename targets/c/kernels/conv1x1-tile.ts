// One register tile of the 1×1 convolution in portable C (see conv1x1.ts for the blocking scheme).

import type { AffineRun, ChannelAddressing } from '../operands.ts';
import { reluExpr } from './context.ts';

export interface TileSpec {
  readonly rows: number;
  readonly pixels: number;
  readonly channels: number;
  readonly relu: boolean;
  readonly input: ChannelAddressing;
  /** The input channels as affine stretches (one k loop each), or undefined to loop once through `input`. */
  readonly inputRuns?: readonly AffineRun[];
  readonly output: ChannelAddressing;
}

/** Portable tile: `rows` output channels (from m) × `pixels` pixels (from `start`, default p). */
export function portableTile(t: TileSpec, start = 'p'): string {
  const acc = (i: number) => `a${i}`;
  const rows = [...Array(t.rows).keys()];
  return [
    `float ${rows.map((i) => `${acc(i)}[${t.pixels}]`).join(', ')};`,
    `for (j = 0; j < ${t.pixels}; j++) { ${rows.map((i) => `${acc(i)}[j] = bias[m + ${i}];`).join(' ')} }`,
    ...channelLoops(t, start, [
      `const float *wk = wb + k * ${t.rows};`,
      `${rows.map((i) => `const float w${i} = wk[${i}];`).join(' ')}`,
      `for (j = 0; j < ${t.pixels}; j++) { const float v = xk[j]; ${rows.map((i) => `${acc(i)}[j] += w${i} * v;`).join(' ')} }`,
    ]),
    ...rows.map((i) => `{ float *yo = yn + ${t.output.at(`m + ${i}`)} + ${start}; for (j = 0; j < ${t.pixels}; j++) yo[j] = ${reluExpr(`${acc(i)}[j]`, t.relu)}; }`),
  ].join('\n');
}


/** The loop(s) over input channels k, each defining `xk` (the input row at the tile's pixels) for `body`. */
export function channelLoops(t: TileSpec, start: string, body: readonly string[]): string[] {
  const runs = t.inputRuns ?? [{ from: 0, to: t.channels, at: (i: string) => t.input.at(i) }];
  return runs.flatMap((r) => [
    `for (k = ${r.from}; k < ${r.to}; k++) {`,
    `  const float *xk = xn + (${r.at('k')}) + ${start};`,
    ...body.map((l) => '  ' + l),
    `}`,
  ]);
}
