// x86 version of one 1×1-convolution tile (AVX-512F, or AVX2 with FMA), chosen by the compiler's own macros.
// Why explicit intrinsics: built as ISO C (-std=c99) gcc contracts no a*b+c into an FMA, and it keeps the
// portable tile's accumulator arrays in memory (a load and a store per multiply-add); clang is better but not
// on every shape. Here each chunk of the tile holds rows × vectors accumulators in named registers: with
// AVX-512, 8 rows × 2 zmm (16 of 32 registers); with AVX2, 8 rows × 1 ymm (8 of 16, leaving room for the
// broadcast weights). Pixels left after the vector chunks go through the portable scalar tile.

import { channelLoops, portableTile, type TileSpec } from '../kernels/conv1x1-tile.ts';

interface VectorIsa {
  readonly lanes: number;
  readonly type: string;
  readonly fn: string;
}

const AVX512: VectorIsa = { lanes: 16, type: '__m512', fn: '_mm512' };
const AVX2: VectorIsa = { lanes: 8, type: '__m256', fn: '_mm256' };

function chunk(t: TileSpec, isa: VectorIsa, vectors: number, start: string): string {
  const rows = [...Array(t.rows).keys()];
  const vecs = [...Array(vectors).keys()];
  const acc = (i: number, v: number) => `c${i}_${v}`;
  const { type, fn, lanes } = isa;
  return [
    `{`,
    `  ${type} ${rows.flatMap((i) => vecs.map((v) => `${acc(i, v)} = ${fn}_set1_ps(bias[m + ${i}])`)).join(', ')};`,
    ...channelLoops(t, start, [
      `const float *wk = wb + k * ${t.rows};`,
      `${vecs.map((v) => `const ${type} x${v} = ${fn}_loadu_ps(xk + ${v * lanes});`).join(' ')}`,
      ...rows.map((i) => `{ const ${type} wi = ${fn}_set1_ps(wk[${i}]); ${vecs.map((v) => `${acc(i, v)} = ${fn}_fmadd_ps(x${v}, wi, ${acc(i, v)});`).join(' ')} }`),
    ]).map((l) => '  ' + l),
    ...rows.map((i) => {
      const value = (v: number) => (t.relu ? `${fn}_max_ps(${acc(i, v)}, ${fn}_setzero_ps())` : acc(i, v));
      return `  { float *yo = yn + ${t.output.at(`m + ${i}`)} + ${start}; ${vecs.map((v) => `${fn}_storeu_ps(yo + ${v * lanes}, ${value(v)});`).join(' ')} }`;
    }),
    `}`,
  ].join('\n');
}

/** The tile as vector chunks: `widths` lists the chunk shapes [isa, vectors] from widest to narrowest. */
function chunkedTile(t: TileSpec, widths: readonly [VectorIsa, number][]): string {
  const parts: string[] = [];
  let done = 0;
  for (const [isa, vectors] of widths) {
    const step = isa.lanes * vectors;
    while (t.pixels - done >= step) {
      parts.push(chunk(t, isa, vectors, done ? `p + ${done}` : 'p'));
      done += step;
    }
  }
  if (t.pixels > done) parts.push(`{\n${portableTile({ ...t, pixels: t.pixels - done }, `p + ${done}`)}\n}`);
  else parts.push('(void)j;');
  return parts.join('\n');
}

/** Whether a tile this wide has any vector chunk (otherwise the x86 paths would only repeat the portable one). */
export function x86TileApplies(t: TileSpec): boolean {
  return t.pixels >= AVX2.lanes;
}

/** `#if` chain: AVX-512F, then AVX2+FMA, else `portable`. */
export function x86Conv1x1Tile(t: TileSpec, portable: string): string {
  if (!x86TileApplies(t)) return portable;
  return [
    `#if defined(__AVX512F__)`,
    chunkedTile(t, [[AVX512, 2], [AVX512, 1], [AVX2, 1]]),
    `#elif defined(__AVX2__) && defined(__FMA__)`,
    chunkedTile(t, [[AVX2, 1]]),
    `#else`,
    portable,
    `#endif`,
  ].join('\n');
}
