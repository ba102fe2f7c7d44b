// What the C of a wasm build includes before its kernels: wasm_simd128.h and the one multiply-add the wasm
// vocabularies spell (vector/isa.ts, wasm/depthwise-interior.ts). Baseline SIMD128 has no fused multiply-add, so
// it is a multiply then an add; built with -mrelaxed-simd it is f32x4.relaxed_madd (an FMA on x86 with FMA3 and on
// ARM), which is what the relaxed build of the wasm target is for. clang 14/15 only know the relaxed-SIMD
// prototype's builtin: its operands are written in the standard order (a * b + c) and targets/wasm renumbers
// its opcode to the standard one.

export const WASM_MADD = 'SNV2C_F32X4_MADD';

export function wasmSimdPrelude(): string {
  return [
    '#if defined(__wasm_simd128__)',
    '#include <wasm_simd128.h>',
    '#if defined(__wasm_relaxed_simd__) && __has_builtin(__builtin_wasm_relaxed_madd_f32x4)',
    `#define ${WASM_MADD}(a, b, c) __builtin_wasm_relaxed_madd_f32x4(a, b, c)`,
    '#elif defined(__wasm_relaxed_simd__)',
    `#define ${WASM_MADD}(a, b, c) __builtin_wasm_fma_f32x4(a, b, c)`,
    '#else',
    `#define ${WASM_MADD}(a, b, c) wasm_f32x4_add(wasm_f32x4_mul(a, b), c)`,
    '#endif',
    '#endif',
  ].join('\n');
}
