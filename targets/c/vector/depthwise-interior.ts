// AVX2+FMA interior of the depthwise 3×3 row loop: 8 output columns per step (also used on AVX-512 machines:
// the planes here are 7 to 56 wide, so 16-wide steps would mostly fall through to the scalar loop). clang does
// not vectorise the portable loop and gcc under -std=c99 fuses no multiply-add, hence explicit intrinsics.
// Stride 1 loads three overlapping vectors per row; stride 2 loads 16 floats twice and de-interleaves them
// (shuffle, then a lane permute: even columns for taps 0 and 2, odd for tap 1). The vector loop stops where a
// load would pass the row end, and the remaining interior columns run scalar (the loop is shared with NEON:
// kernels/depthwise-row-loop.ts).

import type { PlaneGeometry } from '../kernels/depthwise.ts';
import { vectorRowLoop, type RowLoopIsa } from '../kernels/depthwise-row-loop.ts';

/** Even (0x88) or odd (0xDD) floats of the 16 at p, in column order. */
const deinterleave = (p: string, pick: string) =>
  `_mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(_mm256_shuffle_ps(_mm256_loadu_ps(${p}), _mm256_loadu_ps(${p} + 8), ${pick})), 0xD8))`;

const AVX2: RowLoopIsa = {
  lanes: 8,
  vectorType: '__m256',
  stride2Reach: 17,
  loads: (r, stride) =>
    stride === 1
      ? `const __m256 p${r}0 = _mm256_loadu_ps(r${r} + ix), p${r}1 = _mm256_loadu_ps(r${r} + ix + 1), p${r}2 = _mm256_loadu_ps(r${r} + ix + 2);`
      : `const __m256 p${r}0 = ${deinterleave(`r${r} + ix`, '0x88')}, p${r}1 = ${deinterleave(`r${r} + ix`, '0xDD')}, p${r}2 = ${deinterleave(`r${r} + ix + 2`, '0x88')};`,
  splat: (s) => `_mm256_set1_ps(${s})`,
  fma: (a, b) => `acc = _mm256_fmadd_ps(${a}, ${b}, acc);`,
  store: (p, v) => `_mm256_storeu_ps(${p}, ${v});`,
  maxZero: (v) => `_mm256_max_ps(${v}, _mm256_setzero_ps())`,
};

export function x86DepthwiseInterior(g: PlaneGeometry, lo: number, hi: number, relu: boolean, portable: string): string {
  const vector = vectorRowLoop(AVX2, g, lo, hi, relu);
  return vector === undefined ? portable : [`#if defined(__AVX2__) && defined(__FMA__)`, vector, `#else`, portable, `#endif`].join('\n');
}
