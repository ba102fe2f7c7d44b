// Output types of every op from its input types (and, for gather, the constant indices).
// Used by GraphBuilder on every node it adds and by the verifier to re-check a graph after each pass.

import { CompileError } from './errors.ts';
import { classifyConv } from './conv-class.ts';
import type { Op, TensorType, Value } from './types.ts';
import { numel } from './types.ts';

const f32 = (shape: readonly number[]): TensorType => ({ dtype: 'f32', shape });

function fail(reason: string): never {
  throw new CompileError(reason);
}

function expectRank(t: TensorType, rank: number, what: string): void {
  if (t.shape.length !== rank) fail(`${what} must have rank ${rank}, got shape [${t.shape.join(',')}]`);
}

/** Spatial output size of a sliding window (conv, pooling), ONNX semantics. */
export function windowOutput(size: number, kernel: number, stride: number, padBegin: number, padEnd: number, dilation = 1, ceil = false): number {
  const span = dilation * (kernel - 1) + 1;
  const raw = (size + padBegin + padEnd - span) / stride;
  let out = (ceil ? Math.ceil(raw) : Math.floor(raw)) + 1;
  // With ceil mode the last window must start inside the input or the left padding (PyTorch/ONNX rule).
  if (ceil && (out - 1) * stride >= size + padBegin) out -= 1;
  if (out < 1) fail(`window of ${kernel} (stride ${stride}) does not fit input size ${size}`);
  return out;
}

export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) fail(`shapes [${a.join(',')}] and [${b.join(',')}] do not broadcast`);
    out.push(da === 1 ? db : da);
  }
  return out;
}

export function normaliseAxis(axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) fail(`axis ${axis} out of range for rank ${rank}`);
  return a;
}

export function inferOutputTypes(op: Op, inputs: readonly Value[]): TensorType[] {
  const t = inputs.map((v) => v.type);
  const x = t[0];
  switch (op.kind) {
    case 'conv2d': {
      expectRank(x, 4, 'conv input');
      expectRank(t[1], 4, 'conv weight');
      const [n, c, h, w] = x.shape;
      const [m, cg, kh, kw] = t[1].shape;
      if (kh !== op.kernel[0] || kw !== op.kernel[1]) fail(`weight kernel ${kh}x${kw} differs from attribute ${op.kernel.join('x')}`);
      if (c % op.groups !== 0 || m % op.groups !== 0 || cg * op.groups !== c) fail(`conv with ${op.groups} groups cannot map ${c} input channels through weight [${t[1].shape.join(',')}]`);
      if (t[2] && numel(t[2].shape) !== m) fail(`conv bias has ${numel(t[2].shape)} entries, expected ${m}`);
      const oh = windowOutput(h, kh, op.stride[0], op.pads[0], op.pads[2], op.dilations[0]);
      const ow = windowOutput(w, kw, op.stride[1], op.pads[1], op.pads[3], op.dilations[1]);
      const shape = [n, m, oh, ow];
      if (op.residual && (t.length !== 4 || t[3].dtype !== 'f32' || t[3].shape.join(',') !== shape.join(','))) {
        fail(`conv with a residual needs inputs x, w, b, r with r of shape [${shape.join(',')}], got ${t.length} inputs${t[3] ? ` (r [${t[3].shape.join(',')}])` : ''}`);
      }
      if (!op.residual && t.length > 3) fail(`conv takes at most 3 inputs without a residual, got ${t.length}`);
      if (op.convClass !== undefined && op.convClass !== classifyConv(op, c, m)) fail(`conv marked ${op.convClass} is ${classifyConv(op, c, m)}`);
      return [f32(shape)];
    }
    case 'batchNorm': {
      const c = x.shape[1];
      for (let i = 1; i < 5; i++) if (!t[i] || numel(t[i].shape) !== c) fail(`batchNorm parameter ${i} must have ${c} entries`);
      return [x];
    }
    case 'relu':
    case 'sigmoid':
    case 'hardSigmoid':
    case 'hardSwish':
      if (x.dtype !== 'f32') fail(`${op.kind} needs f32 input, got ${x.dtype}`);
      return [x];
    case 'clip':
    case 'identity':
      return [x];
    case 'maxPool':
    case 'avgPool': {
      expectRank(x, 4, `${op.kind} input`);
      const [n, c, h, w] = x.shape;
      const oh = windowOutput(h, op.kernel[0], op.stride[0], op.pads[0], op.pads[2], 1, op.ceilMode);
      const ow = windowOutput(w, op.kernel[1], op.stride[1], op.pads[1], op.pads[3], 1, op.ceilMode);
      return [f32([n, c, oh, ow])];
    }
    case 'globalAvgPool':
      expectRank(x, 4, 'globalAvgPool input');
      return [f32([x.shape[0], x.shape[1], 1, 1])];
    case 'reduceMean': {
      const axes = new Set(op.axes.map((a) => normaliseAxis(a, x.shape.length)));
      const shape: number[] = [];
      x.shape.forEach((d, i) => {
        if (!axes.has(i)) shape.push(d);
        else if (op.keepDims) shape.push(1);
      });
      return [{ dtype: x.dtype, shape }];
    }
    case 'gemm': {
      expectRank(x, 2, 'gemm A');
      expectRank(t[1], 2, 'gemm B');
      const [m, k] = op.transA ? [x.shape[1], x.shape[0]] : x.shape;
      const [k2, n] = op.transB ? [t[1].shape[1], t[1].shape[0]] : t[1].shape;
      if (k !== k2) fail(`gemm inner sizes differ: ${k} vs ${k2}`);
      if (t[2]) broadcastShapes([m, n], t[2].shape);
      return [f32([m, n])];
    }
    case 'dense': {
      expectRank(x, 2, 'dense input');
      expectRank(t[1], 2, 'dense weight');
      const [n, k] = x.shape;
      const [m, k2] = t[1].shape;
      if (k !== k2) fail(`dense input has ${k} features, weight [${t[1].shape.join(',')}] expects ${k2}`);
      if (t[2] && (t[2].shape.length !== 1 || t[2].shape[0] !== m)) fail(`dense bias must be [${m}], got [${t[2].shape.join(',')}]`);
      return [f32([n, m])];
    }
    case 'matMul': {
      const a = x.shape;
      const b = t[1].shape;
      if (a.length < 1 || b.length < 1) fail('matMul operands must have rank >= 1');
      const a2 = a.length === 1 ? [1, a[0]] : a;
      const b2 = b.length === 1 ? [b[0], 1] : b;
      const k = a2[a2.length - 1];
      if (k !== b2[b2.length - 2]) fail(`matMul inner sizes differ: ${k} vs ${b2[b2.length - 2]}`);
      const batch = broadcastShapes(a2.slice(0, -2), b2.slice(0, -2));
      const out = [...batch, a2[a2.length - 2], b2[b2.length - 1]];
      if (a.length === 1) out.splice(out.length - 2, 1);
      if (b.length === 1) out.splice(out.length - 1, 1);
      return [f32(out)];
    }
    case 'binary': {
      if (x.dtype !== t[1].dtype) fail(`binary ${op.fn} mixes ${x.dtype} and ${t[1].dtype}`);
      const shape = broadcastShapes(x.shape, t[1].shape);
      if (op.residual && (t.length !== 3 || x.dtype !== 'f32' || t[2].dtype !== 'f32' || t[2].shape.join(',') !== shape.join(','))) {
        fail(`binary ${op.fn} with a residual needs f32 inputs a, b, r with r of shape [${shape.join(',')}]`);
      }
      if (!op.residual && t.length !== 2) fail(`binary ${op.fn} takes 2 inputs without a residual, got ${t.length}`);
      return [{ dtype: x.dtype, shape }];
    }
    case 'reshape':
      if (numel(op.shape) !== numel(x.shape) || op.shape.some((d) => !Number.isInteger(d) || d < 0)) fail(`cannot reshape [${x.shape.join(',')}] to [${op.shape.join(',')}]`);
      return [{ dtype: x.dtype, shape: op.shape }];
    case 'transpose': {
      const rank = x.shape.length;
      const sorted = [...op.perm].sort((p, q) => p - q);
      if (op.perm.length !== rank || sorted.some((p, i) => p !== i)) fail(`transpose perm [${op.perm.join(',')}] is not a permutation of rank ${rank}`);
      return [{ dtype: x.dtype, shape: op.perm.map((p) => x.shape[p]) }];
    }
    case 'split': {
      const axis = normaliseAxis(op.axis, x.shape.length);
      const total = op.sizes.reduce((s, d) => s + d, 0);
      if (total !== x.shape[axis] || op.sizes.some((d) => d < 0)) fail(`split sizes [${op.sizes.join(',')}] do not sum to ${x.shape[axis]}`);
      return op.sizes.map((d) => ({ dtype: x.dtype, shape: x.shape.map((s, i) => (i === axis ? d : s)) }));
    }
    case 'slice': {
      const shape = [...x.shape];
      op.axes.forEach((a, i) => {
        const axis = normaliseAxis(a, shape.length);
        const { starts, ends, steps } = op;
        const len = steps[i] > 0 ? Math.ceil((ends[i] - starts[i]) / steps[i]) : Math.ceil((starts[i] - ends[i]) / -steps[i]);
        shape[axis] = Math.max(0, len);
      });
      return [{ dtype: x.dtype, shape }];
    }
    case 'concat': {
      const axis = normaliseAxis(op.axis, x.shape.length);
      let size = 0;
      for (const ti of t) {
        if (ti.shape.length !== x.shape.length || ti.shape.some((d, i) => i !== axis && d !== x.shape[i]) || ti.dtype !== x.dtype) {
          fail(`concat inputs [${x.shape.join(',')}] and [${ti.shape.join(',')}] differ off axis ${axis}`);
        }
        size += ti.shape[axis];
      }
      return [{ dtype: x.dtype, shape: x.shape.map((d, i) => (i === axis ? size : d)) }];
    }
    case 'pad': {
      const rank = x.shape.length;
      if (op.pads.length !== 2 * rank || op.pads.some((p) => !Number.isInteger(p))) fail(`pad needs ${2 * rank} integer pads for rank ${rank}, got [${op.pads.join(',')}]`);
      const shape = x.shape.map((d, i) => d + op.pads[i] + op.pads[i + rank]);
      if (shape.some((d) => d < 0)) fail(`pads [${op.pads.join(',')}] crop [${x.shape.join(',')}] below zero`);
      return [{ dtype: x.dtype, shape }];
    }
    case 'gather': {
      const axis = normaliseAxis(op.axis, x.shape.length);
      const idx = t[1];
      if (idx.dtype !== 'i64') fail('gather indices must be integers');
      return [{ dtype: x.dtype, shape: [...x.shape.slice(0, axis), ...idx.shape, ...x.shape.slice(axis + 1)] }];
    }
    case 'channelShuffle': {
      expectRank(x, 4, 'channelShuffle input');
      if (x.shape[1] % op.groups !== 0) fail(`channelShuffle: ${x.shape[1]} channels not divisible by ${op.groups} groups`);
      return [x];
    }
  }
}
