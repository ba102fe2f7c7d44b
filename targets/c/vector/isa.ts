// The SIMD vocabularies the shared microkernels are written in. A microkernel generator (pointwise-microkernel.ts)
// knows the loop structure; an ISA only says how to spell its handful of operations, which chunk shapes it
// keeps in registers, and under which compiler macro it is compiled. Adding an instruction set (e.g. wasm
// SIMD128) means adding one table here and listing it in `isaChain`; no generator changes.
//
// Why explicit intrinsics at all: built as ISO C (-std=c99) gcc contracts no a*b+c into an FMA and keeps the
// portable tile's accumulator arrays in memory (a load and a store per multiply-add); clang does better but not
// on every shape. Each chunk keeps rows × vectors accumulators in named variables, sized to the register file:
// AVX-512 8 rows × 2 zmm (16 of 32 registers); AVX2 8 rows × 1 ymm (8 of 16, room for the broadcast weights);
// NEON 8 rows × 2 q (16 of 32), multiplying by weight lanes (`fmla v.4s, v.s[i]`). wasm SIMD128 4 rows × 2 v128:
// V8 allocates 15 xmm registers to wasm on x64, and without relaxed SIMD every multiply-add needs a temporary;
// 8 accumulators + 2 inputs + a weight + the temporary fit, 6 rows spilled (read from V8's --print-wasm-code).

import { WASM_MADD } from '../wasm/prelude.ts';

export interface VectorIsa {
  /** Short name used in comments. */
  readonly name: string;
  /** Preprocessor condition under which this vocabulary is compiled. */
  readonly guard: string;
  readonly lanes: number;
  readonly type: string;
  load(pointer: string): string;
  /** A statement storing `value` at `pointer`. */
  store(pointer: string, value: string): string;
  splat(scalar: string): string;
  /** `acc + x * w` as an expression (fused where the ISA has it). */
  fma(acc: string, x: string, w: string): string;
  relu(value: string): string;
  /**
   * Optional: multiply by lane `lane` of a vector of 4 consecutive weights (`fmla ... v.s[i]` on NEON), so a chunk
   * loads its weights 4 at a time instead of broadcasting each one from memory. Absent: splat each weight.
   */
  readonly laneWeights?: { readonly count: number; fmaLane(acc: string, x: string, weights: string, lane: number): string };
  /**
   * Chunk shapes, widest first: how many vectors side by side one chunk keeps per row. Pixels of a tile are
   * covered by the widest chunk that fits, then narrower ones; what is left runs through the portable tile.
   */
  readonly chunks: readonly { readonly isa: VectorIsa; readonly vectors: number }[];
  /** Rows per chunk: a tile with more rows runs several chunks over the same pixels. */
  readonly rowGroup: number;
}

type IsaBase = Omit<VectorIsa, 'chunks'>;
const withChunks = (base: IsaBase, chunks: (self: VectorIsa) => VectorIsa['chunks']): VectorIsa => {
  const isa: VectorIsa = { ...base, chunks: [] };
  return Object.assign(isa, { chunks: chunks(isa) });
};

const x86 = (bits: 256 | 512, lanes: number, guard: string): IsaBase => {
  const fn = `_mm${bits}`;
  return {
    name: bits === 512 ? 'AVX-512F' : 'AVX2+FMA',
    guard,
    lanes,
    type: `__m${bits}`,
    load: (p) => `${fn}_loadu_ps(${p})`,
    store: (p, v) => `${fn}_storeu_ps(${p}, ${v});`,
    splat: (f) => `${fn}_set1_ps(${f})`,
    fma: (acc, x, w) => `${fn}_fmadd_ps(${x}, ${w}, ${acc})`,
    relu: (v) => `${fn}_max_ps(${v}, ${fn}_setzero_ps())`,
    rowGroup: 8,
  };
};

export const AVX2 = withChunks(x86(256, 8, 'defined(__AVX2__) && defined(__FMA__)'), (self) => [{ isa: self, vectors: 1 }]);
/** AVX-512 machines also take an 8-wide AVX2 chunk for tails between 8 and 15 pixels. */
export const AVX512 = withChunks(x86(512, 16, 'defined(__AVX512F__)'), (self) => [{ isa: self, vectors: 2 }, { isa: self, vectors: 1 }, { isa: AVX2, vectors: 1 }]);

export const NEON = withChunks(
  {
    name: 'NEON',
    guard: 'defined(__ARM_NEON)',
    lanes: 4,
    type: 'float32x4_t',
    load: (p) => `vld1q_f32(${p})`,
    store: (p, v) => `vst1q_f32(${p}, ${v});`,
    splat: (f) => `vdupq_n_f32(${f})`,
    fma: (acc, x, w) => `vfmaq_f32(${acc}, ${x}, ${w})`,
    relu: (v) => `vmaxq_f32(${v}, vdupq_n_f32(0.0f))`,
    // vfmaq_f32 with vdupq_laneq_f32 rather than vfmaq_laneq_f32: the same `fmla v.s[i]` on aarch64, and SIMDe's
    // scalar fallback of the latter is ~100x slow on wasm.
    laneWeights: { count: 4, fmaLane: (acc, x, w, lane) => `vfmaq_f32(${acc}, ${x}, vdupq_laneq_f32(${w}, ${lane}))` },
    rowGroup: 8,
  },
  (self) => [{ isa: self, vectors: 2 }, { isa: self, vectors: 1 }],
);

/** wasm SIMD128; the multiply-add is fused in the relaxed-SIMD build (wasm/prelude.ts defines it). */
export const WASM_SIMD128 = withChunks(
  {
    name: 'wasm SIMD128',
    guard: 'defined(__wasm_simd128__)',
    lanes: 4,
    type: 'v128_t',
    load: (p) => `wasm_v128_load(${p})`,
    store: (p, v) => `wasm_v128_store(${p}, ${v});`,
    splat: (f) => `wasm_f32x4_splat(${f})`,
    fma: (acc, x, w) => `${WASM_MADD}(${x}, ${w}, ${acc})`,
    // pmax(v, 0) = v < 0 ? 0 : v is one maxps in V8; f32x4.max's NaN and signed-zero rules cost it eight instructions.
    relu: (v) => `wasm_f32x4_pmax(${v}, wasm_f32x4_splat(0.0f))`,
    rowGroup: 4,
  },
  (self) => [{ isa: self, vectors: 2 }, { isa: self, vectors: 1 }],
);

/**
 * The vocabularies a build may use, in the order of the `#if` chain: the first whose guard holds is compiled,
 * the portable tile otherwise. NEON comes first and only when the target asked for it; a wasm build has only its own.
 */
export function isaChain(options: { readonly neon: boolean; readonly wasm?: boolean }): readonly VectorIsa[] {
  if (options.wasm) return [WASM_SIMD128];
  return [...(options.neon ? [NEON] : []), AVX512, AVX2];
}
