// Recognises h-swish and hard-sigmoid written out in elementary ops, so they become one op (and can then fuse
// into a conv epilogue):
//   div(clip(add(x, 3), 0, 6), 6)        -> hardSigmoid(x) {alpha 1/6, beta 1/2}   (Megvii's relu6(x + 3) / 6)
//   div(mul(x, clip(add(x, 3), 0, 6)), 6) -> hardSwish(x)                          (Megvii's x * relu6(x + 3) / 6)
//   mul(x, hardSigmoid(x) {1/6, 1/2})     -> hardSwish(x)                          (PyTorch's export below opset 14)
// ("div by 6" also matches "mul by 1/6"; operands of add and mul in either order; the clip may read a relu of the
// add, which is how PyTorch exports relu6.) Each intermediate must be
// read by the pattern alone, or its value would still be needed. Results differ from the written-out form by
// float rounding only.

import type { Graph, Node, Op } from '../ir/types.ts';
import { numel } from '../ir/types.ts';
import { eliminateDeadCode } from './eliminate-dead-code.ts';
import type { Pass } from './pass.ts';
import { Rewriter, UseIndex } from './rewriter.ts';

const HARD_SIGMOID: Op = { kind: 'hardSigmoid', alpha: 1 / 6, beta: 0.5 };
const sameF32 = (a: number, b: number) => Math.fround(a) === Math.fround(b);

class Matcher {
  constructor(private readonly uses: UseIndex) {}

  /** The value of a scalar f32 constant, or undefined. */
  scalar(id: number): number | undefined {
    const v = this.uses.graph.values.get(id)!;
    return v.data instanceof Float32Array && numel(v.type.shape) === 1 ? v.data[0] : undefined;
  }

  /** The producer of `id` when it is a node of `kind` that only `reader` reads. */
  owned(id: number, reader: Node, kind: Op['kind']): Node | undefined {
    const p = this.uses.producer.get(id);
    return p && p.op.kind === kind && this.uses.soleConsumer(id) === reader ? p : undefined;
  }

  /** For a binary node with one scalar operand equal to `value`: the other operand. */
  scaledBy(node: Node, fn: 'add' | 'mul' | 'div', value: number): number | undefined {
    if (node.op.kind !== 'binary' || node.op.fn !== fn) return undefined;
    const [a, b] = node.inputs;
    if (this.scalar(b) !== undefined && sameF32(this.scalar(b)!, value)) return a;
    if (fn !== 'div' && this.scalar(a) !== undefined && sameF32(this.scalar(a)!, value)) return b;
    return undefined;
  }

  /** x / 6 or x * (1/6): the x. */
  sixth(node: Node): number | undefined {
    return this.scaledBy(node, 'div', 6) ?? this.scaledBy(node, 'mul', 1 / 6);
  }

  /** clip(add(x, 3), 0, 6) read only by `reader`: the x. PyTorch's relu6 exports as clip(relu(.)), same thing. */
  relu6Plus3(id: number, reader: Node): number | undefined {
    const clip = this.owned(id, reader, 'clip');
    if (!clip || clip.op.kind !== 'clip' || clip.op.min !== 0 || clip.op.max !== 6) return undefined;
    const relu = this.owned(clip.inputs[0], clip, 'relu');
    const add = relu ? this.owned(relu.inputs[0], relu, 'binary') : this.owned(clip.inputs[0], clip, 'binary');
    return add ? this.scaledBy(add, 'add', 3) : undefined;
  }

  /** The op and input that replace `node`, if it ends one of the patterns. */
  match(node: Node): { op: Op; x: number } | undefined {
    const shape = (id: number) => this.uses.graph.values.get(id)!.type.shape.join(',');
    const keepsShape = (x: number) => shape(x) === shape(node.outputs[0]);
    const divided = this.sixth(node);
    if (divided !== undefined) {
      const x = this.relu6Plus3(divided, node);
      if (x !== undefined && keepsShape(x)) return { op: HARD_SIGMOID, x };
      const mul = this.owned(divided, node, 'binary');
      if (mul && mul.op.kind === 'binary' && mul.op.fn === 'mul') {
        const [a, b] = mul.inputs;
        for (const [x, other] of [[a, b], [b, a]]) if (this.relu6Plus3(other, mul) === x && keepsShape(x)) return { op: { kind: 'hardSwish' }, x };
      }
    }
    if (node.op.kind === 'binary' && node.op.fn === 'mul') {
      const [a, b] = node.inputs;
      for (const [x, other] of [[a, b], [b, a]]) {
        const hs = this.owned(other, node, 'hardSigmoid');
        if (hs && hs.op.kind === 'hardSigmoid' && hs.inputs[0] === x && sameF32(hs.op.alpha, 1 / 6) && sameF32(hs.op.beta, 0.5) && keepsShape(x)) return { op: { kind: 'hardSwish' }, x };
      }
    }
    return undefined;
  }
}

function rewriteOnce(graph: Graph): Graph {
  const matcher = new Matcher(new UseIndex(graph));
  const rw = new Rewriter(graph);
  for (const node of graph.nodes) {
    const found = matcher.match(node);
    if (found) rw.emitInto(found.op, [found.x], node.outputs, node.origin);
    else rw.keep(node);
  }
  const result = rw.finish();
  return result === graph ? graph : eliminateDeadCode(result);
}

export function recogniseHardActivations(graph: Graph): Graph {
  // A recognised hard-sigmoid can complete an h-swish (mul(x, hardSigmoid(x))): a second round finds it.
  let current = graph;
  for (let round = 0; round < 3; round++) {
    const next = rewriteOnce(current);
    if (next === current) break;
    current = next;
  }
  return current;
}

export const recogniseHardActivationsPass: Pass = { name: 'recognise-hard-activations', run: recogniseHardActivations };
