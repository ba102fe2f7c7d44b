// One register tile of the 1×1 convolution in portable C (see conv1x1.ts for the blocking scheme).

import type { ChannelAddressing } from '../operands.ts';
import { reluExpr } from './context.ts';

export interface TileSpec {
  readonly rows: number;
  readonly pixels: number;
  readonly channels: number;
  readonly relu: boolean;
  readonly input: ChannelAddressing;
  readonly output: ChannelAddressing;
}

/** Portable tile: `rows` output channels (from m) × `pixels` pixels (from `start`, default p). */
export function portableTile(t: TileSpec, start = 'p'): string {
  const acc = (i: number) => `a${i}`;
  const rows = [...Array(t.rows).keys()];
  return [
    `float ${rows.map((i) => `${acc(i)}[${t.pixels}]`).join(', ')};`,
    `for (j = 0; j < ${t.pixels}; j++) { ${rows.map((i) => `${acc(i)}[j] = bias[m + ${i}];`).join(' ')} }`,
    `for (k = 0; k < ${t.channels}; k++) {`,
    `  const float *xk = xn + ${t.input.at('k')} + ${start};`,
    `  const float *wk = wb + k * ${t.rows};`,
    `  ${rows.map((i) => `const float w${i} = wk[${i}];`).join(' ')}`,
    `  for (j = 0; j < ${t.pixels}; j++) { const float v = xk[j]; ${rows.map((i) => `${acc(i)}[j] += w${i} * v;`).join(' ')} }`,
    `}`,
    ...rows.map((i) => `{ float *yo = yn + ${t.output.at(`m + ${i}`)} + ${start}; for (j = 0; j < ${t.pixels}; j++) yo[j] = ${reluExpr(`${acc(i)}[j]`, t.relu)}; }`),
  ].join('\n');
}

