// The relaxed build's opcode renumbering: a C multiply-add written as the wasm vocabularies write it becomes a
// standard f32x4.relaxed_madd that computes a * b + c (checked in V8 with relaxed SIMD switched on), and a
// module without relaxed instructions passes through byte for byte.

import { expect } from 'chai';
import v8 from 'node:v8';
import { buildWasm } from '../../../targets/wasm/build-wasm.ts';
import { renumberRelaxedOpcodes } from '../../../targets/wasm/relaxed-opcodes.ts';

const SOURCE = `#include <wasm_simd128.h>
static float out[4];
float *madd(float a, float b, float c);
float *madd(float a, float b, float c) {
#if defined(__wasm_relaxed_simd__)
  /* operands in the standard order: a * b + c */
  const v128_t r = __builtin_wasm_fma_f32x4(wasm_f32x4_splat(a), wasm_f32x4_splat(b), wasm_f32x4_splat(c));
#else
  const v128_t r = wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_splat(a), wasm_f32x4_splat(b)), wasm_f32x4_splat(c));
#endif
  wasm_v128_store(out, r);
  return out;
}
`;

function run(bytes: Uint8Array, a: number, b: number, c: number): number[] {
  const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes as BufferSource)).exports as { madd(a: number, b: number, c: number): number; memory: WebAssembly.Memory };
  return Array.from(new Float32Array(exports.memory.buffer, exports.madd(a, b, c), 4));
}

describe('relaxed SIMD opcodes in the wasm build', () => {
  it('renumbers the prototype multiply-add to relaxed_madd computing a * b + c', () => {
    const relaxed = buildWasm([{ path: 'madd.c', contents: SOURCE }], ['madd'], { relaxed: true });
    // Renumbering twice finds nothing left to do: buildWasm already did it.
    expect(renumberRelaxedOpcodes(relaxed.slice())).to.equal(0);
    expect(WebAssembly.validate(relaxed as BufferSource), 'Node 20 without the flag rejects relaxed SIMD').to.equal(false);
    v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
    try {
      expect(WebAssembly.validate(relaxed as BufferSource)).to.equal(true);
      expect(run(relaxed, 2, 3, 5)).to.deep.equal([11, 11, 11, 11]);
    } finally {
      v8.setFlagsFromString('--no-experimental-wasm-relaxed-simd');
    }
  });

  it('leaves a baseline module unchanged', () => {
    const baseline = buildWasm([{ path: 'madd.c', contents: SOURCE }], ['madd']);
    const copy = baseline.slice();
    expect(renumberRelaxedOpcodes(copy)).to.equal(0);
    expect(copy).to.deep.equal(baseline);
    expect(run(baseline, 2, 3, 5)).to.deep.equal([11, 11, 11, 11]);
  });
});
