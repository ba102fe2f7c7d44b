// Direct 2-D convolution (ONNX Conv semantics: groups, dilations, pads [top,left,bottom,right], strides)
// with the fused epilogue: activation, then an optional residual add.
//
// Loop order is "weight-stationary": for each output plane, each input channel and each kernel tap, one weight
// is multiplied into a whole run of output pixels. The valid output range of every tap is precomputed, so the
// inner loop has no bounds checks and padding costs nothing. Sums are kept in a float64 plane and rounded to
// f32 once, which makes this oracle slightly more accurate than any f32 kernel it is compared with.

import type { OpOf, TensorType } from '../ir/types.ts';
import { activationScalar } from './activation.ts';
import type { Tensor } from './tensor.ts';
import { allocate, f32Data } from './tensor.ts';

/** For each kernel tap k, the output positions [lo[k], hi[k]) whose input index o*stride - pad + k*dilation is inside [0, size). */
function tapRanges(outSize: number, size: number, kernel: number, stride: number, padBegin: number, dilation: number): { lo: Int32Array; hi: Int32Array } {
  const lo = new Int32Array(kernel);
  const hi = new Int32Array(kernel);
  for (let k = 0; k < kernel; k++) {
    const shift = padBegin - k * dilation; // input index = o*stride - shift
    lo[k] = Math.max(0, Math.ceil(shift / stride));
    hi[k] = Math.max(lo[k], Math.min(outSize, Math.floor((size - 1 + shift) / stride) + 1));
  }
  return { lo, hi };
}

export function conv2d(op: OpOf<'conv2d'>, x: Tensor, w: Tensor, bias: Tensor | undefined, residual: Tensor | undefined, outType: TensorType): Tensor {
  const xd = f32Data(x, 'conv2d input');
  const wd = f32Data(w, 'conv2d weight');
  const bd = bias ? f32Data(bias, 'conv2d bias') : undefined;
  const out = allocate(outType);
  const yd = out.data;
  const [batch, channels, height, width] = x.type.shape;
  const [outChannels, groupChannels, kh, kw] = w.type.shape;
  const [, , outH, outW] = outType.shape;
  const [strideH, strideW] = op.stride;
  const [dilH, dilW] = op.dilations;
  const [padT, padL] = op.pads;
  const outPerGroup = outChannels / op.groups;
  const inPlane = height * width;
  const outPlane = outH * outW;
  const activation = activationScalar(op.activation);
  const rd = op.residual && residual ? f32Data(residual, 'conv2d residual') : undefined;
  // A 1x1 conv with unit stride and no padding is a GEMM over the pixel axis: no index arithmetic at all.
  const pointwise = kh === 1 && kw === 1 && strideH === 1 && strideW === 1 && op.pads.every((p) => p === 0);
  const rows = tapRanges(outH, height, kh, strideH, padT, dilH);
  const cols = tapRanges(outW, width, kw, strideW, padL, dilW);
  const acc = new Float64Array(outPlane);

  for (let n = 0; n < batch; n++) {
    for (let m = 0; m < outChannels; m++) {
      const firstInChannel = Math.floor(m / outPerGroup) * groupChannels;
      acc.fill(bd ? bd[m] : 0);
      for (let ci = 0; ci < groupChannels; ci++) {
        const inBase = (n * channels + firstInChannel + ci) * inPlane;
        const wBase = (m * groupChannels + ci) * kh * kw;
        if (pointwise) {
          const wv = wd[wBase];
          for (let p = 0; p < outPlane; p++) acc[p] += wv * xd[inBase + p];
          continue;
        }
        for (let ky = 0; ky < kh; ky++) {
          const rowShift = padT - ky * dilH;
          for (let kx = 0; kx < kw; kx++) {
            const wv = wd[wBase + ky * kw + kx];
            const colShift = padL - kx * dilW;
            const oxLo = cols.lo[kx];
            const oxHi = cols.hi[kx];
            for (let oy = rows.lo[ky]; oy < rows.hi[ky]; oy++) {
              const inRow = inBase + (oy * strideH - rowShift) * width - colShift;
              const outRow = oy * outW;
              for (let ox = oxLo; ox < oxHi; ox++) acc[outRow + ox] += wv * xd[inRow + ox * strideW];
            }
          }
        }
      }
      const outBase = (n * outChannels + m) * outPlane;
      // Each stage rounds to f32 like the unfused ops would (conv result, activation result, then the add).
      for (let p = 0; p < outPlane; p++) {
        let v = Math.fround(acc[p]);
        if (activation) v = Math.fround(activation(v));
        yd[outBase + p] = rd ? v + rd[outBase + p] : v;
      }
    }
  }
  return out;
}
