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

/**
 * The window walk for 4 consecutive output pixels at once (`first` .. `first` + 3 of the flattened plane; they
 * may span rows), so that each tap's weights are loaded once for 4 outputs. Inside `body`: `t` is the tap
 * index, and `quadTap(src)` is the vec4 of the 4 pixels' input values at that tap (0 for padding) in the
 * plane starting at `src`. Coordinates are computed as vec4s; pixels past the plane end read in-bounds
 * addresses and are for the caller not to store.
 */
export function quadWindowLoop(g: WindowGeometry, first: string, body: string): string {
  const [kh, kw] = g.kernel;
  return `  let pix = vec4<u32>(${first}) + vec4<u32>(0u, 1u, 2u, 3u);
  let oy = vec4<i32>(pix / ${u32(g.outW)});
  let ox = vec4<i32>(pix % ${u32(g.outW)});
  for (var ky = 0i; ky < ${i32(kh)}; ky++) {
    let iy = oy * ${i32(g.stride[0])} + vec4<i32>(ky * ${i32(g.dilations[0])} - ${i32(g.pads[0])});
    let rowOk = (iy >= vec4<i32>(0i)) & (iy < vec4<i32>(${i32(g.inH)}));
    for (var kx = 0i; kx < ${i32(kw)}; kx++) {
      let ix = ox * ${i32(g.stride[1])} + vec4<i32>(kx * ${i32(g.dilations[1])} - ${i32(g.pads[1])});
      let ok = rowOk & (ix >= vec4<i32>(0i)) & (ix < vec4<i32>(${i32(g.inW)}));
      let q = vec4<u32>(select(vec4<i32>(0i), iy * ${i32(g.inW)} + ix, ok));
      let t = u32(ky * ${i32(kw)} + kx);
${body}
    }
  }
`;
}

/** Inside quadWindowLoop's body: the 4 pixels' masked input values at the current tap, from plane `src`. */
export function quadTap(src: string): string {
  return `vec4<f32>(${['x', 'y', 'z', 'w'].map((l) => `select(0.0, act[${src} + q.${l}], ok.${l})`).join(', ')})`;
}
