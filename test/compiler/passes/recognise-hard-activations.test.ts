import { expect } from 'chai';
import { GraphBuilder } from '../../../compiler/ir/graph-builder.ts';
import type { Graph, Op } from '../../../compiler/ir/types.ts';
import { recogniseHardActivations } from '../../../compiler/passes/recognise-hard-activations.ts';
import { expectSameFunction, kinds } from './support.ts';

/** Elementary-op builder over x [2, 3, 4, 4]. */
class Ops {
  readonly b = new GraphBuilder();
  readonly x = this.b.addValue('x', { dtype: 'f32', shape: [2, 3, 4, 4] });
  constructor() {
    this.b.inputs = [this.x];
  }
  scalar(v: number): number {
    return this.b.addConst(`c${v}`, [], Float32Array.of(v));
  }
  op(op: Op, ...inputs: number[]): number {
    return this.b.addNode(op, inputs, op.kind)[0];
  }
  bin(fn: 'add' | 'mul' | 'div', a: number, b: number): number {
    return this.op({ kind: 'binary', fn }, a, b);
  }
  /** relu6(x + 3), PyTorch's export (clip of a relu) or a bare clip. */
  relu6Plus3(x: number, viaRelu: boolean): number {
    const sum = this.bin('add', this.scalar(3), x);
    return this.op({ kind: 'clip', min: 0, max: 6 }, viaRelu ? this.op({ kind: 'relu' }, sum) : sum);
  }
  done(...outputs: number[]): Graph {
    this.b.outputs = outputs;
    return this.b.build();
  }
}

const input = [Float32Array.from({ length: 96 }, (_, i) => 5 * Math.sin(i * 0.37))];

describe('recognise-hard-activations', () => {
  it("Megvii's relu6(x + 3) / 6 becomes hardSigmoid, x * relu6(x + 3) / 6 hardSwish", () => {
    for (const viaRelu of [false, true]) {
      const o = new Ops();
      const hsig = o.bin('div', o.relu6Plus3(o.x, viaRelu), o.scalar(6));
      const hswish = o.bin('div', o.bin('mul', o.x, o.relu6Plus3(o.x, viaRelu)), o.scalar(6));
      const before = o.done(hsig, hswish);
      const after = recogniseHardActivations(before);
      expect(kinds(after)).to.deep.equal(['hardSigmoid', 'hardSwish']);
      expectSameFunction(before, after, input, 1e-6);
    }
  });

  it("PyTorch's opset < 14 h-swish, x * hardSigmoid(x) {1/6, 1/2}, and x * (relu6(x + 3) * (1/6)) become hardSwish", () => {
    const o = new Ops();
    const a = o.bin('mul', o.op({ kind: 'hardSigmoid', alpha: 0.16666667, beta: 0.5 }, o.x), o.x);
    const b = o.bin('mul', o.x, o.bin('mul', o.relu6Plus3(o.x, false), o.scalar(1 / 6)));
    const before = o.done(a, b);
    const after = recogniseHardActivations(before);
    expect(kinds(after)).to.deep.equal(['hardSwish', 'hardSwish']);
    expectSameFunction(before, after, input, 1e-6);
  });

  it('leaves look-alikes: other constants, another alpha, an intermediate read elsewhere, x * hs(y)', () => {
    const o = new Ops();
    const y = o.op({ kind: 'relu' }, o.x);
    const wrongConstant = o.bin('div', o.relu6Plus3(o.x, false), o.scalar(5));
    const otherAlpha = o.bin('mul', o.x, o.op({ kind: 'hardSigmoid', alpha: 0.2, beta: 0.5 }, o.x));
    const shared = o.relu6Plus3(o.x, false);
    const sharedUse = o.bin('div', shared, o.scalar(6));
    const otherOperand = o.bin('mul', o.x, o.op({ kind: 'hardSigmoid', alpha: 1 / 6, beta: 0.5 }, y));
    const graph = o.done(wrongConstant, otherAlpha, sharedUse, shared, otherOperand);
    expect(recogniseHardActivations(graph)).to.equal(graph);
  });
});
