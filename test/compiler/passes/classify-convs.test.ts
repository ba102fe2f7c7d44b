import { expect } from 'chai';
import { GraphBuilder } from '../../../compiler/ir/graph-builder.ts';
import type { ConvClass, OpOf } from '../../../compiler/ir/types.ts';
import { verifyGraph } from '../../../compiler/ir/verify.ts';
import { classifyConvs } from '../../../compiler/passes/classify-convs.ts';

type Conv = OpOf<'conv2d'>;
const conv = (kernel: number, stride: number, pad: number, groups: number): Conv => ({
  kind: 'conv2d', kernel: [kernel, kernel], stride: [stride, stride], pads: [pad, pad, pad, pad], dilations: [1, 1], groups, activation: 'none',
});

describe('classify-convs', () => {
  const cases: [string, Conv, number, number, ConvClass][] = [
    ['1x1 stride 1 unpadded', conv(1, 1, 0, 1), 8, 6, 'pointwise'],
    ['1x1 stride 2 (a strided projection)', conv(1, 2, 0, 1), 8, 6, 'general'],
    ['1x1 padded', conv(1, 1, 1, 1), 8, 6, 'general'],
    ['3x3 stem', conv(3, 2, 1, 1), 3, 8, 'general'],
    ['3x3 depthwise', conv(3, 1, 1, 8), 8, 8, 'depthwise'],
    ['depthwise with a channel multiplier', conv(3, 1, 1, 8), 8, 16, 'grouped'],
    ['grouped 1x1', conv(1, 1, 0, 2), 8, 6, 'grouped'],
  ];
  for (const [what, op, cin, cout, expected] of cases) {
    it(`${what} is ${expected}`, () => {
      const b = new GraphBuilder();
      const x = b.addValue('x', { dtype: 'f32', shape: [1, cin, 5, 5] });
      b.inputs = [x];
      const w = b.addConst('w', [cout, cin / op.groups, op.kernel[0], op.kernel[1]], new Float32Array((cout * cin * op.kernel[0] * op.kernel[1]) / op.groups));
      b.outputs = b.addNode(op, [x, w], 'c');
      const after = classifyConvs(b.build());
      expect((after.nodes[0].op as Conv).convClass).to.equal(expected);
      expect(classifyConvs(after), 'already classified: unchanged').to.equal(after);
    });
  }

  it('the verifier refuses a class that no longer holds', () => {
    const b = new GraphBuilder();
    const x = b.addValue('x', { dtype: 'f32', shape: [1, 4, 5, 5] });
    b.inputs = [x];
    const w = b.addConst('w', [4, 4, 1, 1], new Float32Array(16));
    b.outputs = b.addNode({ ...conv(1, 1, 0, 1), convClass: 'pointwise' }, [x, w], 'c');
    const g = b.build();
    const wrong = { ...g, nodes: [{ ...g.nodes[0], op: { ...conv(1, 1, 0, 1), convClass: 'depthwise' as const } }] };
    expect(() => verifyGraph(wrong)).to.throw(/marked depthwise is pointwise/);
  });
});
