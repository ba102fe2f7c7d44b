// AVX2+FMA interior of the depthwise 3×3 row loop: 8 output columns per step (also used on AVX-512 machines:
// the planes here are 7 to 56 wide, so 16-wide steps would mostly fall through to the scalar loop). clang does
// not vectorise the portable loop and gcc under -std=c99 fuses no multiply-add, hence explicit intrinsics.
// Stride 1 loads three overlapping vectors per row; stride 2 loads 16 floats twice and de-interleaves them
// (shuffle, then a lane permute: even columns for taps 0 and 2, odd for tap 1). The vector loop stops where a
// load would pass the row end, and the remaining interior columns run scalar.

import type { PlaneGeometry } from '../kernels/depthwise.ts';
import { reluExpr } from '../kernels/context.ts';

/** Even (0x88) or odd (0xDD) floats of the 16 at p, in column order. */
const deinterleave = (p: string, pick: string) =>
  `_mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(_mm256_shuffle_ps(_mm256_loadu_ps(${p}), _mm256_loadu_ps(${p} + 8), ${pick})), 0xD8))`;

export function x86DepthwiseInterior(g: PlaneGeometry, lo: number, hi: number, relu: boolean, portable: string): string {
  // Last column a vector step may start at, so that every load stays inside the row.
  const lastStart = g.stride === 1 ? Math.min(hi - 8, g.width - 9) : Math.min(hi - 8, Math.floor((g.width - 17) / 2));
  if (lastStart < lo) return portable;
  const loads =
    g.stride === 1
      ? (r: number) => `const __m256 p${r}0 = _mm256_loadu_ps(r${r} + ix), p${r}1 = _mm256_loadu_ps(r${r} + ix + 1), p${r}2 = _mm256_loadu_ps(r${r} + ix + 2);`
      : (r: number) => `const __m256 p${r}0 = ${deinterleave(`r${r} + ix`, '0x88')}, p${r}1 = ${deinterleave(`r${r} + ix`, '0xDD')}, p${r}2 = ${deinterleave(`r${r} + ix + 2`, '0x88')};`;
  const taps = [0, 1, 2].flatMap((r) => [0, 1, 2].map((k) => `acc = _mm256_fmadd_ps(p${r}${k}, _mm256_set1_ps(w${r * 3 + k}), acc);`));
  const scalarTaps = [0, 1, 2].flatMap((ky) => [0, 1, 2].map((kx) => `w${ky * 3 + kx} * r${ky}[ix + ${kx}]`));
  const vector = [
    `{`,
    `int ox = ${lo};`,
    `for (; ox <= ${lastStart}; ox += 8) {`,
    `  const int ix = ox * ${g.stride} - 1;`,
    `  __m256 acc = _mm256_set1_ps(b);`,
    ...[0, 1, 2].map((r) => `  ${loads(r)}`),
    `  ${taps.join(' ')}`,
    `  _mm256_storeu_ps(o + ox, ${relu ? '_mm256_max_ps(acc, _mm256_setzero_ps())' : 'acc'});`,
    `}`,
    `for (; ox < ${hi}; ox++) {`,
    `  const int ix = ox * ${g.stride} - 1;`,
    `  const float v = b + ${scalarTaps.join(' + ')};`,
    `  o[ox] = ${reluExpr('v', relu)};`,
    `}`,
    `}`,
  ].join('\n');
  return [`#if defined(__AVX2__) && defined(__FMA__)`, vector, `#else`, portable, `#endif`].join('\n');
}
