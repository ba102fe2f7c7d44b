// Node -> generic per-element kernel (kernels/elementwise.ts): the WGSL formula of each unary activation and
// binary op (the interpreter's, compiler/interpreter/activation.ts), standalone batchNorm as a per-channel
// affine map. Operands may be activations or constants of any rank. Movement ops: lower-movement.ts.

import type { BinaryFn, Node, OpOf, UnaryOp } from '../../compiler/ir/types.ts';
import type { ElementwiseInput } from './kernels/elementwise.ts';
import { activate } from './kernels/epilogue.ts';
import { elementwiseKernel } from './kernels/elementwise.ts';
import type { Kernel, KernelContext } from './kernels/kernel.ts';
import type { Source } from './kernels/strided-operand.ts';
import { broadcastCoords } from './kernels/strided-operand.ts';
import type { NodeOperands } from './lower-node.ts';

/** A finite f32 WGSL literal (attributes come from model files: refuse what WGSL cannot spell). */
export function f32Literal(o: NodeOperands, x: number): string {
  if (!Number.isFinite(x)) return o.fail(`${o.node.op.kind} parameter ${x} is not a finite number`);
  const text = String(Math.fround(x));
  return `(${text}${/[.e]/.test(text) ? '' : '.0'})`;
}

/** The activation as a WGSL expression of `v`; NaN passes the comparisons unchanged where the interpreter's do. */
export function unaryExpression(o: NodeOperands, op: UnaryOp, v: string): string {
  switch (op.kind) {
    case 'relu':
      return `select(${v}, 0.0, ${v} < 0.0)`;
    case 'sigmoid':
    case 'hardSwish':
      return activate(op.kind, v, 'f32');
    case 'hardSigmoid':
      return `min(max(${f32Literal(o, op.alpha)} * ${v} + ${f32Literal(o, op.beta)}, 0.0), 1.0)`;
    case 'clip': {
      // An infinite bound clamps nothing; WGSL has no infinity literal.
      const low = op.min === -Infinity ? v : `max(${v}, ${f32Literal(o, op.min)})`;
      return op.max === Infinity ? low : `min(${low}, ${f32Literal(o, op.max)})`;
    }
  }
}

const BINARY: Record<BinaryFn, string> = { add: '+', sub: '-', mul: '*', div: '/' };

/** Operand `id` of the node as a kernel source: an activation where the plan put it, or a constant. */
export function source(o: NodeOperands, id: number): Source {
  const shape = o.shape(id);
  const value = o.graph.values.get(id)!;
  if (value.data) return { kind: 'constant', data: o.constant(id, 'operand')!, shape };
  return { kind: 'activation', operand: o.activation(id), shape };
}

/** An input read at the (broadcast) output coordinates. */
function broadcastInput(o: NodeOperands, id: number): ElementwiseInput {
  const s = source(o, id);
  return { source: s, coords: (domain) => broadcastCoords(s.shape, domain) };
}

function checkF32(o: NodeOperands): void {
  for (const id of [...o.node.inputs, ...o.node.outputs]) {
    if (o.graph.values.get(id)?.type.dtype !== 'f32') o.fail(`${o.node.op.kind} on ${o.graph.values.get(id)?.type.dtype} tensors has no kernel (f32 only)`);
  }
}

/** Kernels for the per-element ops; undefined when the node is none of them. */
export function lowerElementwise(ctx: KernelContext, o: NodeOperands): Kernel | undefined {
  const { node } = o;
  const op = node.op;
  const domain = o.shape(node.outputs[0]);
  const y = () => o.activation(node.outputs[0]);
  switch (op.kind) {
    case 'sigmoid':
    case 'hardSigmoid':
    case 'hardSwish':
    case 'clip':
    case 'relu':
      checkF32(o);
      return elementwiseKernel(ctx, { kind: op.kind, domain, y: y(), inputs: [broadcastInput(o, node.inputs[0])], expression: unaryExpression(o, op, 'v0') });
    case 'binary': {
      checkF32(o);
      const inputs = node.inputs.map((id) => broadcastInput(o, id));
      const sum = `v0 ${BINARY[op.fn]} v1`;
      return elementwiseKernel(ctx, { kind: op.residual ? `${op.fn}+residual` : op.fn, domain, y: y(), inputs, expression: op.residual ? `(${sum}) + v2` : sum });
    }
    case 'batchNorm':
      checkF32(o);
      return elementwiseKernel(ctx, { kind: 'batchNorm', domain, y: y(), ...batchNormAffine(o, node, op) });
    default:
      return undefined;
  }
}

/** y = (x - mean) * scale / sqrt(var + eps) + bias as y = x * a[c] + b[c], a and b computed in double once. */
function batchNormAffine(o: NodeOperands, node: Node, op: OpOf<'batchNorm'>): { inputs: ElementwiseInput[]; expression: string } {
  const [scale, bias, mean, variance] = node.inputs.slice(1).map((id, i) => o.constant(id, ['scale', 'bias', 'mean', 'variance'][i])!);
  const a = scale.map((s, c) => s / Math.sqrt(variance[c] + op.epsilon));
  const b = bias.map((t, c) => t - mean[c] * a[c]);
  const perChannel = (data: Float32Array): ElementwiseInput => ({ source: { kind: 'constant', data, shape: [data.length] }, coords: (d) => [d[1]] });
  return { inputs: [broadcastInput(o, node.inputs[0]), perChannel(a), perChannel(b)], expression: 'v0 * v1 + v2' };
}
