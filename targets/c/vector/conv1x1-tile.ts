// Vector versions of one 1×1-convolution tile for x86 (AVX-512F, or AVX2 with FMA), chosen by the compiler's
// own macros. Why explicit intrinsics: built as ISO C (-std=c99) gcc contracts no a*b+c into an FMA and keeps
// the portable tile's accumulator arrays in memory (a load and a store per multiply-add); clang does better but
// not on every shape. Each chunk of the tile keeps rows × vectors accumulators in named variables: AVX-512 8 rows
// × 2 zmm (16 of 32 registers); AVX2 8 rows × 1 ymm (8 of 16, room for the broadcast weights). Pixels left after
// the vector chunks go through the portable scalar tile. The ISA table keeps the chunk generator ISA-neutral.
// (A wasm SIMD128 version with 4-row groups, multiply then add, measured no faster than clang's own
// vectorisation of the portable tile in Node 20 on x1.0, so wasm keeps the portable tile.)

import { channelLoops, portableTile, type TileSpec } from '../kernels/conv1x1-tile.ts';

interface VectorIsa {
  readonly lanes: number;
  readonly type: string;
  readonly load: (p: string) => string;
  readonly store: (p: string, v: string) => string;
  readonly splat: (f: string) => string;
  /** acc + x * w */
  readonly fma: (acc: string, x: string, w: string) => string;
  readonly relu: (v: string) => string;
  /** Rows per chunk (the rest of the tile's rows run as further chunks over the same pixels). */
  readonly rowGroup: number;
}

const x86 = (bits: 256 | 512, lanes: number): VectorIsa => {
  const fn = `_mm${bits}`;
  return {
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
const AVX512 = x86(512, 16);
const AVX2 = x86(256, 8);
function chunk(t: TileSpec, isa: VectorIsa, vectors: number, start: string, firstRow: number, rowCount: number): string {
  const rows = [...Array(rowCount).keys()].map((i) => firstRow + i);
  const vecs = [...Array(vectors).keys()];
  const acc = (i: number, v: number) => `c${i}_${v}`;
  return [
    `{`,
    `  ${isa.type} ${rows.flatMap((i) => vecs.map((v) => `${acc(i, v)} = ${isa.splat(`bias[m + ${i}]`)}`)).join(', ')};`,
    ...channelLoops(t, start, [
      `const float *wk = wb + k * ${t.rows};`,
      `${vecs.map((v) => `const ${isa.type} x${v} = ${isa.load(`xk + ${v * isa.lanes}`)};`).join(' ')}`,
      ...rows.map((i) => `{ const ${isa.type} wi = ${isa.splat(`wk[${i}]`)}; ${vecs.map((v) => `${acc(i, v)} = ${isa.fma(acc(i, v), `x${v}`, 'wi')};`).join(' ')} }`),
    ]).map((l) => '  ' + l),
    ...rows.map((i) => {
      const value = (v: number) => (t.relu ? isa.relu(acc(i, v)) : acc(i, v));
      return `  { float *yo = yn + ${t.output.at(`m + ${i}`)} + ${start}; ${vecs.map((v) => isa.store(`yo + ${v * isa.lanes}`, value(v))).join(' ')} }`;
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
      const start = done ? `p + ${done}` : 'p';
      for (let r = 0; r < t.rows; r += isa.rowGroup) parts.push(chunk(t, isa, vectors, start, r, Math.min(isa.rowGroup, t.rows - r)));
      done += step;
    }
  }
  if (t.pixels > done) parts.push(`{\n${portableTile({ ...t, pixels: t.pixels - done }, `p + ${done}`)}\n}`);
  else parts.push('(void)j;');
  return parts.join('\n');
}

/** `#if` chain: AVX-512F, then AVX2+FMA, else `portable`. */
export function vectorConv1x1Tile(t: TileSpec, portable: string): string {
  const branches: string[] = [];
  if (t.pixels >= AVX2.lanes) {
    branches.push(`#if defined(__AVX512F__)`, chunkedTile(t, [[AVX512, 2], [AVX512, 1], [AVX2, 1]]));
    branches.push(`#elif defined(__AVX2__) && defined(__FMA__)`, chunkedTile(t, [[AVX2, 1]]));
  }
  return branches.length ? [...branches, `#else`, portable, `#endif`].join('\n') : portable;
}
