// NEON interior of the depthwise 3×3 row loop: 4 output columns per step. Stride 1 loads three overlapping
// vectors per row; stride 2 de-interleaves with vld2q_f32 (even/odd columns; it reads 8 floats, so a step
// needs 9 floats from its first tap). The loop itself is shared: kernels/depthwise-row-loop.ts.

import type { PlaneGeometry } from '../kernels/depthwise.ts';
import { vectorRowLoop, type RowLoopIsa } from '../kernels/depthwise-row-loop.ts';

const NEON: RowLoopIsa = {
  lanes: 4,
  vectorType: 'float32x4_t',
  stride2Reach: 9,
  loads: (r, stride) =>
    stride === 1
      ? `const float32x4_t p${r}0 = vld1q_f32(r${r} + ix), p${r}1 = vld1q_f32(r${r} + ix + 1), p${r}2 = vld1q_f32(r${r} + ix + 2);`
      : `const float32x4x2_t e${r} = vld2q_f32(r${r} + ix), f${r} = vld2q_f32(r${r} + ix + 2); const float32x4_t p${r}0 = e${r}.val[0], p${r}1 = e${r}.val[1], p${r}2 = f${r}.val[0];`,
  splat: (s) => `vdupq_n_f32(${s})`,
  fma: (a, b) => `acc = vfmaq_f32(acc, ${a}, ${b});`,
  store: (p, v) => `vst1q_f32(${p}, ${v});`,
  maxZero: (v) => `vmaxq_f32(${v}, vdupq_n_f32(0.0f))`,
};

export function neonDepthwiseInterior(g: PlaneGeometry, lo: number, hi: number, relu: boolean, portable: string): string {
  return vectorRowLoop(NEON, g, lo, hi, relu) ?? portable;
}
