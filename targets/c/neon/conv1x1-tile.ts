// NEON version of one 1×1-convolution tile: the tile's pixels are walked in chunks of 8 (then 4) pixels, each
// chunk keeping rows × 2 float32x4 accumulators in registers (8 rows → 16 of aarch64's 32 vector registers) and
// multiplying by weight lanes (`vfmaq_f32` with `vdupq_laneq_f32`, which gcc/clang turn into `fmla v.4s, v.s[i]`).
// Pixels left over after the 4-wide chunks go through the portable scalar tile.

import { channelLoops, portableTile, type TileSpec } from '../kernels/conv1x1-tile.ts';

function chunk(t: TileSpec, vectors: number, start: string): string {
  const rows = [...Array(t.rows).keys()];
  const vecs = [...Array(vectors).keys()];
  const acc = (i: number, v: number) => `c${i}_${v}`;
  const laneRows = Math.floor(t.rows / 4) * 4;
  const weight = (i: number) => (i < laneRows ? `vdupq_laneq_f32(wq${Math.floor(i / 4)}, ${i % 4})` : `vdupq_n_f32(wk[${i}])`);
  const lines = [
    `{`,
    `  float32x4_t ${rows.flatMap((i) => vecs.map((v) => `${acc(i, v)} = vdupq_n_f32(bias[m + ${i}])`)).join(', ')};`,
    ...channelLoops(t, start, [
      `const float *wk = wb + k * ${t.rows};`,
      `${vecs.map((v) => `const float32x4_t x${v} = vld1q_f32(xk + ${v * 4});`).join(' ')}`,
      ...[...Array(laneRows / 4).keys()].map((q) => `const float32x4_t wq${q} = vld1q_f32(wk + ${q * 4});`),
      ...rows.map((i) => `${vecs.map((v) => `${acc(i, v)} = vfmaq_f32(${acc(i, v)}, x${v}, ${weight(i)});`).join(' ')}`),
    ]).map((l) => '  ' + l),
    ...rows.map((i) => {
      const value = (v: number) => (t.relu ? `vmaxq_f32(${acc(i, v)}, vdupq_n_f32(0.0f))` : acc(i, v));
      return `  { float *yo = yn + ${t.output.at(`m + ${i}`)} + ${start}; ${vecs.map((v) => `vst1q_f32(yo + ${v * 4}, ${value(v)});`).join(' ')} }`;
    }),
    `}`,
  ];
  return lines.join('\n');
}

export function neonConv1x1Tile(t: TileSpec): string {
  const parts: string[] = [];
  let done = 0;
  while (t.pixels - done >= 8) {
    parts.push(chunk(t, 2, done ? `p + ${done}` : 'p'));
    done += 8;
  }
  if (t.pixels - done >= 4) {
    parts.push(chunk(t, 1, done ? `p + ${done}` : 'p'));
    done += 4;
  }
  if (t.pixels > done) parts.push(`{\n${portableTile({ ...t, pixels: t.pixels - done }, `p + ${done}`)}\n}`);
  else parts.push('(void)j;');
  return parts.join('\n');
}
