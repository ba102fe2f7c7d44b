// The graph IR every frontend produces, every pass transforms and every target consumes.
// Graphs are immutable values: passes build new graphs instead of mutating (see compiler/ir/graph-builder.ts).

/** Element types. i64 tensors only carry shape arithmetic and indices; they are held as doubles (exact to 2^53). */
export type DType = 'f32' | 'i64';

export interface TensorType {
  readonly dtype: DType;
  /** Fully static shape: the batch is fixed at compile time. */
  readonly shape: readonly number[];
}

/** Constant payload: Float32Array for f32, Float64Array for i64 (INT64 extremes saturate to ±2^53). */
export type ConstData = Float32Array | Float64Array;

export interface Value {
  readonly id: number;
  /** Name from the source model (or synthesised); for diagnostics and dumps only, never trusted in generated code. */
  readonly name: string;
  readonly type: TensorType;
  /** Present for constants (weights, initializers, folded results). */
  readonly data?: ConstData;
}

export type Pair = readonly [number, number];
/** Pads as [top, left, bottom, right] (ONNX order for 2-D: begin_h, begin_w, end_h, end_w). */
export type Pads4 = readonly [number, number, number, number];

/**
 * What a conv applies to each result in its epilogue (after the bias, before a fused residual add). Each is the
 * fused form of a standalone unary op with fixed constants, so a kernel needs no parameters:
 *   relu x < 0 ? 0 : x            relu6 min(max(x, 0), 6)  (clip 0..6)      sigmoid 1 / (1 + exp(-x))
 *   hardSigmoid min(max(x / 6 + 1/2, 0), 1)  (PyTorch's; ONNX HardSigmoid alpha 1/6, beta 1/2)
 *   hardSwish x * hardSigmoid(x)  (ONNX HardSwish)
 */
export type Activation = 'none' | 'relu' | 'relu6' | 'sigmoid' | 'hardSigmoid' | 'hardSwish';

/**
 * How a conv reads its input, decided once from its attributes and shapes (compiler/ir/conv-class.ts):
 *   pointwise: 1x1, stride 1, no padding, groups 1 (a GEMM over pixels)
 *   depthwise: groups == input channels == output channels
 *   grouped:   any other groups > 1
 *   general:   everything else with groups 1 (stem 3x3, strided or padded 1x1, ...)
 */
export type ConvClass = 'pointwise' | 'depthwise' | 'grouped' | 'general';

export type BinaryFn = 'add' | 'sub' | 'mul' | 'div';

/** One operation. Attributes are fully resolved at import time (no dynamic shapes reach the IR). */
export type Op =
  // inputs: x [N,C,H,W], w [M, C/groups, kh, kw], b? [M]; with `residual` also r [N,M,OH,OW] and b is required.
  // y = activation(conv(x, w) + b) (+ r when residual): the residual is added after the activation.
  // `convClass` is set by the classify-convs pass (see compiler/ir/conv-class.ts) and checked by the verifier.
  | {
      readonly kind: 'conv2d'; readonly kernel: Pair; readonly stride: Pair; readonly pads: Pads4; readonly dilations: Pair; readonly groups: number;
      readonly activation: Activation; readonly residual?: true; readonly convClass?: ConvClass;
    }
  // inputs: x, scale, bias, mean, var (all per channel, axis 1)
  | { readonly kind: 'batchNorm'; readonly epsilon: number }
  // Unary activations (UNARY_OPS), same type in and out. hardSigmoid: min(max(alpha * x + beta, 0), 1);
  // hardSwish: x * min(max(x / 6 + 1/2, 0), 1); clip: min(max(x, min), max) with +-Infinity for an open side
  // (min > max gives max everywhere, as ONNX says; clip also runs on i64). A NaN stays NaN in all of them.
  | { readonly kind: 'relu' }
  | { readonly kind: 'sigmoid' }
  | { readonly kind: 'hardSigmoid'; readonly alpha: number; readonly beta: number }
  | { readonly kind: 'hardSwish' }
  | { readonly kind: 'clip'; readonly min: number; readonly max: number }
  | { readonly kind: 'maxPool'; readonly kernel: Pair; readonly stride: Pair; readonly pads: Pads4; readonly ceilMode: boolean }
  | { readonly kind: 'avgPool'; readonly kernel: Pair; readonly stride: Pair; readonly pads: Pads4; readonly ceilMode: boolean; readonly countIncludePad: boolean }
  // [N,C,H,W] -> [N,C,1,1]
  | { readonly kind: 'globalAvgPool' }
  | { readonly kind: 'reduceMean'; readonly axes: readonly number[]; readonly keepDims: boolean }
  // Y = alpha * op(A) * op(B) + beta * C; inputs: a, b, c?
  | { readonly kind: 'gemm'; readonly transA: boolean; readonly transB: boolean; readonly alpha: number; readonly beta: number }
  // numpy matmul semantics (2-D and batched); inputs: a, b
  | { readonly kind: 'matMul' }
  // The canonical fully connected layer every target implements (canonicalise-dense makes it from gemm/matMul):
  // inputs a [N,K], w [M,K] constant (PyTorch Linear layout, gemm's alpha folded in), b? [M] constant (beta
  // folded in); y[n,m] = sum_k a[n,k] * w[m,k] + b[m]. See compiler/ir/dense-form.ts.
  | { readonly kind: 'dense' }
  // numpy broadcasting; works on f32 and i64. With `residual` (f32, made by fuse-scale-add from an SE block's
  // x * gate followed by a residual add): inputs a, b, r with r of the output's shape, y = fn(a, b) + r.
  | { readonly kind: 'binary'; readonly fn: BinaryFn; readonly residual?: true }
  // target shape fully resolved (no 0 / -1 left); Flatten, Squeeze and Unsqueeze import as reshape too
  | { readonly kind: 'reshape'; readonly shape: readonly number[] }
  | { readonly kind: 'transpose'; readonly perm: readonly number[] }
  // one output per entry of sizes
  | { readonly kind: 'split'; readonly axis: number; readonly sizes: readonly number[] }
  // normalised: one entry per axis listed, steps nonzero; starts/ends follow ONNX clamping (for a negative
  // step start <= dim-1 and end may be -1), so the element count is ceil((end - start) / step)
  | { readonly kind: 'slice'; readonly axes: readonly number[]; readonly starts: readonly number[]; readonly ends: readonly number[]; readonly steps: readonly number[] }
  | { readonly kind: 'concat'; readonly axis: number }
  // inputs: data, indices (i64, usually constant)
  | { readonly kind: 'gather'; readonly axis: number }
  // ONNX Pad in constant mode: pads = [begin_0 .. begin_{r-1}, end_0 .. end_{r-1}] per axis (negative crops),
  // new elements take `value`
  | { readonly kind: 'pad'; readonly pads: readonly number[]; readonly value: number }
  // Identity, Dropout (inference) and similar; removed by the simplification passes
  | { readonly kind: 'identity' }
  // produced by passes: out[:, g' * (C/groups) ... ] i.e. reshape [N,groups,C/groups,H,W] -> transpose(0,2,1,3,4) -> reshape
  | { readonly kind: 'channelShuffle'; readonly groups: number };

export type OpKind = Op['kind'];
export type OpOf<K extends OpKind> = Extract<Op, { kind: K }>;

export interface Node {
  readonly id: number;
  readonly op: Op;
  /** Value ids. Optional operands (conv bias, gemm C) are simply absent. */
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  /** Where the node came from ("Conv 'stage2.0.branch1.0'"): diagnostics and comments in generated code (escaped). */
  readonly origin: string;
}

export interface Graph {
  readonly values: ReadonlyMap<number, Value>;
  /** Topologically ordered. */
  readonly nodes: readonly Node[];
  /** Runtime inputs (never constants). */
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
}

/** Ops that only move or relabel data; the channel-routing pass turns the channel ones into bookkeeping. */
export const MOVEMENT_OPS: ReadonlySet<OpKind> = new Set<OpKind>(['reshape', 'transpose', 'split', 'slice', 'concat', 'gather', 'pad', 'identity', 'channelShuffle']);
/** Per-element activations with one input and one output of the same type. */
export const UNARY_OPS: ReadonlySet<OpKind> = new Set<OpKind>(['relu', 'sigmoid', 'hardSigmoid', 'hardSwish', 'clip']);
export type UnaryOp = OpOf<'relu' | 'sigmoid' | 'hardSigmoid' | 'hardSwish' | 'clip'>;
/** Cheap per-element ops (guideline G4). */
export const ELEMENTWISE_OPS: ReadonlySet<OpKind> = new Set<OpKind>([...UNARY_OPS, 'binary', 'batchNorm']);

export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function bytesOf(type: TensorType): number {
  return numel(type.shape) * (type.dtype === 'f32' ? 4 : 8);
}
