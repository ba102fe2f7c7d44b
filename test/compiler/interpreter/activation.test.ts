import { expect } from 'chai';
import { evalOp } from '../../../compiler/interpreter/eval-op.ts';
import type { Activation, Op } from '../../../compiler/ir/types.ts';
import { runOnnxNode } from '../../support/ort.ts';
import { STANDALONE_ACTIVATIONS } from '../../support/standalone-activations.ts';
import { expectClose, f32, i64, random, values } from './helpers.ts';

/** Spread over the interesting range of every activation (saturation of the hard ones starts at +-3). */
const wide = (shape: number[], seed: number) => f32(shape, values(random(shape, seed)).map((v) => v * 8));

describe('interpreter: unary activations (hand-derived)', () => {
  it('sigmoid, hardSigmoid, hardSwish and clip at their corners', () => {
    const x = f32([6], [-4, -3, 0, 1.5, 3, 4]);
    expect(values(evalOp({ kind: 'hardSwish' }, [x])[0])).to.deep.equal([-0, -0, 0, 1.125, 3, 4]);
    expect(values(evalOp({ kind: 'hardSigmoid', alpha: 0.5, beta: 0.25 }, [x])[0])).to.deep.equal([0, 0, 0.25, 1, 1, 1]);
    expect(values(evalOp({ kind: 'clip', min: 0, max: 3 }, [x])[0])).to.deep.equal([0, 0, 0, 1.5, 3, 3]);
    expect(values(evalOp({ kind: 'sigmoid' }, [f32([1], [0])])[0])).to.deep.equal([0.5]);
  });

  it('keep NaN; clip with min > max gives max; clip runs on i64', () => {
    for (const op of [{ kind: 'sigmoid' }, { kind: 'hardSwish' }, { kind: 'hardSigmoid', alpha: 0.2, beta: 0.5 }, { kind: 'clip', min: 0, max: 6 }] as Op[]) {
      expect(evalOp(op, [f32([1], [NaN])])[0].data[0], op.kind).to.be.NaN;
    }
    expect(values(evalOp({ kind: 'clip', min: 2, max: 1 }, [f32([3], [0, 1.5, 5])])[0])).to.deep.equal([1, 1, 1]);
    const y = evalOp({ kind: 'clip', min: -1, max: 4 }, [i64([3], [-5, 2, 9])])[0];
    expect(y.type.dtype).to.equal('i64');
    expect(values(y)).to.deep.equal([-1, 2, 4]);
  });

  it('sigmoid, hardSigmoid and hardSwish refuse i64', () => {
    expect(() => evalOp({ kind: 'sigmoid' }, [i64([1], [1])])).to.throw(/f32/);
  });
});

describe('interpreter: unary activations vs onnxruntime', () => {
  it('Sigmoid', async () => {
    const x = wide([2, 3, 4, 5], 1000);
    expectClose(evalOp({ kind: 'sigmoid' }, [x])[0], (await runOnnxNode({ opType: 'Sigmoid', inputs: [x] }))[0], 1e-6, 1e-6);
  });

  it('HardSigmoid (default and custom alpha/beta)', async () => {
    const x = wide([3, 7], 1001);
    expectClose(evalOp({ kind: 'hardSigmoid', alpha: 0.2, beta: 0.5 }, [x])[0], (await runOnnxNode({ opType: 'HardSigmoid', inputs: [x] }))[0], 1e-6, 1e-6);
    const [custom] = await runOnnxNode({ opType: 'HardSigmoid', inputs: [x], attributes: { alpha: { float: 1 / 6 }, beta: { float: 0.5 } } });
    expectClose(evalOp({ kind: 'hardSigmoid', alpha: Math.fround(1 / 6), beta: 0.5 }, [x])[0], custom, 1e-6, 1e-6);
  });

  it('HardSwish (opset 14)', async () => {
    const x = wide([2, 4, 3, 3], 1002);
    expectClose(evalOp({ kind: 'hardSwish' }, [x])[0], (await runOnnxNode({ opType: 'HardSwish', inputs: [x], opset: 14 }))[0], 1e-6, 1e-6);
  });

  it('Clip with min/max inputs (ReLU6) and with only max', async () => {
    const x = wide([5, 6], 1003);
    const [relu6] = await runOnnxNode({ opType: 'Clip', inputs: [x, f32([], [0]), f32([], [6])] });
    expectClose(evalOp({ kind: 'clip', min: 0, max: 6 }, [x])[0], relu6, 0, 0);
    const [upper] = await runOnnxNode({ opType: 'Clip', inputs: [x, null, f32([], [1.5])] });
    expectClose(evalOp({ kind: 'clip', min: -Infinity, max: 1.5 }, [x])[0], upper, 0, 0);
  });
});

describe('interpreter: conv epilogues', () => {
  const x = wide([2, 3, 5, 5], 1010);
  const w = random([4, 3, 1, 1], 1011);
  const b = random([4], 1012);
  const r = random([2, 4, 5, 5], 1013);
  const conv = { kind: 'conv2d', kernel: [1, 1], stride: [1, 1], pads: [0, 0, 0, 0], dilations: [1, 1], groups: 1 } as const;
  for (const [activation, standalone] of Object.entries(STANDALONE_ACTIVATIONS)) {
    it(`${activation} then residual add equals the unfused ops`, () => {
      const plain = evalOp({ ...conv, activation: 'none' }, [x, w, b])[0];
      const expected = evalOp({ kind: 'binary', fn: 'add' }, [evalOp(standalone, [plain])[0], r])[0];
      const fused = evalOp({ ...conv, activation: activation as Activation, residual: true }, [x, w, b, r])[0];
      expectClose(fused, expected, 0, 0);
    });
  }

  it('a residual of the wrong shape or a missing bias is refused', () => {
    expect(() => evalOp({ ...conv, activation: 'none', residual: true }, [x, w, b, random([2, 4, 5, 4], 1)])).to.throw(/residual/);
    expect(() => evalOp({ ...conv, activation: 'none', residual: true }, [x, w, r])).to.throw(/bias|residual/);
    expect(() => evalOp({ ...conv, activation: 'none' }, [x, w, b, r])).to.throw(/without a residual/);
  });
});
