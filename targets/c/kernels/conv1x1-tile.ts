// One register tile of the 1×1 convolution in portable C (see conv1x1.ts for the blocking scheme).

import type { ChannelAddressing } from '../operands.ts';
import { reluExpr } from './context.ts';

export interface TileSpec {
  readonly rows: number;
  readonly pixels: number;
  readonly channels: number;
  readonly relu: boolean;
  readonly input: ChannelAddressing;
  /**
   * Name of a run table (rows {from, to, base, step}: see OffsetTables.runTable) when the input channels form
   * several affine stretches; the k loop then runs once per stretch with computed addresses. Undefined: one
   * loop through `input`.
   */
  readonly runTable?: { readonly name: string; readonly count: number };
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
  if (!t.runTable) return [`for (k = 0; k < ${t.channels}; k++) {`, `  const float *xk = xn + (${t.input.at('k')}) + ${start};`, ...body.map((l) => '  ' + l), `}`];
  return [
    `for (int r = 0; r < ${t.runTable.count}; r++) {`,
    `  const int32_t *run = ${t.runTable.name}[r];`,
    `  for (k = run[0]; k < run[1]; k++) {`,
    `    const float *xk = xn + (run[2] + k * run[3]) + ${start};`,
    ...body.map((l) => '    ' + l),
    `  }`,
    `}`,
  ];
}
