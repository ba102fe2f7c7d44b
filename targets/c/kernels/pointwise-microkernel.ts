// The shared microkernel of every matrix-shaped layer (1×1 convolutions, and the stem's gathered tap rows): one
// `static` function per (rows × pixels tile, epilogue), emitted once and called by every layer with that tile,
// each layer passing its own operands. Inside, an `#if` chain picks the vocabulary the compiler targets
// (vector/isa.ts: AVX-512F, AVX2+FMA, NEON) or the portable tile. Layers differ only in their arguments:
//   x        input at pixel 0; input row k is x + run[2] + k * run[3] for k in [run[0], run[1]) of each of
//            the `nin` rows of `in` (the affine stretches of a channel-routed input; K = the last run's end),
//   w, bias  packed weights (block of `rows` channels from m: w + m * K, [k][row]) and biases,
//   y, out   output buffer and the affine runs {from, to, base, step} of its planes over the channel index,
//   [m0, m1) the output channels (whole tiles of `rows`), [p0, p1) the pixels (whole tiles of `pixels`),
//   acc      rows × pixels floats of arena scratch for the portable tile's accumulators (tileAccumulatorFloats).
// Channel blocks run outside pixel tiles; a layer that wants pixel tiles outside calls once per pixel tile.
// y[m + i][p + j] = epilogue(bias[m + i] + sum_k w[m * K + k * rows + i] * x_k[p + j]). The pixel and row counts
// are the function's own constants; the channel count and routing are the layer's (run-time bounds).

import { reluExpr } from './context.ts';
import type { KernelContext } from './context.ts';
import { isaChain, type VectorIsa } from '../vector/isa.ts';

export interface TileShape {
  readonly rows: number;
  readonly pixels: number;
  readonly relu: boolean;
}

/** The loop over input channels k, defining `xk` (input row k at pixel `start`) and `wk` for `body`. */
function channelLoop(rows: number, start: number | string, body: readonly string[]): string[] {
  const at = start === 0 ? '' : ` + ${start}`;
  return [
    `for (int r = 0; r < nin; r++) {`,
    `  const int32_t *run = in[r];`,
    `  for (int k = run[0]; k < run[1]; k++) {`,
    `    const float *xk = xp + run[2] + k * run[3]${at};`,
    `    const float *wk = wm + k * ${rows};`,
    ...body.map((l) => '    ' + l),
    `  }`,
    `}`,
  ];
}

/**
 * Portable tile: rows × `pixels` accumulators from pixel `start`, in loops the compiler vectorises. Compilers keep
 * such accumulators in memory whatever we write; as stack arrays they made a 1.4 KB frame for 8 × 32 on aarch64
 * (gcc -O2; 1.55 KB at -O3), so they live in the caller's arena scratch `acc` (rows × pixels floats). Input
 * channels go two at a time (same additions in the same order), so each accumulator is loaded and stored once
 * per pair: gcc -O3 did that itself for the stack arrays (unroll-and-jam) but not for the arena pointer.
 */
function portableTile(rows: number, pixels: number, relu: boolean, start: number): string {
  const all = [...Array(rows).keys()];
  const at = start ? ` + ${start}` : '';
  const weights = (name: string, from: number) => all.map((i) => `const float ${name}${i} = wk[${from + i}];`).join(' ');
  return [
    `{`,
    `  float ${all.map((i) => `*a${i} = acc${i ? ` + ${i * pixels}` : ''}`).join(', ')};`,
    `  for (int j = 0; j < ${pixels}; j++) { ${all.map((i) => `a${i}[j] = bm[${i}];`).join(' ')} }`,
    `  for (int r = 0; r < nin; r++) {`,
    `    const int32_t *run = in[r];`,
    `    int k = run[0];`,
    `    for (; k + 1 < run[1]; k += 2) {`,
    `      const float *xk = xp + run[2] + k * run[3]${at}, *xl = xk + run[3];`,
    `      const float *wk = wm + k * ${rows};`,
    `      ${weights('w', 0)}`,
    `      ${weights('u', rows)}`,
    `      for (int j = 0; j < ${pixels}; j++) { const float v = xk[j], u = xl[j]; ${all.map((i) => `a${i}[j] += w${i} * v; a${i}[j] += u${i} * u;`).join(' ')} }`,
    `    }`,
    `    if (k < run[1]) {`,
    `      const float *xk = xp + run[2] + k * run[3]${at};`,
    `      const float *wk = wm + k * ${rows};`,
    `      ${weights('w', 0)}`,
    `      for (int j = 0; j < ${pixels}; j++) { const float v = xk[j]; ${all.map((i) => `a${i}[j] += w${i} * v;`).join(' ')} }`,
    `    }`,
    `  }`,
    ...all.map((i) => `  for (int j = 0; j < ${pixels}; j++) yr[${i}][p + j${at}] = ${reluExpr(`a${i}[j]`, relu)};`),
    `}`,
  ].join('\n');
}

/** One chunk: rows [first, first + count) × `vectors` vectors of `isa` from pixel `start` (a C expression). */
function chunk(isa: VectorIsa, vectors: number, rows: number, first: number, count: number, relu: boolean, start: string): string {
  const mine = [...Array(count).keys()].map((i) => first + i);
  const vecs = [...Array(vectors).keys()];
  const acc = (i: number, v: number) => `c${i}_${v}`;
  const at = (v: number) => (start === '0' ? (v ? ` + ${v * isa.lanes}` : '') : ` + ${start}${v ? ` + ${v * isa.lanes}` : ''}`);
  const out = (i: number, v: number) => `yr[${i}] + p${at(v)}`;
  const lanes = isa.laneWeights;
  // Rows whose weight comes from a lane of a loaded weight vector (whole groups only), the rest splatted.
  const laneRows = lanes ? Math.floor(count / lanes.count) * lanes.count : 0;
  const update = (i: number): string => {
    const local = i - first;
    if (lanes && local < laneRows) {
      const q = `wq${Math.floor(local / lanes.count)}`;
      return vecs.map((v) => `${acc(i, v)} = ${lanes.fmaLane(acc(i, v), `x${v}`, q, local % lanes.count)};`).join(' ');
    }
    return `{ const ${isa.type} wi = ${isa.splat(`wk[${i}]`)}; ${vecs.map((v) => `${acc(i, v)} = ${isa.fma(acc(i, v), `x${v}`, 'wi')};`).join(' ')} }`;
  };
  const weightLoads = lanes ? [...Array(laneRows / lanes.count).keys()].map((q) => `const ${isa.type} wq${q} = ${isa.load(`wk + ${first + q * lanes.count}`)};`) : [];
  return [
    `{`,
    `  ${isa.type} ${mine.flatMap((i) => vecs.map((v) => `${acc(i, v)} = ${isa.splat(`bm[${i}]`)}`)).join(', ')};`,
    ...channelLoop(rows, start === '0' ? 0 : start, [
      vecs.map((v) => `const ${isa.type} x${v} = ${isa.load(`xk${v ? ` + ${v * isa.lanes}` : ''}`)};`).join(' '),
      ...weightLoads,
      ...mine.map(update),
    ]).map((l) => '  ' + l),
    ...mine.map((i) => `  ${vecs.map((v) => isa.store(out(i, v), relu ? isa.relu(acc(i, v)) : acc(i, v))).join(' ')}`),
    `}`,
  ].join('\n');
}

/** The tile in one vocabulary: widest chunks first (repeated chunks as a loop), the rest portable. */
function vectorTile(isa: VectorIsa, t: TileShape): string {
  const parts: string[] = [];
  let done = 0;
  for (const { isa: c, vectors } of isa.chunks) {
    const step = c.lanes * vectors;
    const count = Math.floor((t.pixels - done) / step);
    if (count === 0) continue;
    const groups = (start: string) => {
      const out: string[] = [];
      for (let r = 0; r < t.rows; r += isa.rowGroup) out.push(chunk(c, vectors, t.rows, r, Math.min(isa.rowGroup, t.rows - r), t.relu, start));
      return out.join('\n');
    };
    if (count === 1) parts.push(groups(String(done)));
    else parts.push([`for (int q = ${done}; q < ${done + count * step}; q += ${step}) {`, indentLines(groups('q')), `}`].join('\n'));
    done += count * step;
  }
  if (t.pixels > done) parts.push(portableTile(t.rows, t.pixels - done, t.relu, done));
  return parts.join('\n');
}

const indentLines = (text: string) =>
  text
    .split('\n')
    .map((l) => (l.length && !l.startsWith('#') ? '  ' + l : l))
    .join('\n');

export function microkernelName(prefix: string, t: TileShape): string {
  return `${prefix}_pw_${t.rows}x${t.pixels}${t.relu ? '_relu' : ''}`;
}

/** The shared microkernel for tile `t`, registered once with the context; returns its name. */
export function pointwiseMicrokernel(ctx: KernelContext, t: TileShape): string {
  const name = microkernelName(ctx.prefix, t);
  ctx.helper(`microkernel:${name}`, () => {
    const chain = isaChain(ctx).filter((isa) => t.pixels >= Math.min(...isa.chunks.map((c) => c.isa.lanes * c.vectors)));
    const branches = chain.flatMap((isa, i) => [`#${i === 0 ? 'if' : 'elif'} ${isa.guard}`, indentLines(vectorTile(isa, t))]);
    const portable = indentLines(portableTile(t.rows, t.pixels, t.relu, 0));
    return [
      `/* ${t.rows} output channels x ${t.pixels} pixels per tile of a matrix-shaped layer${t.relu ? ', relu' : ''} (every such layer calls it) */`,
      `static void ${name}(const float *restrict x, const int32_t (*in)[4], const int nin, const float *restrict w, const float *restrict bias,`,
      `    float *y, const int32_t (*out)[4], const int m0, const int m1, const int p0, const int p1, float *restrict acc) {`,
      ...(branches.length ? [`  (void)acc; /* used by the portable tile only */`] : []),
      `  const int K = in[nin - 1][1];`,
      // Output runs in increasing m: `o` is the run of row m, kept from block to block. A block inside one run (the
      // usual case) has evenly spaced rows; one across runs looks each row up (1.2% of x1.0's instructions when
      // every block did, callgrind).
      `  int o = 0;`,
      `  for (int m = m0; m < m1; m += ${t.rows}) {`,
      `    const float *restrict wm = w + m * K, *restrict bm = bias + m;`,
      `    float *yr[${t.rows}];`,
      `    while (m >= out[o][1]) o++;`,
      `    if (m + ${t.rows} <= out[o][1]) {`,
      `      float *const y0 = y + out[o][2] + m * out[o][3];`,
      `      for (int i = 0; i < ${t.rows}; i++) yr[i] = y0 + i * out[o][3];`,
      `    } else {`,
      `      for (int i = 0, r = o; i < ${t.rows}; i++) {`,
      `        while (m + i >= out[r][1]) r++;`,
      `        yr[i] = y + out[r][2] + (m + i) * out[r][3];`,
      `      }`,
      `    }`,
      `    for (int p = p0; p < p1; p += ${t.pixels}) {`,
      `      const float *restrict xp = x + p;`,
      ...(branches.length ? [...branches, '#else', portable, '#endif'] : [portable]).map((l) => indentLines(indentLines(indentLines(l)))),
      `    }`,
      `  }`,
      `}`,
    ].join('\n');
  });
  return name;
}
