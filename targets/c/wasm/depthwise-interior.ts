// wasm SIMD128 interior of the depthwise 3×3 row loop: 4 output columns per step, the multiply-add fused in the
// relaxed-SIMD build (prelude.ts). Stride 1 loads three overlapping vectors per row; stride 2 loads columns
// ix..ix+7 and ix+2..ix+9 and keeps their even and odd lanes (i32x4.shuffle: one shufps in V8), so a step reads
// 10 floats from ix. The loop itself is shared: kernels/depthwise-row-loop.ts.

import type { PlaneGeometry } from '../kernels/depthwise.ts';
import { vectorRowLoop, type RowLoopIsa } from '../kernels/depthwise-row-loop.ts';
import { WASM_MADD } from './prelude.ts';

const even = (a: string, b: string) => `wasm_i32x4_shuffle(${a}, ${b}, 0, 2, 4, 6)`;
const odd = (a: string, b: string) => `wasm_i32x4_shuffle(${a}, ${b}, 1, 3, 5, 7)`;

const WASM: RowLoopIsa = {
  lanes: 4,
  vectorType: 'v128_t',
  stride2Reach: 9,
  loads: (r, stride) =>
    stride === 1
      ? `const v128_t p${r}0 = wasm_v128_load(r${r} + ix), p${r}1 = wasm_v128_load(r${r} + ix + 1), p${r}2 = wasm_v128_load(r${r} + ix + 2);`
      : [
          `const v128_t a${r} = wasm_v128_load(r${r} + ix), b${r} = wasm_v128_load(r${r} + ix + 4), c${r} = wasm_v128_load(r${r} + ix + 6);`,
          `const v128_t p${r}0 = ${even(`a${r}`, `b${r}`)}, p${r}1 = ${odd(`a${r}`, `b${r}`)}, p${r}2 = ${even(`wasm_v128_load(r${r} + ix + 2)`, `c${r}`)};`,
        ].join(' '),
  splat: (s) => `wasm_f32x4_splat(${s})`,
  fma: (a, b) => `acc = ${WASM_MADD}(${a}, ${b}, acc);`,
  store: (p, v) => `wasm_v128_store(${p}, ${v});`,
  maxZero: (v) => `wasm_f32x4_pmax(${v}, wasm_f32x4_splat(0.0f))`,
};

export function wasmDepthwiseInterior(g: PlaneGeometry, lo: number, hi: number, relu: boolean, portable: string): string {
  const vector = vectorRowLoop(WASM, g, lo, hi, relu);
  return vector === undefined ? portable : [`#if defined(__wasm_simd128__)`, vector, `#else`, portable, `#endif`].join('\n');
}
