// NEON interior of the depthwise 3×3 row loop: 4 output columns per step. Stride 1 loads three overlapping
// vectors per row; stride 2 de-interleaves with vld2q_f32 (even/odd columns). The vector loop stops where a
// load would pass the row end (vld2q reads 8 floats), and the remaining interior columns run scalar.

import type { PlaneGeometry } from '../kernels/depthwise.ts';
import { reluExpr } from '../kernels/context.ts';

export function neonDepthwiseInterior(g: PlaneGeometry, lo: number, hi: number, relu: boolean): string {
  // Last column a vector step may start at, so that every load stays inside the row.
  const lastStart = g.stride === 1 ? Math.min(hi - 4, g.width - 5) : Math.min(hi - 4, Math.floor((g.width - 9) / 2));
  const loads =
    g.stride === 1
      ? (r: number) => `const float32x4_t p${r}0 = vld1q_f32(r${r} + ix), p${r}1 = vld1q_f32(r${r} + ix + 1), p${r}2 = vld1q_f32(r${r} + ix + 2);`
      : (r: number) => `const float32x4x2_t e${r} = vld2q_f32(r${r} + ix), f${r} = vld2q_f32(r${r} + ix + 2); const float32x4_t p${r}0 = e${r}.val[0], p${r}1 = e${r}.val[1], p${r}2 = f${r}.val[0];`;
  const taps = [0, 1, 2].flatMap((r) => [0, 1, 2].map((k) => `acc = vfmaq_f32(acc, p${r}${k}, vdupq_n_f32(w${r * 3 + k}));`));
  const scalarTaps = [0, 1, 2].flatMap((ky) => [0, 1, 2].map((kx) => `w${ky * 3 + kx} * r${ky}[ix + ${kx}]`));
  return [
    `{`,
    `int ox = ${lo};`,
    ...(lastStart >= lo
      ? [
          `for (; ox <= ${lastStart}; ox += 4) {`,
          `  const int ix = ox * ${g.stride} - 1;`,
          `  float32x4_t acc = vdupq_n_f32(b);`,
          ...[0, 1, 2].map((r) => `  ${loads(r)}`),
          `  ${taps.join(' ')}`,
          `  vst1q_f32(o + ox, ${relu ? 'vmaxq_f32(acc, vdupq_n_f32(0.0f))' : 'acc'});`,
          `}`,
        ]
      : []),
    `for (; ox < ${hi}; ox++) {`,
    `  const int ix = ox * ${g.stride} - 1;`,
    `  const float v = b + ${scalarTaps.join(' + ')};`,
    `  o[ox] = ${reluExpr('v', relu)};`,
    `}`,
    `}`,
  ].join('\n');
}
