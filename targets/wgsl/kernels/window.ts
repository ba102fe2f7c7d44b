// The sliding-window walk shared by spatial convolutions and pooling: output pixel -> clipped input taps.

import type { Pads4, Pair } from '../../../compiler/ir/types.ts';
import { u32 } from '../wgsl-text.ts';

export interface WindowGeometry {
  readonly inH: number;
  readonly inW: number;
  readonly outW: number;
  readonly kernel: Pair;
  readonly stride: Pair;
  readonly pads: Pads4;
  readonly dilations: Pair;
}

const i32 = (n: number): string => `${n}i`;

/**
 * WGSL statements visiting every tap of output pixel `p`. Inside `body`: `q` is the input's in-plane index,
 * `t` the tap index (ky * kw + kx), `ok` whether the tap lies inside the input and `inside` the same as 0.0/1.0.
 * Padding taps get q = 0 (a valid address) and are masked with select() instead of skipped by a branch:
 * software adapters (llvmpipe, SwiftShader) run invocations in SIMD lanes, where a per-tap branch costs more.
 */
export function windowLoop(g: WindowGeometry, body: string): string {
  const [kh, kw] = g.kernel;
  return `  let oy = i32(p / ${u32(g.outW)});
  let ox = i32(p % ${u32(g.outW)});
  for (var ky = 0i; ky < ${i32(kh)}; ky++) {
    let iy = oy * ${i32(g.stride[0])} + ky * ${i32(g.dilations[0])} - ${i32(g.pads[0])};
    let rowOk = iy >= 0i && iy < ${i32(g.inH)};
    for (var kx = 0i; kx < ${i32(kw)}; kx++) {
      let ix = ox * ${i32(g.stride[1])} + kx * ${i32(g.dilations[1])} - ${i32(g.pads[1])};
      let ok = rowOk && ix >= 0i && ix < ${i32(g.inW)};
      let inside = select(0.0, 1.0, ok);
      let q = u32(select(0i, iy * ${i32(g.inW)} + ix, ok));
      let t = u32(ky * ${i32(kw)} + kx);
${body}
    }
  }
`;
}
