// Max and average pooling over [N,C,H,W] with ONNX semantics. Output sizes (including the ceil-mode rule)
// come from shape inference; here only the window contents and the average's divisor are decided.

import type { OpOf, TensorType } from '../ir/types.ts';
import type { Tensor } from './tensor.ts';
import { allocate, f32Data } from './tensor.ts';

type PoolOp = OpOf<'maxPool'> | OpOf<'avgPool'>;

/**
 * Visits every window: `reduce(inBase, hs, he, ws, we, padded)` gets the window clipped to the input and
 * `padded`, the window's area clipped to the padded input instead (ceil mode can push a window past the end
 * padding; that part never counts, as in PyTorch and onnxruntime).
 */
function pool(op: PoolOp, x: Tensor, outType: TensorType, reduce: (xd: Float32Array, inBase: number, hs: number, he: number, ws: number, we: number, padded: number) => number): Tensor {
  const xd = f32Data(x, op.kind);
  const out = allocate(outType);
  const yd = out.data;
  const [batch, channels, height, width] = x.type.shape;
  const [, , outH, outW] = outType.shape;
  const [kh, kw] = op.kernel;
  const [sh, sw] = op.stride;
  const [padT, padL, padB, padR] = op.pads;
  let o = 0;
  for (let plane = 0; plane < batch * channels; plane++) {
    const inBase = plane * height * width;
    for (let oy = 0; oy < outH; oy++) {
      const hs0 = oy * sh - padT;
      const he0 = Math.min(hs0 + kh, height + padB);
      const hs = Math.max(hs0, 0);
      const he = Math.min(he0, height);
      for (let ox = 0; ox < outW; ox++) {
        const ws0 = ox * sw - padL;
        const we0 = Math.min(ws0 + kw, width + padR);
        const ws = Math.max(ws0, 0);
        const we = Math.min(we0, width);
        yd[o++] = reduce(xd, inBase, hs, he, ws, we, (he0 - hs0) * (we0 - ws0));
      }
    }
  }
  return out;
}

export function maxPool(op: OpOf<'maxPool'>, x: Tensor, outType: TensorType): Tensor {
  const width = x.type.shape[3];
  return pool(op, x, outType, (xd, inBase, hs, he, ws, we) => {
    let m = -Infinity;
    for (let y = hs; y < he; y++) for (let i = inBase + y * width + ws, end = i + we - ws; i < end; i++) if (xd[i] > m || Number.isNaN(xd[i])) m = xd[i];
    return m;
  });
}

export function avgPool(op: OpOf<'avgPool'>, x: Tensor, outType: TensorType): Tensor {
  const width = x.type.shape[3];
  return pool(op, x, outType, (xd, inBase, hs, he, ws, we, padded) => {
    let sum = 0;
    for (let y = hs; y < he; y++) for (let i = inBase + y * width + ws, end = i + we - ws; i < end; i++) sum += xd[i];
    // ONNX AveragePool's default (count_include_pad = 0) divides by the window's overlap with the real input.
    return sum / (op.countIncludePad ? padded : (he - hs) * (we - ws));
  });
}
