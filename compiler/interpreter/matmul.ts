// Matrix products: ONNX Gemm (alpha, beta, transposes, broadcast C), numpy-style MatMul (batched, rank 1 allowed)
// and the canonical dense layer the compiler turns both into.
// Dot products are summed in float64 and rounded to f32 once.

import { broadcastShapes } from '../ir/shape-inference.ts';
import type { OpOf, TensorType } from '../ir/types.ts';
import type { Tensor } from './tensor.ts';
import { allocate, f32Data, product, stridesOf } from './tensor.ts';

export function gemm(op: OpOf<'gemm'>, a: Tensor, b: Tensor, c: Tensor | undefined, outType: TensorType): Tensor {
  const ad = f32Data(a, 'gemm A');
  const bd = f32Data(b, 'gemm B');
  const cd = c ? f32Data(c, 'gemm C') : undefined;
  const [rows, cols] = outType.shape;
  const inner = op.transA ? a.type.shape[0] : a.type.shape[1];
  // Element strides of op(A)[i,k], op(B)[k,j] and the broadcast C[i,j].
  const [aI, aK] = op.transA ? [1, rows] : [inner, 1];
  const [bK, bJ] = op.transB ? [1, inner] : [cols, 1];
  const cShape = c ? [1, 1, ...c.type.shape].slice(-2) : [1, 1];
  const cI = cShape[0] === 1 ? 0 : cShape[1];
  const cJ = cShape[1] === 1 ? 0 : 1;
  const out = allocate(outType);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      let sum = 0;
      for (let k = 0; k < inner; k++) sum += ad[i * aI + k * aK] * bd[k * bK + j * bJ];
      out.data[i * cols + j] = op.alpha * sum + (cd ? op.beta * cd[i * cI + j * cJ] : 0);
    }
  }
  return out;
}

/** The canonical fully connected layer: y[n,m] = sum_k a[n,k] * w[m,k] + b[m]. */
export function dense(a: Tensor, w: Tensor, bias: Tensor | undefined, outType: TensorType): Tensor {
  const ad = f32Data(a, 'dense input');
  const wd = f32Data(w, 'dense weight');
  const bd = bias ? f32Data(bias, 'dense bias') : undefined;
  const [rows, cols] = outType.shape;
  const inner = a.type.shape[1];
  const out = allocate(outType);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      let sum = bd ? bd[j] : 0;
      for (let k = 0; k < inner; k++) sum += ad[i * inner + k] * wd[j * inner + k];
      out.data[i * cols + j] = sum;
    }
  }
  return out;
}

/** Offset of each broadcast batch's matrix inside an operand whose batch dims are `own` (right-aligned to `batch`). */
function batchOffsets(batch: readonly number[], own: readonly number[], matrixSize: number): number[] {
  const padded = [...new Array<number>(batch.length - own.length).fill(1), ...own];
  const strides = stridesOf(padded).map((s, i) => (padded[i] === 1 ? 0 : s * matrixSize));
  const offsets: number[] = [];
  const count = product(batch);
  for (let flat = 0; flat < count; flat++) {
    let rest = flat;
    let offset = 0;
    for (let axis = batch.length - 1; axis >= 0; axis--) {
      offset += (rest % batch[axis]) * strides[axis];
      rest = Math.floor(rest / batch[axis]);
    }
    offsets.push(offset);
  }
  return offsets;
}

export function matMul(a: Tensor, b: Tensor, outType: TensorType): Tensor {
  const ad = f32Data(a, 'matMul A');
  const bd = f32Data(b, 'matMul B');
  // numpy: a rank-1 A is a row vector, a rank-1 B a column vector; the added axis is dropped from the result.
  const aShape = a.type.shape.length === 1 ? [1, a.type.shape[0]] : a.type.shape;
  const bShape = b.type.shape.length === 1 ? [b.type.shape[0], 1] : b.type.shape;
  const rows = aShape[aShape.length - 2];
  const inner = aShape[aShape.length - 1];
  const cols = bShape[bShape.length - 1];
  const aBatch = aShape.slice(0, -2);
  const bBatch = bShape.slice(0, -2);
  const batch = broadcastShapes(aBatch, bBatch);
  const aOffsets = batchOffsets(batch, aBatch, rows * inner);
  const bOffsets = batchOffsets(batch, bBatch, inner * cols);
  const out = allocate(outType);
  let o = 0;
  for (let t = 0; t < aOffsets.length; t++) {
    for (let i = 0; i < rows; i++) {
      const aRow = aOffsets[t] + i * inner;
      for (let j = 0; j < cols; j++) {
        let sum = 0;
        for (let k = 0; k < inner; k++) sum += ad[aRow + k] * bd[bOffsets[t] + k * cols + j];
        out.data[o++] = sum;
      }
    }
  }
  return out;
}
